FROM alpine
ADD <<EOF /app/readme.txt
hello
EOF
