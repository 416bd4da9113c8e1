FROM alpine
LABEL note=<<EOF
RUN echo after
