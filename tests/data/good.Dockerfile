# syntax=docker/dockerfile:1
# check=error=true

# A best-practice multi-stage Dockerfile for an ASP.NET Core app on .NET 10.

# DOTNET_VERSION selects the SDK and runtime images.
ARG DOTNET_VERSION=10.0

FROM --platform=$BUILDPLATFORM mcr.microsoft.com/dotnet/sdk:${DOTNET_VERSION} AS build
ARG TARGETARCH
ARG CONFIGURATION=Release
WORKDIR /src

# Restore first so that the package layer is cached until a project file changes.
COPY --link src/Api/Api.csproj src/Api/
RUN --mount=type=cache,id=nuget-$TARGETARCH,target=/root/.nuget/packages \
    dotnet restore src/Api/Api.csproj -a $TARGETARCH

COPY --link src/ src/
RUN --mount=type=cache,id=nuget-$TARGETARCH,target=/root/.nuget/packages \
    dotnet publish src/Api/Api.csproj -c $CONFIGURATION -a $TARGETARCH --no-restore -o /app

FROM mcr.microsoft.com/dotnet/aspnet:${DOTNET_VERSION}-noble-chiseled AS final
WORKDIR /app
LABEL org.opencontainers.image.title="Api" \
      org.opencontainers.image.source="https://example.com/api"
ENV ASPNETCORE_ENVIRONMENT=Production
EXPOSE 8080
COPY --link --from=build /app .
USER $APP_UID
HEALTHCHECK NONE
ENTRYPOINT ["dotnet", "Api.dll"]
