FROM alpine
COPY --FROM=build a b
copy --Chown=1 a b
