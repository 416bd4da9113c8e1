FROM alpine
LABEL maintainer John Doe
