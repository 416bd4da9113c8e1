# syntax=docker/dockerfile:1
FROM alpine
RUN <<EOF
echo hello
echo world
EOF
