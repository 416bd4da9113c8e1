FROM alpine
RUN --mount=type=cache,target=/root/.nuget/packages ["dotnet", "build"]
