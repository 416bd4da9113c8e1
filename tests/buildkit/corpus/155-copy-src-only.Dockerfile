FROM alpine
COPY src
