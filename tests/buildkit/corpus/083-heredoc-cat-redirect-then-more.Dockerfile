FROM alpine
RUN cat <<EOF > /app/settings.json && chmod 600 /app/settings.json
{
  "Logging": { "LogLevel": { "Default": "Information" } }
}
EOF
