FROM alpine
ENV NAME  a  b	c
