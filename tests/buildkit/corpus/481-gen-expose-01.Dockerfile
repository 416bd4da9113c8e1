FROM alpine
EXPOSE 443/tcp	5000/sctp	$P/tcp	8080-8090
