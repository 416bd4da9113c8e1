# escape=`
# comment
FROM alpine
RUN echo a `
  b \
  c
