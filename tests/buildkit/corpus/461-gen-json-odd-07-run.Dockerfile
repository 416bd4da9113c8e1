FROM alpine
RUN ["a", 1.5]
