FROM alpine
COPY bin\Release\ C:\app\
