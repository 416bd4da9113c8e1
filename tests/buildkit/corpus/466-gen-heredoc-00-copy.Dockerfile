FROM alpine
COPY <<'EOF' /dst.txt
echo hi
RUN fake
	echo tabbed
EOF
RUN echo after
