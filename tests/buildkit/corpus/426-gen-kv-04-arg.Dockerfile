FROM alpine
ARG A0="multi \
  line" PATH1=${A:-default} B_22=a\ b
