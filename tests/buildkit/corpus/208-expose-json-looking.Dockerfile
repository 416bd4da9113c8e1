FROM alpine
EXPOSE ["80", "443"]
