FROM debian:bookworm-slim
RUN apt-get update && \  
   apt-get \
    # indented comment
	 install \ 
   -y --no-install-recommends curl git && rm \  
	 -rf /var/lib/apt/lists/*

CMD ["bash"]
