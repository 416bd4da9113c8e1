FROM alpine
RUN echo hi # not a comment
ENV A=1#2
CMD ["sh", "#not"]
