FROM alpine
RUN --network=none echo offline
RUN --network=host curl http://localhost
RUN --security=insecure mount -t tmpfs none /mnt
RUN --network=default --security=sandbox echo both
