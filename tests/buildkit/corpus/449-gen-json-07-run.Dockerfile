FROM alpine
RUN [ "\n" , "\/" , "\ud83d\udc33" ]
