FROM alpine
USER
USER a b
