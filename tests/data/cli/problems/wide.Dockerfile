FROM mcr.microsoft.com/dotnet/aspnet:10.0.11
LABEL title="日本🐳" version
