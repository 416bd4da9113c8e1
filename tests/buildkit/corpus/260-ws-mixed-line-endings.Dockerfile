FROM alpine
RUN echo a \
    b
RUN echo c
CMD ["sh"]
