#
# escape=`
FROM alpine
