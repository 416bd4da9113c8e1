# escape=`
FROM alpine
ENV A=a` b C=c\ d
