FROM alpine
RUN cat 2<<-"SCRIPT"
SCRIPT
RUN echo after
