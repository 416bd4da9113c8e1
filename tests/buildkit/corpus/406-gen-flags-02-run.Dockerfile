FROM alpine
RUN --mount=type=bind,target=.  --network=host  --mount=type=tmpfs,target=/tmp  ["dotnet", "build"]
