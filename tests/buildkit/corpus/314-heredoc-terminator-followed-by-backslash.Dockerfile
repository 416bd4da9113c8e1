FROM alpine
RUN <<EOF
x
EOF\
y
EOF
