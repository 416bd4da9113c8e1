FROM alpine
RUN bash -s <<-EOT
	echo hi
	  indented
	  indented
	EOT
RUN echo after
