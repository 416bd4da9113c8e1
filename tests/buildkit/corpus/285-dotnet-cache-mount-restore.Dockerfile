# syntax=docker/dockerfile:1
FROM mcr.microsoft.com/dotnet/sdk:8.0 AS build
WORKDIR /source
COPY --link *.csproj .
RUN --mount=type=cache,id=nuget,target=/root/.nuget/packages dotnet restore
COPY --link . .
RUN --mount=type=cache,id=nuget,target=/root/.nuget/packages \
    dotnet publish --no-restore -o /app
