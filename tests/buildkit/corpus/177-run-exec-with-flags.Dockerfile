FROM alpine
RUN --mount=type=cache,target=/x ["sh", "-c", "echo hi"]
