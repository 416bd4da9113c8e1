FROM alpine
VOLUME ["\n", "\ud83d\udc33", "with space"]
