FROM alpine
ENTRYPOINT [["a"]]
