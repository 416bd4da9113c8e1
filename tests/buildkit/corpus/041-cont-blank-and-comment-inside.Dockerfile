FROM alpine
RUN echo a \

# note

    b
RUN echo c
