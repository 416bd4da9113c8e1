FROM alpine
ARG my.key0=a\ b   my.key1="x y"   PATH2="multi \
  line"
