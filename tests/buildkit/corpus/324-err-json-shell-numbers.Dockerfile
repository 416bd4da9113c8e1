FROM alpine
SHELL [1]
