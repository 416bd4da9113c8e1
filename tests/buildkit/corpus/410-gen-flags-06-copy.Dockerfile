FROM alpine
COPY --chmod=755  --link=false  --chmod=u+x  ["a b", "/c d/"]
