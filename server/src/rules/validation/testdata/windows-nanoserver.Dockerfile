# escape=`

FROM mcr.microsoft.com/dotnet/sdk:8.0-windowsservercore-ltsc2022 AS build
SHELL ["powershell", "-Command", "$ErrorActionPreference = 'Stop'; $ProgressPreference = 'SilentlyContinue';"]
WORKDIR C:\src
COPY *.csproj .
RUN dotnet restore `
    --runtime win-x64
COPY . .
RUN dotnet publish -c Release -o C:\app --no-restore; `
    Remove-Item -Recurse -Force C:\src\obj

FROM mcr.microsoft.com/dotnet/aspnet:8.0-nanoserver-ltsc2022
WORKDIR C:\app
COPY --from=build C:\app .
USER ContainerUser
ENTRYPOINT ["dotnet", "aspnetapp.dll"]
