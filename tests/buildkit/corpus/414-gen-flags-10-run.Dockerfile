FROM alpine
RUN --mount=type=bind,target=.	dotnet restore
