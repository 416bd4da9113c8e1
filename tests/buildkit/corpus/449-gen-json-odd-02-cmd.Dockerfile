FROM alpine
CMD [a]
