FROM alpine
ENTRYPOINT [ \
  "dotnet", \
# the dll
  "App.dll" \
]
