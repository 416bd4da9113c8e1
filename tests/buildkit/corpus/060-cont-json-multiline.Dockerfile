FROM alpine
CMD ["dotnet", \
     "App.dll", \
     "--urls", "http://+:8080"]
