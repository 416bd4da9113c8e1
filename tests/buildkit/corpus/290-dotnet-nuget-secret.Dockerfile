# syntax=docker/dockerfile:1
FROM mcr.microsoft.com/dotnet/sdk:8.0 AS build
WORKDIR /src
COPY ["src/App/App.csproj", "src/App/"]
RUN --mount=type=secret,id=nugetconfig \
    dotnet restore "src/App/App.csproj" --configfile /run/secrets/nugetconfig
RUN --mount=type=secret,id=nuget_token,env=NUGET_TOKEN \
    dotnet nuget add source https://pkgs.dev.azure.com/org/_packaging/feed/nuget/v3/index.json \
      --name feed --username docker --password "$NUGET_TOKEN" --store-password-in-clear-text
