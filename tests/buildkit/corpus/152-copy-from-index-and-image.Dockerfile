FROM alpine
COPY --from=0 /a /a
COPY --from=nginx:latest /etc/nginx/nginx.conf /etc/
