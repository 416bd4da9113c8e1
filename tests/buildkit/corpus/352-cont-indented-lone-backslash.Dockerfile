FROM alpine
   \
RUN y
