FROM alpine
RUN --mount=type=bind,target=.	--mount=type=ssh,id=default	--security=insecure	--mount=type=secret,id=npmrc	dotnet restore
