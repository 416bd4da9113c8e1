FROM alpine
COPY
