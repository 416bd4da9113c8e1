FROM alpine
RUN <<-EOF
	echo hello
		echo indented
	EOF
