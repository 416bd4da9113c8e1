FROM alpine
COPY <<-'SCRIPT' /dst.txt
	SCRIPT
RUN echo after
