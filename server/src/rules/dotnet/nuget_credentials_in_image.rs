use crate::declare_rule;
use crate::model::VarKind;
use crate::rules::{Diagnostics, RuleContext};

use super::restore_model::{context_path_within, list_names, SolutionView};

declare_rule! {
/// ## What it does
/// Finds NuGet feed credentials that end up in image layers or metadata:
/// - `ARG` or `ENV` declarations of the variables NuGet and the Azure Artifacts credential
///   provider read (`FEED_ACCESSTOKEN`, `VSS_NUGET_EXTERNAL_FEED_ENDPOINTS`,
///   `VSS_NUGET_ACCESSTOKEN`, `NUGET_AUTH_TOKEN`, `NUGET_PASSWORD`, `NUGET_TOKEN`,
///   `NUGET_API_KEY`, `NuGetPackageSourceCredentials_<feed>`), in any stage;
/// - a `COPY`/`ADD` of a `NuGet.config` whose `packageSourceCredentials` hold a
///   `ClearTextPassword` written out (not a `%VARIABLE%` reference), directly or inside a
///   copied directory that `.dockerignore` does not exclude, in any stage.
///
/// ## Why is this bad?
/// Build arguments used by a `RUN` are recorded in the image history (`docker history`
/// shows `FEED_ACCESSTOKEN=...`), `ENV` values are part of the image configuration
/// (`docker inspect`), and a copied file is in a layer. Build stages matter too: their
/// layers stay in the build cache, in caches exported to a registry (`--cache-to`) and in
/// CI runners, even when the final image does not contain them. A feed token grants read
/// (often write) access to the organisation's packages.
///
/// ## Example
/// ```dockerfile
/// ARG FEED_ACCESSTOKEN
/// ENV VSS_NUGET_EXTERNAL_FEED_ENDPOINTS="{\"endpointCredentials\": [{\"endpoint\":\"https://pkgs.dev.azure.com/contoso/_packaging/internal/nuget/v3/index.json\", \"password\":\"${FEED_ACCESSTOKEN}\"}]}"
/// COPY NuGet.config .
/// RUN dotnet restore
/// ```
///
/// ## Use instead
/// Pass the credential as a BuildKit secret that exists only while the command runs, and
/// keep `NuGet.config` free of passwords (or make it read them from the environment):
/// ```dockerfile
/// COPY NuGet.config .
/// RUN --mount=type=secret,id=nuget_token,env=NUGET_PASSWORD \
///     dotnet restore
/// ```
/// with `<add key="ClearTextPassword" value="%NUGET_PASSWORD%" />` in `NuGet.config`.
///
/// ## Fix safety
/// Unsafe fix (MoveSecretToBuildSecret) for the ARG and ENV findings: the declaration is
/// removed and the RUNs that restore or use it get a secret mount; the build command must
/// then pass `--secret`. A copied NuGet.config has no automatic fix.
///
/// ## References
/// - [Build secrets](https://docs.docker.com/build/building/secrets/)
/// - [Azure Artifacts credential provider](https://github.com/microsoft/artifacts-credprovider)
/// - [nuget.config packageSourceCredentials](https://learn.microsoft.com/nuget/reference/nuget-config-file#packagesourcecredentials)
    NugetCredentialsInImage {
        severity: Error,
        origin: Dotnet,
        summary: "NuGet feed credentials in ARG/ENV, or a NuGet.config with a ClearTextPassword copied into a layer.",
        fixable: true,
    }
}

const CREDENTIAL_VARIABLES: &[&str] = &[
    "FEED_ACCESSTOKEN",
    "FEED_ACCESS_TOKEN",
    "VSS_NUGET_EXTERNAL_FEED_ENDPOINTS",
    "VSS_NUGET_ACCESSTOKEN",
    "NUGET_AUTH_TOKEN",
    "NUGET_PASSWORD",
    "NUGET_TOKEN",
    "NUGET_API_KEY",
    "NUGET_APIKEY",
];

pub(crate) fn is_credential_variable(name: &str) -> bool {
    CREDENTIAL_VARIABLES
        .iter()
        .any(|v| v.eq_ignore_ascii_case(name))
        || starts_with_ignore_ascii_case(name, "nugetpackagesourcecredentials_")
}

/// `name.to_ascii_lowercase().starts_with(prefix)` for a lower-case ASCII `prefix`, without
/// the copy (this runs for every ARG and ENV name).
fn starts_with_ignore_ascii_case(name: &str, prefix: &str) -> bool {
    name.as_bytes()
        .get(..prefix.len())
        .is_some_and(|head| head.eq_ignore_ascii_case(prefix.as_bytes()))
}

