FROM alpine
RUN ["apk", "add", "curl"]
CMD ["--help"]
ENTRYPOINT ["/usr/bin/curl"]
