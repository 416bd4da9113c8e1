# syntax=docker/dockerfile:1.7-labs
FROM alpine
COPY --from=build --chown=app:app --chmod=0755 --link /app/publish /app
COPY --link=false a /b
COPY --parents ./src/*/obj/project.assets.json /out/
COPY --exclude=**/*.md --exclude=bin/ . /src/
