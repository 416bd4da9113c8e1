FROM alpine
CMD ["a"]]
