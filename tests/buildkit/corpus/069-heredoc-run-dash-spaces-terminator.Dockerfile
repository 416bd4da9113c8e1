FROM alpine
RUN <<-EOF
    echo hello
    EOF
EOF
