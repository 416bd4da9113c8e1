FROM alpine --platform=linux/amd64
