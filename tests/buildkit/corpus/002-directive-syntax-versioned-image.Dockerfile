# syntax=docker.io/docker/dockerfile:1.7-labs
FROM alpine
COPY --parents ./src/**/*.csproj /out/
