FROM alpine
COPY --from= /a /b
COPY --chown= a b
