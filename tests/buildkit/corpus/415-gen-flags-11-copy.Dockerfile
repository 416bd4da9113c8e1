FROM alpine
COPY --chmod=755  --chmod=u+x  --chown=1000:1000  --link  ["a b", "/c d/"]
