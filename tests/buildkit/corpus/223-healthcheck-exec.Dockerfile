FROM alpine
HEALTHCHECK --interval=5m CMD ["dotnet", "healthcheck.dll"]
