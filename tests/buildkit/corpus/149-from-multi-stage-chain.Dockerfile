FROM alpine AS one
RUN echo 1 > /one
FROM one AS two
RUN echo 2 > /two
FROM scratch
COPY --from=two /one /two /
