//! Checks over the whole BuildKit rule set.

use super::RULES;
use crate::analysis::analyze;
use crate::rules::test_support::test_env;
use crate::rules::Origin;

const GOOD: &str = include_str!("../../../../tests/data/good.Dockerfile");

#[test]
fn every_buildkit_check_is_declared_with_its_docs_link() {
    let names: Vec<&str> = RULES.iter().map(|r| r.meta().name).collect();
    assert_eq!(
        names,
        [
            "StageNameCasing",
            "FromAsCasing",
            "NoEmptyContinuation",
            "ConsistentInstructionCasing",
            "DuplicateStageName",
            "ReservedStageName",
            "JSONArgsRecommended",
            "MaintainerDeprecated",
            "UndefinedArgInFrom",
            "WorkdirRelativePath",
            "UndefinedVar",
            "MultipleInstructionsDisallowed",
            "LegacyKeyValueFormat",
            "InvalidBaseImagePlatform",
            "RedundantTargetPlatform",
            "SecretsUsedInArgOrEnv",
            "InvalidDefaultArgInFrom",
            "FromPlatformFlagConstDisallowed",
            "CopyIgnoredFile",
            "InvalidDefinitionDescription",
            "ExposeProtoCasing",
            "ExposeInvalidFormat",
        ]
    );
    for rule in RULES {
        let meta = rule.meta();
        assert_eq!(meta.origin, Origin::BuildKit);
        for section in [
            "## What it does",
            "## Why is this bad?",
            "## Example",
            "## Use instead",
            "## Fix safety",
        ] {
            assert!(meta.docs.contains(section), "{} lacks {section}", meta.name);
        }
    }
    let url = |name: &str| {
        RULES
            .iter()
            .map(|r| r.meta())
            .find(|m| m.name == name)
            .map(|m| m.docs_url())
    };
    assert_eq!(
        url("JSONArgsRecommended").as_deref(),
        Some("https://docs.docker.com/go/dockerfile/rule/json-args-recommended/")
    );
    assert_eq!(
        url("FromPlatformFlagConstDisallowed").as_deref(),
        Some("https://docs.docker.com/go/dockerfile/rule/from-platform-flag-const-disallowed/")
    );
    let experimental: Vec<&str> = RULES
        .iter()
        .map(|r| r.meta())
        .filter(|m| !m.default_enabled)
        .map(|m| m.name)
        .collect();
    // CopyIgnoredFile is experimental in BuildKit, but Dockside knows the build context.
    assert_eq!(experimental, ["InvalidDefinitionDescription"]);
}

#[test]
fn the_good_dockerfile_passes_every_check() {
    // Experimental checks too: they are off by default.
    assert!(GOOD.contains("# check=error=true\n"));
    let text = GOOD.replace(
        "# check=error=true\n",
        "# check=error=true;experimental=all\n",
    );
    let analysis = analyze(&text, &test_env());
    let findings: Vec<String> = analysis
        .diagnostics
        .iter()
        .filter(|d| RULES.iter().any(|r| r.meta().name == d.code))
        .map(|d| format!("{} {}", d.code, d.message))
        .collect();
    assert_eq!(findings, Vec::<String>::new());
}

/// Visual Studio's template for an ASP.NET Core project.
const VISUAL_STUDIO_TEMPLATE: &str = r#"#See https://aka.ms/customizecontainer to learn how to customize your debug container.

FROM mcr.microsoft.com/dotnet/aspnet:8.0 AS base
USER app
WORKDIR /app
EXPOSE 8080
EXPOSE 8081

FROM mcr.microsoft.com/dotnet/sdk:8.0 AS build
ARG BUILD_CONFIGURATION=Release
WORKDIR /src
COPY ["WebApp/WebApp.csproj", "WebApp/"]
RUN dotnet restore "./WebApp/WebApp.csproj"
COPY . .
WORKDIR "/src/WebApp"
RUN dotnet build "./WebApp.csproj" -c $BUILD_CONFIGURATION -o /app/build

FROM build AS publish
ARG BUILD_CONFIGURATION=Release
RUN dotnet publish "./WebApp.csproj" -c $BUILD_CONFIGURATION -o /app/publish /p:UseAppHost=false

FROM base AS final
WORKDIR /app
COPY --from=publish /app/publish .
ENTRYPOINT ["dotnet", "WebApp.dll"]
"#;

#[test]
fn the_visual_studio_template_passes_every_check() {
    let analysis = analyze(VISUAL_STUDIO_TEMPLATE, &test_env());
    let findings: Vec<&str> = analysis
        .diagnostics
        .iter()
        .filter(|d| RULES.iter().any(|r| r.meta().name == d.code))
        .map(|d| d.message.as_str())
        .collect();
    assert_eq!(findings, Vec::<&str>::new());
}

/// Every finding on the parser's differential corpus (501 files: every instruction form,
/// escapes, CRLF, BOM, heredocs, invalid files) lies on character boundaries of the text.
#[test]
fn ranges_are_valid_on_the_whole_corpus() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/buildkit/corpus");
    let mut checked = 0;
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let Ok(bytes) = std::fs::read(entry.path()) else {
            continue;
        };
        let analysis = crate::analysis::analyze_bytes(&bytes, &test_env());
        for d in analysis
            .diagnostics
            .iter()
            .filter(|d| RULES.iter().any(|r| r.meta().name == d.code))
        {
            assert!(
                analysis.text.get(d.range.as_range()).is_some(),
                "{:?}: {} at {:?}",
                entry.path(),
                d.code,
                d.range
            );
        }
        checked += 1;
    }
    assert!(checked > 400, "corpus files checked: {checked}");
}
