# escape=`
FROM alpine
RUN echo C:\path\
RUN echo next
