FROM alpine
CMD ["a", "b"] extra
