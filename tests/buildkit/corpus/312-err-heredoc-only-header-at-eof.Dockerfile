FROM alpine
RUN <<EOF