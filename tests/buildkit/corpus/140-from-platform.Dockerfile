FROM --platform=linux/amd64 alpine AS a
FROM --platform=$BUILDPLATFORM mcr.microsoft.com/dotnet/sdk:8.0 AS build
FROM --platform=${TARGETPLATFORM} alpine
