FROM debian:bookworm-slim
RUN apt-get \
   
     update \ 	 
    # indented comment
 && \ 	 
   apt-get \ 
	 install -y \ 	 
# comment
   --no-install-recommends curl git && rm \ 	 
   -rf /var/lib/apt/lists/*

CMD ["bash"]
