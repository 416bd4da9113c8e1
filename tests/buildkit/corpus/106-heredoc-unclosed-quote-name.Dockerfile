FROM alpine
RUN <<"EOF
x
EOF
