FROM alpine
RUN --mount=type=secret,id=npmrc  --network=none  --network=host  --security=insecure  ["dotnet", "build"]
