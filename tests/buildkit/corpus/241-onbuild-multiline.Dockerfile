FROM alpine
ONBUILD RUN echo a \
    && echo b
