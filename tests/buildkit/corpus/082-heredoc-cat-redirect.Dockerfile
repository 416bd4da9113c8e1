FROM alpine
RUN cat <<EOF > /etc/motd
Welcome
EOF
