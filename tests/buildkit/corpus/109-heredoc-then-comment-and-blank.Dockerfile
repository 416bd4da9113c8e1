FROM alpine
RUN <<EOF
echo hi
EOF

# after

RUN echo next
