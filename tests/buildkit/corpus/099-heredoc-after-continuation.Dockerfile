FROM alpine
RUN --mount=type=cache,target=/root/.cache \
    <<EOF
echo hi
EOF
