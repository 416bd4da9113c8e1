# escape=`
FROM alpine
RUN x``
RUN y \
RUN z
