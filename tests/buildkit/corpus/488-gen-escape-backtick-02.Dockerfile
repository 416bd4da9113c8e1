# escape=`
FROM mcr.microsoft.com/windows/nanoserver:ltsc2022
COPY C:\temp\ C:\Program Files\dotnet
RUN echo C:\temp\ `
    && echo C:\Program Files\dotnet
WORKDIR C:\Program Files\dotnet
