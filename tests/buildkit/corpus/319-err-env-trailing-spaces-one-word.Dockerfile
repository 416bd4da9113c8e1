FROM alpine
ENV NAME   
