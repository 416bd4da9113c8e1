FROM alpine
COPY --chown="app:app" a b
COPY --exclude="*.tmp" --exclude='*.log' . /src
