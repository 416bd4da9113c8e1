FROM alpine
ONBUILD RUN --mount=type=cache,target=/x echo hi
ONBUILD COPY --from=build /a /b
