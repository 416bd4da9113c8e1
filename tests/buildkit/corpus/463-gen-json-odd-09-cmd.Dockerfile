FROM alpine
CMD [null]