impl NugetCredentialsInImage {
    fn run(ctx: &RuleContext, out: &mut Diagnostics) {
        let final_chain: Vec<usize> = ctx
            .model
            .final_stage()
            .map(|s| {
                let mut chain = vec![s.index];
                let mut current = s;
                while let crate::model::BaseImage::Stage(parent) = current.base {
                    match ctx.model.stages.get(parent) {
                        Some(p) if parent < current.index => {
                            chain.push(parent);
                            current = p;
                        }
                        _ => break,
                    }
                }
                chain
            })
            .unwrap_or_default();
        let stage_label = |index: usize| {
            ctx.model
                .stages
                .get(index)
                .and_then(|s| s.name.as_ref())
                .map(|n| format!("stage `{}`", n.text))
                .unwrap_or_else(|| format!("stage {index}"))
        };
        for decl in ctx.model.global_args.iter().chain(&ctx.model.stage_vars) {
            if !is_credential_variable(&decl.name) {
                continue;
            }
            let message = match decl.kind {
                VarKind::Arg => format!(
                    "ARG {} passes a NuGet feed credential as a build argument: its value is recorded in the image history and the build cache; use a secret mount (`RUN --mount=type=secret,...`) instead",
                    decl.name
                ),
                VarKind::Env => {
                    let place = match decl.stage {
                        Some(s) if final_chain.contains(&s) => {
                            "the final image's configuration (`docker inspect` shows it)".to_string()
                        }
                        Some(s) => format!(
                            "the configuration of {} and the build cache",
                            stage_label(s)
                        ),
                        None => "the image configuration".to_string(),
                    };
                    format!(
                        "ENV {} stores a NuGet feed credential in {place}; use a secret mount (`RUN --mount=type=secret,...`) instead",
                        decl.name
                    )
                }
            };
            out.report(&Self::META, decl.name_range, message);
        }
        Self::check_copied_configs(ctx, &final_chain, out);
    }

