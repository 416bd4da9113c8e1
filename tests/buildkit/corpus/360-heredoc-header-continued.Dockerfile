FROM alpine
RUN <<EOF \
  && echo done
body
EOF
