FROM alpine
ENV A <<EOF
RUN echo after
