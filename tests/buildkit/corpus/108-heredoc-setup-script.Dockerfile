# syntax=docker/dockerfile:1.4
FROM mcr.microsoft.com/dotnet/sdk:8.0 AS build
RUN <<EOF
set -e
dotnet --info
dotnet tool install --global dotnet-ef
EOF
ENV PATH="$PATH:/root/.dotnet/tools"
