use super::*;
use crate::syntax::parse;

const VS_TEMPLATE: &str = r#"ARG DOTNET_VERSION=8.0
FROM mcr.microsoft.com/dotnet/aspnet:${DOTNET_VERSION} AS base
USER $APP_UID
WORKDIR /app
EXPOSE 8080

FROM mcr.microsoft.com/dotnet/sdk:${DOTNET_VERSION:-9.0} AS build
ARG BUILD_CONFIGURATION=Release
WORKDIR /src
COPY ["src/Api/Api.csproj", "src/Api/"]
RUN dotnet restore "./src/Api/Api.csproj"
COPY . .
RUN dotnet build "./src/Api/Api.csproj" -c $BUILD_CONFIGURATION -o /app/build

FROM build AS publish
RUN --mount=type=cache,from=build,target=/x dotnet publish "./src/Api/Api.csproj" -c $BUILD_CONFIGURATION -o /app/publish /p:UseAppHost=false

FROM base AS final
WORKDIR /app
COPY --from=publish /app/publish .
ENTRYPOINT ["dotnet", "Api.dll"]
"#;

#[test]
fn stages_bases_and_references() {
    let tree = parse(VS_TEMPLATE);
    let model = Model::build(&tree);
    assert_eq!(model.stages.len(), 4);
    let names: Vec<_> = model
        .stages
        .iter()
        .map(|s| s.name.as_ref().unwrap().text.as_str())
        .collect();
    assert_eq!(names, ["base", "build", "publish", "final"]);
    match &model.stages[0].base {
        BaseImage::Image { resolved, .. } => {
            assert_eq!(resolved.text, "mcr.microsoft.com/dotnet/aspnet:8.0")
        }
        other => panic!("{other:?}"),
    }
    match &model.stages[1].base {
        BaseImage::Image { resolved, .. } => {
            assert_eq!(resolved.text, "mcr.microsoft.com/dotnet/sdk:8.0")
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(model.stages[2].base, BaseImage::Stage(1));
    assert_eq!(model.stages[3].base, BaseImage::Stage(0));
    assert_eq!(model.root_stage(3).unwrap().index, 0);
    assert_eq!(model.final_stage().unwrap().index, 3);
    let refs: Vec<_> = model
        .stage_refs
        .iter()
        .map(|r| (r.kind, r.name.as_str(), r.target))
        .collect();
    assert_eq!(
        refs,
        [
            (StageRefKind::From, "build", Some(1)),
            (StageRefKind::MountFrom, "build", Some(1)),
            (StageRefKind::From, "base", Some(0)),
            (StageRefKind::CopyFrom, "publish", Some(2)),
        ]
    );
    let mount = &model.stage_refs[1];
    assert_eq!(&VS_TEMPLATE[mount.range.as_range()], "build");
}

#[test]
fn dotnet_commands_with_variables_in_scope() {
    let tree = parse(VS_TEMPLATE);
    let model = Model::build(&tree);
    let verbs: Vec<_> = model
        .dotnet_commands
        .iter()
        .map(|d| (d.stage, d.command.verb.as_str()))
        .collect();
    assert_eq!(verbs, [(1, "restore"), (1, "build"), (2, "publish")]);
    let publish = &model.dotnet_commands[2];
    let config = publish.command.configuration.as_ref().unwrap();
    assert_eq!(
        &VS_TEMPLATE[config.range.as_range()],
        "$BUILD_CONFIGURATION"
    );
    // BUILD_CONFIGURATION is an ARG of the build stage: not inherited by `publish`.
    let expanded = model.expand_at(2, publish.instruction, &config.text);
    assert_eq!(expanded.unresolved, vec!["BUILD_CONFIGURATION"]);
    let build = &model.dotnet_commands[1];
    let expanded = model.expand_at(1, build.instruction, "$BUILD_CONFIGURATION");
    assert_eq!(expanded.text, "Release");
}

#[test]
fn env_carries_into_child_stages_and_arg_takes_global_default() {
    let text = "ARG V=10.0\nFROM alpine AS a\nENV APP=/app\nARG V\nFROM a\nRUN echo $APP $V";
    let tree = parse(text);
    let model = Model::build(&tree);
    let scope = model.scope_at(0, 99);
    assert!(scope.contains(&("V".to_string(), Some("10.0".to_string()))));
    let child = model.scope_at(1, 99);
    assert!(child.contains(&("APP".to_string(), Some("/app".to_string()))));
    assert!(!child.iter().any(|(n, _)| n == "V"));
}

#[test]
fn heredoc_and_exec_form_dotnet() {
    let text = "FROM sdk\nRUN <<EOF\nset -e\ndotnet publish App.csproj -c Release\nEOF\nRUN [\"dotnet\", \"test\", \"--no-build\"]\n";
    let tree = parse(text);
    let model = Model::build(&tree);
    assert_eq!(model.dotnet_commands.len(), 2);
    let p = &model.dotnet_commands[0].command;
    assert_eq!(&text[p.verb_range.as_range()], "publish");
    assert!(model.dotnet_commands[1].command.no_build);
}

#[test]
fn scratch_missing_and_undefined_image_vars() {
    let tree = parse("FROM scratch\nFROM\nFROM ${UNDEFINED}:1");
    let model = Model::build(&tree);
    assert_eq!(model.stages[0].base, BaseImage::Scratch);
    assert_eq!(model.stages[1].base, BaseImage::Missing);
    match &model.stages[2].base {
        BaseImage::Image { resolved, .. } => assert_eq!(resolved.unresolved, vec!["UNDEFINED"]),
        other => panic!("{other:?}"),
    }
}

#[test]
fn stage_lookup_ignores_case_and_texts_longer_than_any_name() {
    let text = "FROM alpine AS Build-Stage\nFROM BUILD-STAGE AS b\nFROM x AS B\nFROM build-stagex\nCOPY --from=Build-stage /a /b\nCOPY --from=BUILD-STAGE-LONGER /a /b\nFROM b\n";
    let model = Model::build(&parse(text));
    assert_eq!(model.stages[1].base, BaseImage::Stage(0));
    assert!(matches!(model.stages[3].base, BaseImage::Image { .. }));
    // The first stage of a name keeps it.
    assert_eq!(model.stages[4].base, BaseImage::Stage(1));
    assert_eq!(model.stage_by_name("build-STAGE").map(|s| s.index), Some(0));
    assert_eq!(model.stage_by_name("B").map(|s| s.index), Some(1));
    assert!(model.stage_by_name("build-stage-longer").is_none());
    let targets: Vec<_> = model
        .stage_refs
        .iter()
        .map(|r| (r.name.as_str(), r.target))
        .collect();
    assert_eq!(
        targets,
        [
            ("BUILD-STAGE", Some(0)),
            ("Build-stage", Some(0)),
            ("BUILD-STAGE-LONGER", None),
            ("b", Some(1)),
        ]
    );
}

#[test]
fn words_that_are_no_dotnet_command_leave_no_command_behind() {
    let text = "FROM sdk\nRUN dotnet --info && dotnet build App.csproj -c Release; dotnet\nRUN <<EOF\ndotnet -h\ndotnet test T.csproj\nEOF\n";
    let model = Model::build(&parse(text));
    let commands: Vec<_> = model
        .dotnet_commands
        .iter()
        .map(|d| {
            let c = &d.command;
            (
                d.instruction,
                c.verb.as_str(),
                c.project.as_ref().map(|p| p.text.as_str()),
                c.configuration.as_ref().map(|p| p.text.as_str()),
            )
        })
        .collect();
    assert_eq!(
        commands,
        [
            (1, "build", Some("App.csproj"), Some("Release")),
            (2, "test", Some("T.csproj"), None),
        ]
    );
}

/// The model built while parsing (as the analysis builds it) is the one built from the
/// finished tree, over the BuildKit corpus, the fuzz seeds and the bench's generated file.
/// Both run the same builder: what this guards is the parser's side, that each instruction
/// reaches the sink complete (heredocs, continuation map, ONBUILD trigger) and with its index
/// in the tree.
#[test]
fn the_model_built_while_parsing_is_the_one_built_after() {
    let mut texts =
        crate::bench_support::corpus_texts(&["tests/buildkit/corpus", "fuzz/seeds/analysis"]);
    texts.extend([
        crate::bench_support::generated_dockerfile(400),
        "ARG A=1\nFROM x AS a\nONBUILD RUN dotnet build\nFROM a\nCOPY --from=a . .\n".to_string(),
        String::new(),
    ]);
    assert!(texts.len() > 400, "found {} texts", texts.len());
    let (mut stages, mut commands) = (0, 0);
    for text in &texts {
        let mut builder = super::ModelBuilder::default();
        let (tree, _) = crate::syntax::parse_visiting(text, &mut builder);
        let along = builder.finish();
        let after = Model::build(&tree);
        // The name table's capacity (and so its order) may differ: compared by lookups.
        assert_eq!(
            format!(
                "{:?}",
                (
                    &along.stages,
                    &along.global_args,
                    &along.stage_vars,
                    &along.stage_refs,
                    &along.dotnet_commands
                )
            ),
            format!(
                "{:?}",
                (
                    &after.stages,
                    &after.global_args,
                    &after.stage_vars,
                    &after.stage_refs,
                    &after.dotnet_commands
                )
            ),
            "{text:?}"
        );
        for stage in &after.stages {
            if let Some(name) = &stage.name {
                assert_eq!(
                    along.stage_by_name(&name.text).map(|s| s.index),
                    after.stage_by_name(&name.text).map(|s| s.index),
                    "{text:?}"
                );
            }
        }
        stages += along.stages.len();
        commands += along.dotnet_commands.len();
    }
    assert!(
        stages > 500 && commands > 100,
        "{stages} stages, {commands} commands"
    );
}
