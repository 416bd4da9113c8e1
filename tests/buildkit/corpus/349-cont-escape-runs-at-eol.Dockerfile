FROM alpine
RUN x\\\\
RUN y \\ \
    z
