FROM mcr.microsoft.com/dotnet/sdk:8.0 AS migrations
RUN dotnet tool install --global dotnet-ef --version 8.0.8
ENV PATH="${PATH}:/root/.dotnet/tools"
WORKDIR /src
COPY . .
RUN dotnet ef migrations bundle --project src/Infrastructure --startup-project src/Api -o /efbundle --self-contained -r linux-x64
ENTRYPOINT ["/efbundle", "--connection", "${CONNECTION_STRING}"]
