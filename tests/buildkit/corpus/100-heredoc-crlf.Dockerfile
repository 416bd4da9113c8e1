FROM alpine
RUN <<EOF
echo windows
EOF
CMD ["sh"]
