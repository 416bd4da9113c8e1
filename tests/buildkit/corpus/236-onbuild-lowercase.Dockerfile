FROM alpine
onbuild run echo hi
OnBuild Workdir /app
