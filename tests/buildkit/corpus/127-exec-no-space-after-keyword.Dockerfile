FROM alpine
CMD["a"]
