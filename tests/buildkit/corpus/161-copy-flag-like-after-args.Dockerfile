FROM alpine
COPY a --chown=1:1 b
RUN echo --mount=type=cache,target=/x
