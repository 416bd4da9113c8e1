FROM alpine
RUN cat <<
