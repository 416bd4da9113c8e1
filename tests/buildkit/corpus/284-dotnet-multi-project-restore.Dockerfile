FROM mcr.microsoft.com/dotnet/sdk:8.0 AS build
WORKDIR /src
COPY ["App.sln", "./"]
COPY ["Directory.Build.props", "Directory.Packages.props", "./"]
COPY ["src/Api/Api.csproj", "src/Api/"]
COPY ["src/Domain/Domain.csproj", "src/Domain/"]
COPY ["src/Infrastructure/Infrastructure.csproj", "src/Infrastructure/"]
COPY ["tests/Api.Tests/Api.Tests.csproj", "tests/Api.Tests/"]
RUN dotnet restore "App.sln"
COPY . .
RUN dotnet test "tests/Api.Tests/Api.Tests.csproj" --no-restore
RUN dotnet publish "src/Api/Api.csproj" -c Release -o /app/publish --no-restore
