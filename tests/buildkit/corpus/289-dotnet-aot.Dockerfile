FROM mcr.microsoft.com/dotnet/sdk:8.0 AS build
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
       clang zlib1g-dev
ARG BUILD_CONFIGURATION=Release
WORKDIR /src
COPY ["AotApp.csproj", "."]
RUN dotnet restore "./AotApp.csproj"
COPY . .
RUN dotnet publish "./AotApp.csproj" -c $BUILD_CONFIGURATION -o /app/publish /p:PublishAot=true /p:StripSymbols=true

FROM mcr.microsoft.com/dotnet/runtime-deps:8.0-jammy-chiseled AS final
WORKDIR /app
EXPOSE 8080
COPY --from=build /app/publish .
ENTRYPOINT ["./AotApp"]
