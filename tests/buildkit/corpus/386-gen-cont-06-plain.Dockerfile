FROM debian:bookworm-slim
RUN apt-get update \ 	 
    # indented comment
	 && apt-get install \
    # indented comment
	 -y \
# comment
   --no-install-recommends curl git && \ 
   rm -rf /var/lib/apt/lists/*
# trailing
CMD ["bash"]
