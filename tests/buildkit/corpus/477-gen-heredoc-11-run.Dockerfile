FROM alpine
RUN cat <<SCRIPT
echo a \
  indented
echo hi
SCRIPT
RUN echo after
