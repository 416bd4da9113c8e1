FROM alpine
RUN echo a \
    b \

    c
LABEL a="1" \
      b="2"
