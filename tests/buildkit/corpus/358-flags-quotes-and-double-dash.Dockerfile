FROM alpine
COPY --a='b c' --d="e'f" x
RUN --a=b -- --c=d x
COPY --from=a\
--to=b x