    fn check_copied_configs(ctx: &RuleContext, final_chain: &[usize], out: &mut Diagnostics) {
        let Some(view) = SolutionView::of(ctx) else {
            return;
        };
        let leaky: Vec<(String, Vec<String>)> = view
            .workspace
            .nuget_configs()
            .filter_map(|config| {
                let feeds: Vec<String> = config
                    .credentials
                    .iter()
                    .filter(|c| {
                        c.clear_text_password.is_some() && !c.clear_text_password_is_env_reference
                    })
                    .map(|c| format!("`{}`", c.source))
                    .collect();
                if feeds.is_empty() {
                    return None;
                }
                Some((view.context_path(&config.path)?, feeds))
            })
            .collect();
        if leaky.is_empty() {
            return;
        }
        let ignore = view.facts.dockerignore.as_ref().map(|d| &d.ignore);
        for copy in &view.facts.copies {
            for (word, resolution) in &copy.sources {
                for m in super::restore_model::visible_matches(&resolution.outcome) {
                    for (config_path, feeds) in &leaky {
                        let copied = if m.is_dir {
                            context_path_within(config_path, &m.relative_path)
                                && ignore.is_none_or(|i| i.is_excluded(config_path).is_none())
                        } else {
                            m.relative_path == *config_path
                        };
                        if !copied {
                            continue;
                        }
                        let place = if final_chain.contains(&copy.stage) {
                            "into the final image".to_string()
                        } else {
                            let label = ctx
                                .model
                                .stages
                                .get(copy.stage)
                                .and_then(|s| s.name.as_ref())
                                .map(|n| format!("stage `{}`", n.text))
                                .unwrap_or_else(|| format!("stage {}", copy.stage));
                            format!(
                                "into a layer of {label}: the build cache and any cache exported to a registry keep it, even though the final image does not contain it"
                            )
                        };
                        out.report(
                            &Self::META,
                            word.range,
                            format!(
                                "`{}` copies {config_path}, which holds a ClearTextPassword for {}, {place}; use `%ENV_VAR%` in the file with a secret mount",
                                word.text,
                                list_names(feeds, 3)
                            ),
                        );
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::dotnet::test_support::{
        check_rule_in_solution, check_text_in_dir, csproj, solution,
    };
    use crate::rules::test_support::check_rule;

    #[test]
    fn the_prefix_test_matches_lower_casing_a_copy() {
        let prefix = "nugetpackagesourcecredentials_";
        for name in [
            "NuGetPackageSourceCredentials_feed",
            "NUGETPACKAGESOURCECREDENTIALS_",
            "nugetpackagesourcecredentials",
            "NuGetPackageSourceCredential\u{e9}_x",
            "\u{e9}",
            "",
        ] {
            assert_eq!(
                super::starts_with_ignore_ascii_case(name, prefix),
                name.to_ascii_lowercase().starts_with(prefix),
                "{name}"
            );
        }
    }

    #[test]
    fn private_feed_fixture() {
        assert_eq!(
            check_rule_in_solution("NugetCredentialsInImage", "private-feed", "Dockerfile"),
            [
                "2:5-2:21 ARG FEED_ACCESSTOKEN passes a NuGet feed credential as a build argument: its value is recorded in the image history and the build cache; use a secret mount (`RUN --mount=type=secret,...`) instead",
                "3:5-3:38 ENV VSS_NUGET_EXTERNAL_FEED_ENDPOINTS stores a NuGet feed credential in the configuration of stage `build` and the build cache; use a secret mount (`RUN --mount=type=secret,...`) instead",
                "5:6-5:18 `NuGet.config` copies NuGet.config, which holds a ClearTextPassword for `contoso-internal`, into a layer of stage `build`: the build cache and any cache exported to a registry keep it, even though the final image does not contain it; use `%ENV_VAR%` in the file with a secret mount",
                "14:6-14:18 `NuGet.config` copies NuGet.config, which holds a ClearTextPassword for `contoso-internal`, into the final image; use `%ENV_VAR%` in the file with a secret mount"
            ]
        );
    }

    #[test]
    fn variables_without_a_solution() {
        assert_eq!(
            check_rule(
                "NugetCredentialsInImage",
                "ARG NUGET_AUTH_TOKEN\nFROM mcr.microsoft.com/dotnet/aspnet:8.0\nENV NuGetPackageSourceCredentials_github=\"Username=me;Password=$NUGET_AUTH_TOKEN\"\nENV NUGET_VERSION=6.8\n"
            ),
            [
                "1:5-1:21 ARG NUGET_AUTH_TOKEN passes a NuGet feed credential as a build argument: its value is recorded in the image history and the build cache; use a secret mount (`RUN --mount=type=secret,...`) instead",
                "3:5-3:41 ENV NuGetPackageSourceCredentials_github stores a NuGet feed credential in the final image's configuration (`docker inspect` shows it); use a secret mount (`RUN --mount=type=secret,...`) instead"
            ]
        );
    }

    #[test]
    fn env_references_and_excluded_configs_are_fine() {
        let config = "<configuration><packageSources><add key=\"feed\" value=\"https://example.com/v3/index.json\" /></packageSources><packageSourceCredentials><feed><add key=\"Username\" value=\"u\" /><add key=\"ClearTextPassword\" value=\"%NUGET_PASSWORD%\" /></feed></packageSourceCredentials></configuration>";
        let leaky = "<configuration><packageSourceCredentials><feed><add key=\"Username\" value=\"u\" /><add key=\"ClearTextPassword\" value=\"s3cr3t\" /></feed></packageSourceCredentials></configuration>";
        let dir = solution(&[
            ("NuGet.config", config),
            ("tools/nuget.config", leaky),
            (".dockerignore", "tools/\n"),
            ("src/Api/Api.csproj", &csproj("Microsoft.NET.Sdk.Web", &[])),
            ("Dockerfile", ""),
        ]);
        let text =
            "FROM mcr.microsoft.com/dotnet/sdk:8.0\nWORKDIR /src\nCOPY NuGet.config ./\nCOPY . .\n";
        assert_eq!(
            check_text_in_dir("NugetCredentialsInImage", dir.path(), "Dockerfile", text),
            Vec::<String>::new()
        );
        std::fs::write(dir.path().join(".dockerignore"), "**/bin/\n").expect("write");
        assert_eq!(
            check_text_in_dir("NugetCredentialsInImage", dir.path(), "Dockerfile", text),
            ["4:6-4:7 `.` copies tools/nuget.config, which holds a ClearTextPassword for `feed`, into the final image; use `%ENV_VAR%` in the file with a secret mount"]
        );
    }

    #[test]
    fn silent_on_the_good_fixture() {
        assert_eq!(
            check_rule_in_solution("NugetCredentialsInImage", "good", "Dockerfile"),
            Vec::<String>::new()
        );
        let good = include_str!("../../../../tests/data/good.Dockerfile");
        assert_eq!(
            check_rule("NugetCredentialsInImage", good),
            Vec::<String>::new()
        );
    }
}
