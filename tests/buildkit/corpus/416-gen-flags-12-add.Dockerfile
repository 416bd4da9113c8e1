FROM alpine
ADD --keep-git-dir=true \
    https://example.com/x.tgz /opt/
