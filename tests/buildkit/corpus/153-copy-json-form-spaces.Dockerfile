FROM alpine
COPY ["src/My App/My App.csproj", "src/My App/"]
COPY --chown=1000 ["a b", "c d", "/dst dir/"]
