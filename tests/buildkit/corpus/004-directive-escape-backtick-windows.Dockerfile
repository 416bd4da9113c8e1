# escape=`
FROM mcr.microsoft.com/windows/nanoserver:ltsc2022
WORKDIR C:\app
COPY bin\Release\net8.0\publish\ C:\app\
RUN dir C:\app `
    && echo done
ENTRYPOINT ["C:\\app\\App.exe"]
