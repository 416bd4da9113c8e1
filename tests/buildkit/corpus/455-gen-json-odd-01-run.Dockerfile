FROM alpine
RUN ["a",]
