FROM alpine
COPY --from=a --from=b x y
COPY --=x a b
COPY --from x y
COPY "--from=x" y z
COPY --a"b"=c d e
COPY --a="b c"d e f
COPY --a=b\ c d
RUN --mount=x	echo
