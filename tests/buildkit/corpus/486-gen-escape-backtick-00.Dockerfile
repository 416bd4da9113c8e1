# escape=`
FROM mcr.microsoft.com/windows/nanoserver:ltsc2022
COPY C:\temp\ bin\Release\net8.0\
RUN echo C:\temp\ `
    && echo bin\Release\net8.0\
WORKDIR bin\Release\net8.0\
