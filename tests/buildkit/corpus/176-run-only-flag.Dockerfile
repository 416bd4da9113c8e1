FROM alpine
RUN --network=none
