# escape=`
FROM mcr.microsoft.com/windows/nanoserver:ltsc2022
COPY C:\Program Files\dotnet C:\app
RUN echo C:\Program Files\dotnet `
    && echo C:\app
WORKDIR C:\app
