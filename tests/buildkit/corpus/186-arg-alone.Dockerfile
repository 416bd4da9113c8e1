FROM alpine
ARG
