# escape=`
FROM mcr.microsoft.com/windows/nanoserver:ltsc2022
COPY bin\Release\net8.0\ .\src\App\
RUN echo bin\Release\net8.0\ `
    && echo .\src\App\
WORKDIR .\src\App\
