FROM alpine
ADD <<"X1" /dst.txt
	echo tabbed
FROM fake
X1
RUN echo after
