FROM alpine
ARG A0=http://x/?a=b   my.key1=""
