FROM mcr.microsoft.com/dotnet/sdk:8.0
RUN --mount=type=cache,id=nuget,target=/root/.nuget/packages \
    --mount=type=bind,source=src,target=/src,rw \
    --mount=type=secret,id=nugetconfig,target=/root/.nuget/NuGet/NuGet.Config \
    --mount=type=ssh \
    --mount=type=tmpfs,target=/tmp \
    dotnet restore /src/App.sln
