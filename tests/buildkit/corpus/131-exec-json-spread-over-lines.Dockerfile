FROM alpine
RUN [ "sh", \
      "-c", \
      "echo hi" ]
