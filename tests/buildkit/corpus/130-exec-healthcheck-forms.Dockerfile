FROM alpine
HEALTHCHECK CMD curl -f http://localhost/ || exit 1
HEALTHCHECK CMD ["curl", "-f", "http://localhost/"]
HEALTHCHECK --interval=30s --timeout=3s CMD ["CMD-SHELL", "curl -f http://localhost/"]
