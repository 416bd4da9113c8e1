FROM alpine
COPY --chmod=755 --chown=app:app <<EOF /usr/local/bin/entry.sh
#!/bin/sh
exec "$@"
EOF
