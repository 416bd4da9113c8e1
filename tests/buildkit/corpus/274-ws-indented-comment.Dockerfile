FROM alpine
    # indented comment
	# tab-indented comment
RUN echo hi
