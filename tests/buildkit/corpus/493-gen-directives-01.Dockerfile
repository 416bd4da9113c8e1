# check=skip=all
# syntax=docker/dockerfile:1
# check=skip=all
FROM alpine
RUN echo a `
  b \
  c
