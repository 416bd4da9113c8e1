FROM alpine
ARG A=a\ b
