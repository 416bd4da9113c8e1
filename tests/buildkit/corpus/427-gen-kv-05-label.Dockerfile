FROM alpine
LABEL B_20=http://x/?a=b \
    org.opencontainers.image.title1=${A:-default} \
    PATH2=${A:-default} \
    A3='single'
