FROM alpine
RUN apt-get update \
# install curl
    && apt-get install -y curl \
    # indented comment
    && rm -rf /var/lib/apt/lists/*
