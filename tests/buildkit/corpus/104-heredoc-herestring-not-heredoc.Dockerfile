FROM alpine
RUN cat <<<"hello"
