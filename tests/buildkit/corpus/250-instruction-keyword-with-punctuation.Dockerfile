FROM alpine
RUN-echo hi
COPY: a b
