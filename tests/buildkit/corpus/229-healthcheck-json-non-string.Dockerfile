FROM alpine
HEALTHCHECK CMD ["curl", 1]
