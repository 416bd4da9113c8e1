FROM alpine
RUN [true]
