FROM alpine
RUN <<EOF
FROM ubuntu
RUN echo nested
EOF
CMD ["sh"]
