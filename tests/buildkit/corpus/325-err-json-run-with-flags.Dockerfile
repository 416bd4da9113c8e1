FROM alpine
RUN --mount=type=cache,target=/x [1]
