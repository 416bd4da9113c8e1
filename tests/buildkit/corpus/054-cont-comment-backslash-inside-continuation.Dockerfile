FROM alpine
RUN echo a \
# comment \
    b
