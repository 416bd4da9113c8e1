FROM alpine
ARG org.opencontainers.image.title0="x y" \
    A1=""
