FROM alpine
COPY . .
COPY src/ /app/src/
COPY a b c /dst/
