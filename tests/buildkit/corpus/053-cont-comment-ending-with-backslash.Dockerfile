FROM alpine
# this comment ends with a backslash \
RUN echo hi
