FROM alpine
EXPOSE 443/tcp	53/udp	${PORT}	5000/sctp
