# escape=`
FROM mcr.microsoft.com/windows/nanoserver:ltsc2022
COPY .\src\App\ C:\Program Files\dotnet
RUN echo .\src\App\ `
    && echo C:\Program Files\dotnet
WORKDIR C:\Program Files\dotnet
