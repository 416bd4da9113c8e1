FROM alpine
HEALTHCHECK --interval=30s --timeout=10s --start-period=5s --start-interval=1s --retries=3 \
    CMD curl -f http://localhost:8080/health || exit 1
