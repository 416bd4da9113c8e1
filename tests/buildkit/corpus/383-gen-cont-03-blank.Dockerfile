FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends curl \  
   
 git && \
   rm \
   -rf /var/lib/apt/lists/*
# trailing
CMD ["bash"]
