FROM alpine
RUN <<EOF
# this is a shell comment, not a Dockerfile comment
echo a \
  b
echo "tab\there"
EOF
