FROM alpine
RUN bash -s <<"X1"
X1
RUN echo after
