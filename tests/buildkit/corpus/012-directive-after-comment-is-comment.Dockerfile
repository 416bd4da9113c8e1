# This Dockerfile builds the app
# escape=`
FROM alpine
RUN echo a `
  b
