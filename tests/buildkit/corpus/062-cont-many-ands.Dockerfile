FROM debian:bookworm-slim
RUN set -eux; \
    apt-get update; \
    apt-get install -y --no-install-recommends \
        ca-certificates \
        curl \
        libicu72 \
        libssl3 \
        tzdata \
    ; \
    rm -rf /var/lib/apt/lists/*; \
    curl --version
