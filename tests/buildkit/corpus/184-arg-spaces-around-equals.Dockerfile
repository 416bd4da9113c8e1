FROM alpine
ARG A = 1
