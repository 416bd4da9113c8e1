FROM alpine
ENV NAME \
