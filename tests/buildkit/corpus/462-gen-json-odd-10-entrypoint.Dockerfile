FROM alpine
ENTRYPOINT [ ]x
