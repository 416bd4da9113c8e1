FROM alpine
RUN --mount=type=tmpfs,target=/tmp  --security=sandbox  --network=none  ["dotnet", "build"]
