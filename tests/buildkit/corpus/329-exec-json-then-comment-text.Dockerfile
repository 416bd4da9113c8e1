FROM alpine
CMD ["a"] # c
ENTRYPOINT ["b"] ["c"]
