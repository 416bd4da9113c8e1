FROM alpine
ONBUILD RUN <<EOF
echo on build
EOF
RUN echo after
