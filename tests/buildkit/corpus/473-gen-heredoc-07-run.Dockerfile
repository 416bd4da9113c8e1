FROM alpine
RUN <<-SCRIPT
	echo hi
	RUN fake
	SCRIPT
RUN echo after
