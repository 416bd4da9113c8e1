FROM alpine
RUN <<end
	echo tabbed
end
RUN echo after
