FROM alpine
RUN echo <<EOF\
x
EOF
