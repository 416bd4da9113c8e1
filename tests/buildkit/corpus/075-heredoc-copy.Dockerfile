FROM alpine
COPY <<EOF /etc/app.conf
key=value
other=1
EOF
