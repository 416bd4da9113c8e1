FROM alpine
COPY --chmod=755 \
    --exclude=*.md \
    --from=${STAGE} \
    src/ /app/
