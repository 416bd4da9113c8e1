FROM alpine
RUN --mount=type=cache,id=nuget,target=/root/.nuget/packages,sharing=locked \
    --security=sandbox \
    --mount=type=ssh,id=default \
    dotnet restore
