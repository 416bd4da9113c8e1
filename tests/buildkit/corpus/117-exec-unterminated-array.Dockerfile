FROM alpine
CMD ["a",
