FROM alpine
ONBUILD HEALTHCHECK --interval=5s CMD ["curl", "x"]
