FROM alpine
RUN <<A <<B
echo a
A
echo b
B
