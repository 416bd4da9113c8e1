FROM alpine
RUN cat 2<<EOF
to stderr
EOF
