FROM alpine
CMD ["a
