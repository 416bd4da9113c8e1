FROM alpine
ENTRYPOINT ["a", true, null]
