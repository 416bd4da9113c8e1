use crate::analysis::Severity;
use crate::declare_rule;
use crate::rules::{Diagnostics, RuleContext};

use super::restore_model::{container_dir_within, list_names, parent_of, DotnetStep, RestoreModel};

declare_rule! {
/// ## What it does
/// Checks that the files MSBuild and NuGet read besides the project files are in the image
/// when `dotnet restore` runs (explicitly, or implicitly in `build`/`publish`/`test`):
/// `Directory.Build.props` and `Directory.Build.targets` (at every level, including those
/// chained with `GetPathOfFileAbove`), `Directory.Packages.props`, `.props`/`.targets` files
/// the projects import, the `NuGet.config` that applies to the restored project, and
/// `global.json`. Only files inside the build context that actually affect the restored
/// projects are considered, and they must sit where the build looks for them: at the same
/// place relative to the project as in the context (or, for the files MSBuild and the
/// dotnet CLI search upwards for, in a directory above it).
///
/// Severity: error for `Directory.Packages.props` of a project that manages its package
/// versions centrally, for a `NuGet.config` that declares a feed other than nuget.org or
/// holds credentials, and for a `global.json` that pins an SDK; warning otherwise.
///
/// ## Why is this bad?
/// A restore layer that copies only `.csproj` files restores a different project than the
/// one that is built later: without `Directory.Packages.props` the package references have
/// no versions (NU1015/NU1604); without `NuGet.config` the private feed is unknown and
/// restore fails with NU1101; without `Directory.Build.props` properties such as
/// `TargetFramework` or package references declared there are missing, so the restore
/// computes the wrong graph and the build with `--no-restore` fails (NETSDK1005,
/// NETSDK1047) or silently differs from the developer's build. Without `global.json` the
/// image's SDK is used instead of the pinned one.
///
/// ## Example
/// With `Directory.Packages.props` at the root of the solution:
/// ```dockerfile
/// COPY src/Catalog.Api/Catalog.Api.csproj src/Catalog.Api/
/// RUN dotnet restore src/Catalog.Api/Catalog.Api.csproj
/// ```
///
/// ## Use instead
/// ```dockerfile
/// COPY Directory.Packages.props Directory.Build.props NuGet.config global.json ./
/// COPY src/Catalog.Api/Catalog.Api.csproj src/Catalog.Api/
/// RUN dotnet restore src/Catalog.Api/Catalog.Api.csproj
/// ```
///
/// ## Fix safety
/// Unsafe fix (SplitRestoreStage): rewrites the restore layer so it copies these files at
/// their mirrored paths; review it.
///
/// ## References
/// - [Customize your build by folder](https://learn.microsoft.com/visualstudio/msbuild/customize-by-directory)
/// - [Central package management](https://learn.microsoft.com/nuget/consume-packages/central-package-management)
/// - [Common NuGet configurations](https://learn.microsoft.com/nuget/consume-packages/configuring-nuget-behavior)
    RestoreMissingMsbuildInput {
        severity: Error,
        origin: Dotnet,
        summary: "A Directory.*.props, NuGet.config, imported file or global.json that restore needs is not in the image.",
        fixable: true,
    }
}

/// How the build finds a file: at an exact path, or by searching upwards from a directory.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Lookup {
    Exact,
    Upwards,
}

fn upward_searched(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    matches!(
        lower.as_str(),
        "directory.build.props" | "directory.build.targets" | "directory.packages.props"
    )
}

/// Whether a feed URL is the public nuget.org feed.
fn is_nuget_org(url: &str) -> bool {
    let lower = url.to_ascii_lowercase();
    lower.contains("://api.nuget.org/") || lower.contains("://www.nuget.org/")
}

impl RestoreMissingMsbuildInput {
    fn run(ctx: &RuleContext, out: &mut Diagnostics) {
        let Some(model) = RestoreModel::of(ctx) else {
            return;
        };
        for step in model.steps.iter().filter(|s| s.restores()) {
            if step.anchor.is_none() {
                continue;
            }
            Self::check_msbuild_inputs(model, step, out);
            Self::check_nuget_config(model, step, out);
            Self::check_global_json(model, step, out);
        }
    }

    /// Whether the context file is where the build of `step` finds it.
    fn found(
        model: &RestoreModel,
        step: &DotnetStep,
        context_path: &str,
        lookup: Lookup,
        search_from: &str,
    ) -> bool {
        let Some(actual) = model.present(step, context_path) else {
            return false;
        };
        if model.mirrored(step, context_path).as_deref() == Some(actual.as_str()) {
            return true;
        }
        let same_name = actual.rsplit('/').next() == context_path.rsplit('/').next();
        lookup == Lookup::Upwards
            && same_name
            && container_dir_within(search_from, parent_of(&actual))
    }

