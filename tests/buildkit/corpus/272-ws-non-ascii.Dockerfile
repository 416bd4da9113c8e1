FROM alpine
LABEL title="日本語🐳"
RUN echo "héllo wörld" && echo 🐳
ENV GREETING=こんにちは
# コメント
WORKDIR /données
