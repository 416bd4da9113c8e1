FROM alpine
RUN cat 10<<EOF
ten
EOF
