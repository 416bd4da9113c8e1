ARG DOTNET_VERSION=8.0
FROM mcr.microsoft.com/dotnet/aspnet:${DOTNET_VERSION}-jammy-chiseled-composite-extra AS runtime
FROM mcr.microsoft.com/dotnet/sdk:${DOTNET_VERSION}-jammy AS sdk
FROM mcr.microsoft.com/dotnet/nightly/sdk:9.0-preview AS preview
