# escape= 
FROM alpine
