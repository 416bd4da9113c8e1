FROM alpine
CMD ["echo", "\ud83d\udc33", "日本語"]
