FROM alpine
COPY \
    --chown=1000:1000 \
    --chmod=755 \
    src/ /app/
