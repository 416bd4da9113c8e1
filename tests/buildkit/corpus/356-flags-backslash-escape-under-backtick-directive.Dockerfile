# escape=`
FROM alpine
COPY --a=b\ c x
COPY --a=b` c x
COPY --a="b`"c" x
