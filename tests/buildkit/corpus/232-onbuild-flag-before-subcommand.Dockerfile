FROM alpine
ONBUILD --foo=bar RUN echo hi
