FROM alpine
COPY --from=build
