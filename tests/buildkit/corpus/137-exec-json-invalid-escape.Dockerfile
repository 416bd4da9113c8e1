FROM alpine
CMD ["a\qb"]
