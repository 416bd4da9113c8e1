FROM alpine
ENV NAME  value
