# syntax=docker/dockerfile:1
# check=error=true

# SDK_VERSION and DOTNET_VERSION are exact versions: rebuilds are reproducible, and updates deliberate.
ARG SDK_VERSION=10.0.400
ARG DOTNET_VERSION=10.0.11

# build restores and publishes with the SDK, for the platform the image is built for.
FROM --platform=$BUILDPLATFORM mcr.microsoft.com/dotnet/sdk:${SDK_VERSION} AS build
ARG TARGETARCH
ARG BUILD_CONFIGURATION=Release
WORKDIR /src

COPY ["global.json", "Directory.Build.props", "Directory.Packages.props", "NuGet.config", "./"]
COPY ["src/Api/Api.csproj", "src/Api/"]
COPY ["src/Domain/Domain.csproj", "src/Domain/"]
RUN --mount=type=cache,id=nuget,target=/root/.nuget/packages \
    dotnet restore "src/Api/Api.csproj" -a "$TARGETARCH"

COPY . .
RUN --mount=type=cache,id=nuget,target=/root/.nuget/packages \
    dotnet publish "src/Api/Api.csproj" -c "$BUILD_CONFIGURATION" -a "$TARGETARCH" \
        --no-restore -o /app/publish /p:UseAppHost=false

# final runs on the chiseled ASP.NET Core runtime: no shell, non-root by default.
FROM mcr.microsoft.com/dotnet/aspnet:${DOTNET_VERSION}-noble-chiseled AS final
WORKDIR /app
ENV ASPNETCORE_HTTP_PORTS=8080 \
    DOTNET_RUNNING_IN_CONTAINER=true
EXPOSE 8080
COPY --from=build --link /app/publish .
USER $APP_UID
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 \
    CMD ["dotnet", "Api.dll", "--health-check"]
ENTRYPOINT ["dotnet", "Api.dll"]
