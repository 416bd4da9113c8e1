FROM alpine
RUN a \



