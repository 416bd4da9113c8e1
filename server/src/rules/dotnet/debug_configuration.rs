use super::published::{
    configuration, product_name, published_app, stage_image, target_framework, Evidence,
};
use crate::declare_rule;
use crate::rules::{Diagnostics, RuleContext};
use crate::text::TextRange;

declare_rule! {
/// ## What it does
/// Checks that the build the final image ships is not a Debug build: `-c Debug` (also through
/// a variable such as `-c $BUILD_CONFIGURATION`, evaluated with the ARG and ENV values in
/// scope), `-p:Configuration=Debug`, a project that sets `Configuration` to Debug, or no `-c`
/// where the default is Debug: always for `dotnet build`, and for `dotnet publish` before
/// the .NET 8 SDK, for projects targeting .NET 7 or earlier, or with `PublishRelease` false.
///
/// ## Why is this bad?
/// Debug builds are compiled without optimizations, keep debug-only code paths and asserts,
/// and are slower and larger. Nothing fails, so the mistake ships unnoticed, typically
/// through the Visual Studio template's `BUILD_CONFIGURATION` argument set to Debug, or an
/// old SDK image whose `dotnet publish` still defaulted to Debug.
///
/// ## Example
/// ```dockerfile
/// FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
/// ARG BUILD_CONFIGURATION=Debug
/// RUN dotnet publish -c $BUILD_CONFIGURATION -o /app/publish
/// ```
///
/// ## Use instead
/// ```dockerfile
/// FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
/// ARG BUILD_CONFIGURATION=Release
/// RUN dotnet publish -c $BUILD_CONFIGURATION -o /app/publish
/// ```
///
/// ## Fix safety
/// No automatic fix.
///
/// ## References
/// - [dotnet publish uses the Release configuration (.NET 8)](https://learn.microsoft.com/dotnet/core/compatibility/sdk/8.0/dotnet-publish-config)
    DebugConfiguration {
        severity: Warning,
        origin: Dotnet,
        summary: "A Debug build is published into the final image.",
    }
}

