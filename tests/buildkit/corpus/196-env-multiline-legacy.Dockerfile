FROM alpine
ENV LONG first \
    second \
    third
