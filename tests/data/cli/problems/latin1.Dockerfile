FROM mcr.microsoft.com/dotnet/runtime-deps:10.0.11
LABEL description="café"
