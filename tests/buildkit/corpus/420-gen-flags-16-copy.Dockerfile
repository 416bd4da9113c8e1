FROM alpine
COPY --from=${STAGE}  --chmod=755  src/ /app/
