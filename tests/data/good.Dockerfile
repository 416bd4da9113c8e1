# syntax=docker/dockerfile:1

# Build on the build machine's platform, publish for the target's architecture.
FROM --platform=$BUILDPLATFORM mcr.microsoft.com/dotnet/sdk:10.0.100 AS build
ARG TARGETARCH
WORKDIR /src

# Restore first, from the project files only, so the restore layer survives code changes.
COPY ["src/Api/Api.csproj", "src/Api/"]
COPY Directory.Build.props Directory.Packages.props NuGet.config ./
RUN --mount=type=cache,id=nuget,target=/root/.nuget/packages \
    dotnet restore "src/Api/Api.csproj" -a "$TARGETARCH"

COPY src/ src/
RUN --mount=type=cache,id=nuget,target=/root/.nuget/packages \
    dotnet publish "src/Api/Api.csproj" -c Release -a "$TARGETARCH" --no-restore -o /app/publish

FROM mcr.microsoft.com/dotnet/aspnet:10.0.0 AS final
WORKDIR /app
EXPOSE 8080
COPY --from=build /app/publish .
USER $APP_UID
ENTRYPOINT ["dotnet", "Api.dll"]
