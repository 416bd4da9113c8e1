FROM alpine
CMD ["", ""]
