from mcr.microsoft.com/dotnet/sdk:8.0 as build
workdir /src
copy . .
run dotnet publish -c release -o /out

from mcr.microsoft.com/dotnet/aspnet:8.0
copy --from=build /out /app
entrypoint ["dotnet", "/app/App.dll"]
