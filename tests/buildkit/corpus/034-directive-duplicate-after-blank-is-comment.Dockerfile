# escape=`

# syntax=a
# syntax=b
# escape=\
FROM alpine
RUN echo a `
  b
