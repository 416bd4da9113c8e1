FROM alpine
CMD ["a", false]
