FROM alpine
LABEL org.opencontainers.image.title0=a\ b \
    my.key1="multi \
  line"
