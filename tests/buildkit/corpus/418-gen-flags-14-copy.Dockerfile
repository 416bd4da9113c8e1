FROM alpine
COPY --exclude=bin/  --link=true  --chmod=755  src/ /app/
