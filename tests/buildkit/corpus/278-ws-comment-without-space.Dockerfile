#comment
FROM alpine
#RUN echo disabled
RUN echo enabled
