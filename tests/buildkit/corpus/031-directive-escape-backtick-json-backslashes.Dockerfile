# escape=`
FROM mcr.microsoft.com/dotnet/sdk:8.0-nanoserver-ltsc2022
SHELL ["pwsh", "-Command", "$ErrorActionPreference = 'Stop';"]
RUN New-Item -ItemType Directory C:\src `
    -Force
COPY ["src\\App\\App.csproj", "src\\App\\"]
