FROM alpine
LABEL a=1 b
