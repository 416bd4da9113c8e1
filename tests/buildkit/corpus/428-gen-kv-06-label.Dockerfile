FROM alpine
LABEL PATH0="" \
    my.key1='single' \
    A2=a\ b
