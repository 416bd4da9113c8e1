# escape=`
FROM mcr.microsoft.com/dotnet/framework/sdk:4.8-windowsservercore-ltsc2022 AS build
SHELL ["powershell", "-Command", "$ErrorActionPreference = 'Stop'; $ProgressPreference = 'SilentlyContinue';"]
WORKDIR C:\src
COPY *.sln .
COPY WebApp\*.csproj .\WebApp\
COPY WebApp\*.config .\WebApp\
RUN nuget restore
COPY WebApp\. .\WebApp\
RUN msbuild /p:Configuration=Release `
    /p:DeployOnBuild=true `
    /p:PublishUrl=C:\publish
FROM mcr.microsoft.com/dotnet/framework/aspnet:4.8-windowsservercore-ltsc2022
COPY --from=build C:\publish C:\inetpub\wwwroot
