# escape=`
# syntax=docker/dockerfile:1
FROM alpine
RUN echo one `
  two
