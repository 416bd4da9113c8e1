FROM alpine
\