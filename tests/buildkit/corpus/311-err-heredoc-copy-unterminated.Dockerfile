FROM alpine
COPY <<EOF /dst
