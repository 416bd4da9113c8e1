FROM alpine
RUN "a"]
