FROM alpine
ARG A0="" \
    B_21="x y" \
    PATH2="x y"
