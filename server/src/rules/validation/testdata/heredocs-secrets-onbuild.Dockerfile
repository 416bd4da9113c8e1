# syntax=docker/dockerfile:1.7
# check=skip=JSONArgsRecommended
ARG DOTNET_VERSION=10.0
FROM mcr.microsoft.com/dotnet/sdk:${DOTNET_VERSION} AS build
WORKDIR /src
COPY <<EOF /src/NuGet.config
<configuration />
EOF
RUN --mount=type=secret,id=nuget_token,env=NUGET_TOKEN \
    --mount=type=cache,target=/root/.nuget/packages,sharing=locked <<EOF
set -e
dotnet restore
dotnet publish -c Release -o /out
EOF
RUN [ -f /out/App.dll ] && echo "published"
RUN if [ "$(uname -m)" = "x86_64" ]; then echo amd64; fi
ONBUILD COPY . /src
ONBUILD RUN dotnet build
HEALTHCHECK NONE
STOPSIGNAL SIGINT
LABEL org.opencontainers.image.source="https://github.com/example/app" \
      org.opencontainers.image.description="An \"example\" app"
ENV PATH="${PATH}:/root/.dotnet/tools" DOTNET_NOLOGO=true
VOLUME ["/data"]
EXPOSE 8080/tcp 8443

FROM build AS test
RUN --mount=type=bind,from=build,source=/out,target=/out dotnet test /src/tests

FROM mcr.microsoft.com/dotnet/runtime-deps:${DOTNET_VERSION}-noble-chiseled
COPY --from=build --chmod=755 /out/App /app/App
CMD ["/app/App"]
