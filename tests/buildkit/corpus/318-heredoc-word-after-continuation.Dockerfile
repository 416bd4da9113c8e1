FROM alpine
RUN echo \
<<EOF
body
EOF
