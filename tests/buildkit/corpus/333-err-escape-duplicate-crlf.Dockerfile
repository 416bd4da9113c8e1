# escape=`
# escape=`
FROM alpine
