FROM alpine
HEALTHCHECK cmd curl -f http://localhost/
