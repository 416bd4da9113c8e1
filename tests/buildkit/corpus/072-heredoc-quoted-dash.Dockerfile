FROM alpine
RUN <<-'EOT'
	echo hi
	EOT
