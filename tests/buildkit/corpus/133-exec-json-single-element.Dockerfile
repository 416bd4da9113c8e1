FROM alpine
ENTRYPOINT ["dotnet"]