    fn check_msbuild_inputs(model: &RestoreModel, step: &DotnetStep, out: &mut Diagnostics) {
        let workspace = model.workspace();
        // Input file (context path) -> names of the restored projects that read it.
        let mut inputs: Vec<(String, Vec<String>, bool)> = Vec::new();
        for restored in model.restored_projects(step) {
            let Some(project) = workspace.project(restored.project) else {
                continue;
            };
            let Some(project_dir) = model.view.context_path(project.dir()) else {
                continue;
            };
            let Some(search_from) = model.mirrored(step, &project_dir) else {
                continue;
            };
            for input in &project.inputs {
                let Some(context_path) = model.view.context_path(input) else {
                    continue;
                };
                let name = context_path.rsplit('/').next().unwrap_or_default();
                let lookup = if upward_searched(name) {
                    Lookup::Upwards
                } else {
                    Lookup::Exact
                };
                if Self::found(model, step, &context_path, lookup, &search_from) {
                    continue;
                }
                let central = name.eq_ignore_ascii_case("Directory.Packages.props")
                    && project.central_package_management;
                match inputs.iter_mut().find(|(p, _, _)| *p == context_path) {
                    Some((_, names, is_error)) => {
                        if !names.contains(&project.name) {
                            names.push(project.name.clone());
                        }
                        *is_error |= central;
                    }
                    None => inputs.push((context_path, vec![project.name.clone()], central)),
                }
            }
        }
        for (context_path, names, is_error) in inputs {
            let name = context_path.rsplit('/').next().unwrap_or_default();
            let projects = list_names(&names, 3);
            let message = if name.eq_ignore_ascii_case("Directory.Packages.props") {
                format!(
                    "{context_path} is not in the image when {}; {projects} take their package versions from it, so without it restore fails or resolves other versions (NU1015/NU1604){}",
                    step.restore_phrase(),
                    model.view.exclusion_note(&context_path)
                )
            } else {
                format!(
                    "{context_path} is not in the image when {}; MSBuild imports it into {projects}, so restore evaluates the projects without it{}",
                    step.restore_phrase(),
                    model.view.exclusion_note(&context_path)
                )
            };
            let severity = if is_error {
                Severity::Error
            } else {
                Severity::Warning
            };
            out.report_with(&Self::META, severity, step.target_range(), message);
        }
    }

    fn check_nuget_config(model: &RestoreModel, step: &DotnetStep, out: &mut Diagnostics) {
        let command = step.command();
        if command.config_file.is_some() || !command.sources.is_empty() {
            // The command names its feeds or its config file: the context's config is not read.
            return;
        }
        let Some(anchor) = &step.anchor else {
            return;
        };
        let anchor_dir = model.view.context_dir.join(&anchor.context_dir);
        for config in model.workspace().nuget_configs_for(&anchor_dir) {
            let Some(context_path) = model.view.context_path(&config.path) else {
                continue;
            };
            if Self::found(
                model,
                step,
                &context_path,
                Lookup::Upwards,
                &anchor.container_dir,
            ) {
                continue;
            }
            let private: Vec<String> = config
                .sources
                .iter()
                .filter(|s| !is_nuget_org(&s.url))
                .map(|s| format!("`{}`", s.key))
                .collect();
            let (severity, why) = if !private.is_empty() {
                (
                    Severity::Error,
                    format!(
                        "it declares the feed {} that restore needs (NU1101 without it)",
                        list_names(&private, 3)
                    ),
                )
            } else if !config.credentials.is_empty() {
                (
                    Severity::Error,
                    "it holds the feed credentials restore needs".to_string(),
                )
            } else {
                (
                    Severity::Warning,
                    "restore uses the image's default NuGet settings instead".to_string(),
                )
            };
            out.report_with(
                &Self::META,
                severity,
                step.target_range(),
                format!(
                    "{context_path} is not in the image when {}; {why}{}",
                    step.restore_phrase(),
                    model.view.exclusion_note(&context_path)
                ),
            );
        }
    }

