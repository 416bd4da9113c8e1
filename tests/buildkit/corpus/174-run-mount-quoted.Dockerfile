FROM alpine
RUN --mount=type=secret,id=token,env=TOKEN "echo" "$TOKEN"
RUN --mount="type=cache,target=/root/.cache" pip install x
