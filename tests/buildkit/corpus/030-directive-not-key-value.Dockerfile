# just a comment with = sign
# escape=`
FROM alpine
RUN echo a `
  b
