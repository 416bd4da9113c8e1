FROM alpine
RUN 1<<-end
	end
RUN echo after
