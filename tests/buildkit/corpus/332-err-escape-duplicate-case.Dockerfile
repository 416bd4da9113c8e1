# ESCAPE=`
# escape=`
FROM alpine
