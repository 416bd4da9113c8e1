FROM alpine
RUN echo hi
ENV A=1 B=2
CMD ["sh"]
