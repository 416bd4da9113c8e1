FROM alpine
ARG SRC=src
COPY ${SRC}/ /app/
COPY --from=${STAGE:-build} $SRC /x
