# syntax=docker/dockerfile:1
ARG BASE=alpine
FROM ${BASE} AS base
MAINTAINER nobody
LABEL a=b
ENV E=1
ARG X
WORKDIR /app
USER root
COPY a b
ADD c d
RUN echo hi
VOLUME /data
EXPOSE 80
STOPSIGNAL SIGTERM
HEALTHCHECK CMD true
SHELL ["/bin/sh", "-c"]
ONBUILD RUN echo
CMD ["sh"]
ENTRYPOINT ["/entry"]
