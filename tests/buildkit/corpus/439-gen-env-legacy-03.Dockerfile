FROM alpine
ENV NAME	x=y z
