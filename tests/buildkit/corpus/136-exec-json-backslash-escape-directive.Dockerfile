# escape=`
FROM alpine
CMD ["C:\\Program Files\\app.exe", "a`b"]
