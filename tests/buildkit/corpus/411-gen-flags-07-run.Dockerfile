FROM alpine
RUN --mount=type=ssh,id=default --security=sandbox --mount=type=cache,id=nuget,target=/root/.nuget/packages,sharing=locked --mount=type=tmpfs,target=/tmp dotnet restore
