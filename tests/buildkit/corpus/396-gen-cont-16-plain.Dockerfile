FROM debian:bookworm-slim
RUN apt-get \ 
    # indented comment
 update && apt-get \ 
     install \ 
   -y --no-install-recommends \
    # indented comment
     curl git && rm \ 
	 -rf /var/lib/apt/lists/*

CMD ["bash"]
