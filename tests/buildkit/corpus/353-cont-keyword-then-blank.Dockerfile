FROM alpine
RUN \

