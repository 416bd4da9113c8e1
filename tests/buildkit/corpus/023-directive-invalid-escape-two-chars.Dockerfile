# escape=``
FROM alpine
