ARG TAG=8.0
ARG V
FROM mcr.microsoft.com/dotnet/aspnet:${TAG}
FROM mcr.microsoft.com/dotnet/sdk:${V:-9.0} AS build
FROM alpine:$TAG