    fn check_global_json(model: &RestoreModel, step: &DotnetStep, out: &mut Diagnostics) {
        let Some(anchor) = &step.anchor else {
            return;
        };
        let anchor_dir = model.view.context_dir.join(&anchor.context_dir);
        let Some(global) = model.workspace().global_json_for(&anchor_dir) else {
            return;
        };
        if global.sdk_version.is_none() && global.msbuild_sdks.is_empty() {
            return;
        }
        let Some(context_path) = model.view.context_path(&global.path) else {
            return;
        };
        let workdir = model.view.fs.workdir_at(step.stage(), step.instruction());
        if Self::found(model, step, &context_path, Lookup::Upwards, &workdir) {
            return;
        }
        let (severity, why) = match &global.sdk_version {
            Some(version) => (
                Severity::Error,
                format!(
                    "it pins SDK {version} (rollForward {}), so the command runs with whatever SDK the image has",
                    global.effective_roll_forward()
                ),
            ),
            None => (
                Severity::Warning,
                "it sets the versions of MSBuild project SDKs (msbuild-sdks)".to_string(),
            ),
        };
        out.report_with(
            &Self::META,
            severity,
            step.target_range(),
            format!(
                "{context_path} is not in the image when {}; {why}",
                step.restore_phrase()
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::dotnet::test_support::{
        check_rule_in_solution, check_text_in_dir, csproj, fixture_dir, severities_in_dir, solution,
    };

    #[test]
    fn central_package_versions_missing_from_the_restore_layer() {
        assert_eq!(
            check_rule_in_solution("RestoreMissingMsbuildInput", "central-packages", "Dockerfile"),
            ["5:20-5:54 Directory.Packages.props is not in the image when `dotnet restore` runs; Catalog.Api and Catalog.Data take their package versions from it, so without it restore fails or resolves other versions (NU1015/NU1604)"]
        );
        assert_eq!(
            severities_in_dir(
                "RestoreMissingMsbuildInput",
                &fixture_dir("central-packages"),
                "Dockerfile"
            ),
            ["error"]
        );
    }

    #[test]
    fn nested_directory_build_props_missing() {
        assert_eq!(
            check_rule_in_solution(
                "RestoreMissingMsbuildInput",
                "microservices",
                "src/Services/Orders/Orders.Api/Dockerfile"
            ),
            ["9:20-9:68 src/Directory.Build.props is not in the image when `dotnet restore` runs; MSBuild imports it into Orders.Api, Orders.Application, Shared.Messaging and 1 more, so restore evaluates the projects without it"]
        );
        assert_eq!(
            severities_in_dir(
                "RestoreMissingMsbuildInput",
                &fixture_dir("microservices"),
                "src/Services/Billing/Billing.Api/Dockerfile"
            ),
            ["warning"]
        );
    }

    #[test]
    fn private_feed_config_and_pinned_sdk() {
        let dir = solution(&[
            ("global.json", "{\"sdk\": {\"version\": \"8.0.100\"}}"),
            (
                "NuGet.config",
                "<configuration><packageSources><add key=\"contoso\" value=\"https://pkgs.dev.azure.com/contoso/_packaging/internal/nuget/v3/index.json\" /></packageSources></configuration>",
            ),
            ("src/Api/Api.csproj", &csproj("Microsoft.NET.Sdk.Web", &[])),
            ("Dockerfile", ""),
        ]);
        let missing = "FROM mcr.microsoft.com/dotnet/sdk:8.0\nWORKDIR /src\nCOPY src/Api/Api.csproj src/Api/\nRUN dotnet restore src/Api/Api.csproj\n";
        assert_eq!(
            check_text_in_dir("RestoreMissingMsbuildInput", dir.path(), "Dockerfile", missing),
            [
                "4:20-4:38 NuGet.config is not in the image when `dotnet restore` runs; it declares the feed `contoso` that restore needs (NU1101 without it)",
                "4:20-4:38 global.json is not in the image when `dotnet restore` runs; it pins SDK 8.0.100 (rollForward latestPatch), so the command runs with whatever SDK the image has"
            ]
        );
        // Copied at the context root's place, or named with --configfile: silent.
        let present = "FROM mcr.microsoft.com/dotnet/sdk:8.0\nWORKDIR /src\nCOPY global.json NuGet.config ./\nCOPY src/Api/Api.csproj src/Api/\nRUN dotnet restore src/Api/Api.csproj\n";
        assert_eq!(
            check_text_in_dir(
                "RestoreMissingMsbuildInput",
                dir.path(),
                "Dockerfile",
                present
            ),
            Vec::<String>::new()
        );
        let configfile = "FROM mcr.microsoft.com/dotnet/sdk:8.0\nWORKDIR /src\nCOPY global.json ./\nCOPY src/Api/Api.csproj src/Api/\nRUN dotnet restore src/Api/Api.csproj --configfile /run/secrets/nuget.config\n";
        assert_eq!(
            check_text_in_dir(
                "RestoreMissingMsbuildInput",
                dir.path(),
                "Dockerfile",
                configfile
            ),
            Vec::<String>::new()
        );
    }

    #[test]
    fn silent_on_the_good_fixture() {
        assert_eq!(
            check_rule_in_solution("RestoreMissingMsbuildInput", "good", "Dockerfile"),
            Vec::<String>::new()
        );
        assert_eq!(
            check_rule_in_solution("RestoreMissingMsbuildInput", "global-json", "Dockerfile"),
            Vec::<String>::new()
        );
    }
}
