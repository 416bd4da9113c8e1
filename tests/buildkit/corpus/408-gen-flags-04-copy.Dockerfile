FROM alpine
COPY --link  --from=  ["a b", "/c d/"]
