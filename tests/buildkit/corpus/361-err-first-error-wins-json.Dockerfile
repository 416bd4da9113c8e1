FROM alpine
CMD [1]
ENV X
