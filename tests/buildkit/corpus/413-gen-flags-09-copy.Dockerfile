FROM alpine
COPY --chown=app \
    ["a b", "/c d/"]
