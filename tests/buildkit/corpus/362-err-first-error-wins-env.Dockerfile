FROM alpine
ENV X
CMD [1]
RUN <<EOF
