FROM alpine
COPY --from="abc /a /b
