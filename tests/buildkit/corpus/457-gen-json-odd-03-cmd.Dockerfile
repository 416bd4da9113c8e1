FROM alpine
CMD ["a"
