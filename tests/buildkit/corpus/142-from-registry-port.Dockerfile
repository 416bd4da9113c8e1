FROM localhost:5000/team/app:1.2.3
FROM myregistry.azurecr.io:443/dotnet/aspnet:8.0-alpine AS runtime
