FROM alpine
VOLUME ["\ud83d\udc33","$HOME"]
