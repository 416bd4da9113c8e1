FROM alpine
ENV PATH0="multi \
  line" \
    B_21=a\ b \
    my.key2=$HOME
