FROM alpine
COPY -from=build a b
