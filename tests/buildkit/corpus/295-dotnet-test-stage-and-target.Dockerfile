FROM mcr.microsoft.com/dotnet/sdk:8.0 AS base
WORKDIR /src
COPY . .

FROM base AS test
RUN dotnet test --logger "trx;LogFileName=results.trx" --results-directory /testresults

FROM base AS publish
RUN dotnet publish src/Api -c Release -o /out

FROM scratch AS export-test-results
COPY --from=test /testresults /
