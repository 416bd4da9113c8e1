FROM mcr.microsoft.com/dotnet/sdk:10.0.400 AS build
WORKDIR /src
RUN <<EOF
dotnet --info
