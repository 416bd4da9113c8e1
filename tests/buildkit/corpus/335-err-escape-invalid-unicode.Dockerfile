# escape=€
FROM alpine
