# escape=\
# escape=\
# escape=\
FROM alpine
RUN echo a `
  b \
  c
