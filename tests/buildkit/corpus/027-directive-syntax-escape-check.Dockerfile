# syntax=docker/dockerfile:1
# escape=`
# check=error=true
FROM alpine
RUN echo a `
  b
