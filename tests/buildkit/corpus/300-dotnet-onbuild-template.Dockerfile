FROM mcr.microsoft.com/dotnet/sdk:8.0 AS builder-template
WORKDIR /src
ONBUILD COPY *.csproj ./
ONBUILD RUN dotnet restore
ONBUILD COPY . ./
ONBUILD RUN dotnet publish -c Release -o /out
