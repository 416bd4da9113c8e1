FROM alpine
LABEL novalue
