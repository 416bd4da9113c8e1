FROM alpine
ENTRYPOINT [ 'a' ]
