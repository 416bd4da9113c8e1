FROM alpine
ONBUILD RUN echo hi
ONBUILD COPY . /app/src
ONBUILD ADD --chown=1 a b
ONBUILD ENV A=1 B=2
ONBUILD CMD ["a", "b"]
