# escape=`
FROM mcr.microsoft.com/windows/nanoserver:ltsc2022
COPY C:\app bin\Release\net8.0\
RUN echo C:\app `
    && echo bin\Release\net8.0\
WORKDIR bin\Release\net8.0\
