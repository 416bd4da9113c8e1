ARG A
ARG B=1
ARG C=1 D=2
ARG E="quoted value"
ARG F='single'
FROM alpine
ARG A
