FROM mcr.microsoft.com/dotnet/aspnet:8.0
RUN groupadd --system --gid 1001 appgroup \
 && useradd --system --uid 1001 --gid appgroup --no-create-home appuser
COPY --chown=appuser:appgroup --chmod=0550 publish/ /app/
USER appuser:appgroup
WORKDIR /app
ENTRYPOINT ["dotnet", "App.dll"]
