FROM alpine
EXPOSE 80 \
 # the https port
 443
