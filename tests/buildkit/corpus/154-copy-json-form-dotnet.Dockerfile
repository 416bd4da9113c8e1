FROM mcr.microsoft.com/dotnet/sdk:8.0
COPY ["src/App/App.csproj", "src/App/"]
COPY ["src/App.Core/App.Core.csproj", "src/App.Core/"]
