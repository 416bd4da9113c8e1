# syntax=docker/dockerfile:1.7-labs
FROM alpine
ADD --checksum=sha256:24454f830cdb571e2c4ad15481119c43b3cafd48dd869a9b2945d1036d1dc68d https://example.com/app.tar.gz /
ADD --keep-git-dir=true https://github.com/dotnet/runtime.git#main /src
ADD --chown=1:1 --chmod=644 --link archive.tar.gz /opt/
ADD --exclude=*.txt dir/ /dst/
