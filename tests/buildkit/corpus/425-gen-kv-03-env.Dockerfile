FROM alpine
ENV A0="" \
    my.key1="with \"escaped\" quotes"
