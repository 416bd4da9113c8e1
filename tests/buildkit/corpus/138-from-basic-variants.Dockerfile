FROM alpine
FROM alpine:3.19
FROM docker.io/library/alpine:3.19
FROM scratch
