FROM alpine
HEALTHCHECK RUN curl -f http://localhost/
