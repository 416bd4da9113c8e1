# check=skip=all

FROM alpine
RUN echo a `
  b \
  c
