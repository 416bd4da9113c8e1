FROM alpine
CMD ["a", \
     2]
