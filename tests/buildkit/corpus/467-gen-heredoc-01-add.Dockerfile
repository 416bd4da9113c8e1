FROM alpine
ADD <<-"end" /dst.txt
		echo tabbed
		echo tabbed
	RUN fake
	end
RUN echo after
