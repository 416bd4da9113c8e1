FROM alpine
COPY --link a b
COPY --parents a b
