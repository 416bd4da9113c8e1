FROM alpine
COPY -- a b
RUN -- echo hi
