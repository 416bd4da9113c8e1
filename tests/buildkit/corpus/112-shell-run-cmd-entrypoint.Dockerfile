FROM alpine
RUN apk add curl
CMD curl --help
ENTRYPOINT /usr/bin/curl
