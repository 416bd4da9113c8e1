FROM alpine
VOLUME ["/data", 1]
