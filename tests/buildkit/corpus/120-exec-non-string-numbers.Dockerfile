FROM alpine
CMD [1, 2]
