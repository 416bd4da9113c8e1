FROM debian:bookworm-slim
RUN apt-get \  
	 update && apt-get install \	
     -y \ 
    # indented comment
 --no-install-recommends \
    # indented comment
	 curl git \ 	 
 && \
 rm -rf \	
     /var/lib/apt/lists/*
CMD ["bash"]
