FROM alpine
VOLUME ["/data", "/logs"]
VOLUME /cache /tmp/x
VOLUME /single
