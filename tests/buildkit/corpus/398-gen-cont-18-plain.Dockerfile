FROM debian:bookworm-slim
RUN apt-get update && apt-get \ 	 
     install \
     -y --no-install-recommends curl git \ 
 && rm \ 
    # indented comment
 -rf /var/lib/apt/lists/*

CMD ["bash"]
