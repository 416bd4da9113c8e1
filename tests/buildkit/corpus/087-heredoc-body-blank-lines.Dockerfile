FROM alpine
RUN <<EOF

echo a

EOF
