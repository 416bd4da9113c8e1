FROM alpine
EXPOSE 5000/sctp 8080-8090 443/tcp $P/tcp
