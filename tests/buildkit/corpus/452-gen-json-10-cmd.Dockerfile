FROM alpine
CMD ["a", "q\"uote"]
