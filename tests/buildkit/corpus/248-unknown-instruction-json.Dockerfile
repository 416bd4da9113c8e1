FROM alpine
FOOBAR ["a"]
