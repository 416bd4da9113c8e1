# escape=\
#ESCAPE=`
# syntax=docker/dockerfile:1
FROM alpine
RUN echo a `
  b \
  c
