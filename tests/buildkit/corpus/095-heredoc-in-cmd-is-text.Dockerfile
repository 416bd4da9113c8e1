FROM alpine
CMD <<EOF
echo hi
EOF