impl DebugConfiguration {
    fn run(ctx: &RuleContext, out: &mut Diagnostics) {
        let Some(app) = published_app(ctx) else {
            return;
        };
        let Some(shipped) = &app.shipped else { return };
        if shipped.evidence == Evidence::LastBuild {
            return;
        }
        let invocation = shipped.invocation;
        let cmd = &invocation.command;
        let Some(config) = configuration(ctx, invocation, app.project) else {
            return;
        };
        if !config.name.eq_ignore_ascii_case("debug") {
            return;
        }
        let verb_range = TextRange::new(cmd.range.start(), cmd.verb_range.end());
        let (range, why) = match (config.range, &cmd.configuration) {
            (Some(range), Some(word)) => {
                let written = word.text.trim_matches('"');
                let why = if written == config.name {
                    format!("-c {written}")
                } else {
                    format!("-c {written} is {}", config.name)
                };
                (range, why)
            }
            (Some(range), None) => (range, format!("Configuration={}", config.name)),
            (None, _) => {
                let why = if let Some(origin) = app
                    .project
                    .and_then(|p| p.property("Configuration"))
                    .and_then(|p| p.origin.as_ref())
                {
                    let file = origin
                        .path
                        .file_name()
                        .map(|f| f.to_string_lossy().to_string())
                        .unwrap_or_default();
                    format!("Configuration is {} in {file}", config.name)
                } else if !cmd.is("publish") {
                    format!("dotnet {} without -c builds Debug", cmd.verb)
                } else {
                    let sdk = stage_image(ctx.model, invocation.stage)
                        .and_then(|i| i.sdk())
                        .map(|s| s.channel);
                    let tfm = app
                        .project
                        .and_then(|p| target_framework(ctx, invocation, p));
                    let publish_release_set = cmd.property("PublishRelease").is_some()
                        || app
                            .project
                            .and_then(|p| p.property("PublishRelease"))
                            .is_some();
                    match (sdk, tfm) {
                        (Some(sdk), _) if sdk.major < 8 => format!(
                            "dotnet publish without -c builds Debug with the {} SDK",
                            product_name(sdk)
                        ),
                        _ if publish_release_set => {
                            "PublishRelease is false: dotnet publish without -c builds Debug"
                                .to_string()
                        }
                        (_, Some(tfm)) => {
                            format!("dotnet publish without -c builds Debug for {tfm} projects")
                        }
                        _ => "dotnet publish without -c builds Debug".to_string(),
                    }
                };
                (verb_range, why)
            }
        };
        out.report(
            &Self::META,
            range,
            format!("The final image gets a Debug build ({why}): publish with -c Release"),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::dotnet::test_support::{check_rule_in_files, check_rule_in_solution};
    use crate::rules::test_support::check_rule;

    #[test]
    fn evaluates_the_configuration_variable() {
        assert_eq!(
            check_rule_in_solution("DebugConfiguration", "console-runtime-deps", "Dockerfile"),
            ["7:44-7:64 The final image gets a Debug build (-c $BUILD_CONFIGURATION is Debug): publish with -c Release"]
        );
    }

    #[test]
    fn literal_debug_and_old_sdk_defaults() {
        assert_eq!(
            check_rule(
                "DebugConfiguration",
                "FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build\nRUN dotnet publish -c Debug -o /out\nFROM mcr.microsoft.com/dotnet/aspnet:10.0\nCOPY --from=build /out /app\n"
            ),
            ["2:23-2:28 The final image gets a Debug build (-c Debug): publish with -c Release"]
        );
        assert_eq!(
            check_rule(
                "DebugConfiguration",
                "FROM mcr.microsoft.com/dotnet/sdk:7.0 AS build\nRUN dotnet publish -o /out\nFROM mcr.microsoft.com/dotnet/aspnet:7.0\nCOPY --from=build /out /app\n"
            ),
            ["2:5-2:19 The final image gets a Debug build (dotnet publish without -c builds Debug with the .NET 7 SDK): publish with -c Release"]
        );
        let csproj = "<Project Sdk=\"Microsoft.NET.Sdk\"><PropertyGroup><OutputType>Exe</OutputType><TargetFramework>net7.0</TargetFramework></PropertyGroup></Project>";
        assert_eq!(
            check_rule_in_files(
                "DebugConfiguration",
                &[
                    ("App/App.csproj", csproj),
                    ("Dockerfile", "FROM mcr.microsoft.com/dotnet/sdk:8.0 AS build\nWORKDIR /src\nCOPY . .\nRUN dotnet publish App/App.csproj -o /out\nFROM mcr.microsoft.com/dotnet/runtime:8.0\nCOPY --from=build /out /app\n"),
                ],
                "Dockerfile"
            ),
            ["4:5-4:19 The final image gets a Debug build (dotnet publish without -c builds Debug for net7.0 projects): publish with -c Release"]
        );
    }

    #[test]
    fn silent_for_release_builds() {
        assert!(check_rule(
            "DebugConfiguration",
            "FROM mcr.microsoft.com/dotnet/sdk:8.0 AS build\nRUN dotnet publish -o /out\nFROM mcr.microsoft.com/dotnet/aspnet:8.0\nCOPY --from=build /out /app\n"
        )
        .is_empty());
        // An ARG without a value can be anything.
        assert!(check_rule(
            "DebugConfiguration",
            "FROM mcr.microsoft.com/dotnet/sdk:8.0 AS build\nARG CONFIG\nRUN dotnet publish -c $CONFIG -o /out\nFROM mcr.microsoft.com/dotnet/aspnet:8.0\nCOPY --from=build /out /app\n"
        )
        .is_empty());
        for (fixture, dockerfile) in [
            ("good", "Dockerfile"),
            ("vs-template", "src/Api/Dockerfile"),
            ("compose-app", "src/Api/Dockerfile"),
            ("naive-single-stage", "Dockerfile"),
        ] {
            assert!(
                check_rule_in_solution("DebugConfiguration", fixture, dockerfile).is_empty(),
                "{fixture}"
            );
        }
        let good = include_str!("../../../../tests/data/good.Dockerfile");
        assert!(check_rule("DebugConfiguration", good).is_empty());
    }
}
