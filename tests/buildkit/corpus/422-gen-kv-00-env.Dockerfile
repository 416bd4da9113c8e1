FROM alpine
ENV B_20=1
