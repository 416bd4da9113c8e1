FROM alpine
ADD --keep-git-dir	https://example.com/x.tgz /opt/
