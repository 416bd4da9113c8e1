FROM alpine
COPY 2<<EOF /x
body
EOF
