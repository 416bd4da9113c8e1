# escape=`
FROM alpine
RUN echo a `
  b
# escape=\
RUN echo c \
  d
