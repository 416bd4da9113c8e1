FROM alpine
RUN <<""
x

