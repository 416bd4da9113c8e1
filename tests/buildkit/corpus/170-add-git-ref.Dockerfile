FROM alpine
ADD git@github.com:dotnet/aspnetcore.git#v8.0.0 /src
