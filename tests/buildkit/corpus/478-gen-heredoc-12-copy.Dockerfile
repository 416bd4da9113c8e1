FROM alpine
COPY <<X1 /dst.txt

  indented
	echo tabbed
FROM fake
X1
RUN echo after
