FROM alpine
COPY <<'EOT' /dst.txt
FROM fake
# comment in body
EOT
RUN echo after
