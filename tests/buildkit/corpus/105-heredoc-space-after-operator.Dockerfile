FROM alpine
RUN cat << EOF
x
EOF
