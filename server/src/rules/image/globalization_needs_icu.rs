use super::projects::{app_projects, file_name, with_references};
use super::support::{describe_image_of, image_of_stage, stage_images, StageImage};
use crate::analysis::Severity;
use crate::declare_rule;
use crate::images::{Catalog, KnownImage};
use crate::model::{unquote, VarKind};
use crate::rules::hadolint::runs::ancestry;
use crate::rules::{Diagnostics, RuleContext};
use crate::syntax::Keyword;

/// Packages that fail at run time in globalization-invariant mode.
const NEEDS_ICU: &[&str] = &["Microsoft.Data.SqlClient"];

declare_rule! {
/// ## What it does
/// Checks the final image of an app that needs culture data: when the image has no ICU
/// (Alpine, Ubuntu chiseled and Azure Linux distroless .NET images without `-extra`, which run
/// .NET in globalization-invariant mode) and nothing in the Dockerfile installs ICU, it reports
/// - an error when the app (or a project it references) uses `Microsoft.Data.SqlClient`,
///   which fails at the first connection in invariant mode;
/// - a warning when the app does not declare `<InvariantGlobalization>true</InvariantGlobalization>`
///   and the Dockerfile does not set `DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=true` itself.
///
/// Which projects the Dockerfile builds is taken from its `dotnet publish`/`dotnet build`
/// commands and from the project folder that contains the Dockerfile; without an indexed
/// solution the rule stays silent.
///
/// ## Why is this bad?
/// In invariant mode every culture behaves like the invariant culture: dates, numbers and
/// sorting differ from development machines, `CultureInfo("de-DE")` throws (or silently falls
/// back), and `Microsoft.Data.SqlClient` throws `CultureNotFoundException` ("Only the invariant
/// culture is supported in globalization-invariant mode").
///
/// ## Example
/// ```dockerfile
/// FROM mcr.microsoft.com/dotnet/aspnet:10.0-alpine
/// COPY --from=build /app/publish .
/// ENTRYPOINT ["dotnet", "Orders.dll"]
/// ```
///
/// ## Use instead
/// ```dockerfile
/// FROM mcr.microsoft.com/dotnet/aspnet:10.0-alpine-extra
/// COPY --from=build /app/publish .
/// ENTRYPOINT ["dotnet", "Orders.dll"]
/// ```
/// or install ICU (`RUN apk add --no-cache icu-libs icu-data-full` with
/// `ENV DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=false`), or declare the app invariant with
/// `<InvariantGlobalization>true</InvariantGlobalization>` when it really is.
///
/// ## Fix safety
/// No automatic fix.
///
/// ## References
/// - [.NET image variants: `-extra`](https://github.com/dotnet/dotnet-docker/blob/main/documentation/image-variants.md)
/// - [Enable globalization in .NET images](https://github.com/dotnet/dotnet-docker/blob/main/samples/enable-globalization.md)
    GlobalizationNeedsIcu {
        severity: Warning,
        origin: Image,
        summary: "An app that needs ICU on a final image without ICU.",
    }
}

impl GlobalizationNeedsIcu {
    fn run(ctx: &RuleContext, out: &mut Diagnostics) {
        let Some(final_stage) = ctx.model.final_stage() else {
            return;
        };
        let images = stage_images(ctx);
        let Some(image) = image_of_stage(ctx.model, images, final_stage.index) else {
            return;
        };
        if image.facts().and_then(|facts| facts.has_icu) != Some(false) {
            return;
        }
        let stages = ancestry(ctx.model, final_stage.index);
        if installs_icu(ctx, &stages) {
            return;
        }
        let declared_invariant = invariant_env(ctx, &stages);
        let described = describe_image_of(ctx.model, image, final_stage.index);
        let remedy = remedy(image);
        let Some(workspace) = ctx.workspace() else {
            return;
        };
        for project in app_projects(ctx) {
            if project.invariant_globalization == Some(true) {
                continue;
            }
            let uses = with_references(workspace, project)
                .into_iter()
                .find_map(|p| {
                    NEEDS_ICU
                        .iter()
                        .find_map(|name| p.package(name).map(|r| (p, r)))
                });
            if let Some((owner, package)) = uses {
                let through = if std::ptr::eq(owner, project) {
                    String::new()
                } else {
                    format!(" (through {})", file_name(owner))
                };
                out.report_with(
                    &Self::META,
                    Severity::Error,
                    image.tag_range(),
                    format!(
                        "{described} has no ICU, but {} uses {}{through}, which fails without ICU in globalization-invariant mode; {remedy}",
                        file_name(project),
                        package.name
                    ),
                );
            } else if declared_invariant != Some(true) {
                out.report(
                    &Self::META,
                    image.tag_range(),
                    format!(
                        "{described} has no ICU and runs .NET in globalization-invariant mode, but {} does not set `InvariantGlobalization`: cultures, sorting and formatting will differ; {remedy}, or set `<InvariantGlobalization>true</InvariantGlobalization>`",
                        file_name(project)
                    ),
                );
            }
        }
    }
}

/// How much the app of the final image needs ICU, for actions that change the image.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum IcuNeed {
    /// The Dockerfile installs ICU, or the app is declared globalization-invariant.
    NotNeeded,
    /// Without the solution (or the app's project) nothing is known.
    Unknown,
    /// Works without ICU, with cultures, sorting and formatting of the invariant culture.
    Cultures,
    /// Fails without ICU (`Microsoft.Data.SqlClient`).
    Required,
}

/// What GlobalizationNeedsIcu would find if the final image had no ICU.
pub(crate) fn icu_need(ctx: &RuleContext) -> IcuNeed {
    let Some(final_stage) = ctx.model.final_stage() else {
        return IcuNeed::Unknown;
    };
    let stages = ancestry(ctx.model, final_stage.index);
    if installs_icu(ctx, &stages) {
        return IcuNeed::NotNeeded;
    }
    let Some(workspace) = ctx.workspace() else {
        return IcuNeed::Unknown;
    };
    let projects = app_projects(ctx);
    if projects.is_empty() {
        return IcuNeed::Unknown;
    }
    let mut cultures = false;
    for project in projects {
        if project.invariant_globalization == Some(true) {
            continue;
        }
        let required = with_references(workspace, project)
            .into_iter()
            .any(|p| NEEDS_ICU.iter().any(|name| p.package(name).is_some()));
        if required {
            return IcuNeed::Required;
        }
        cultures = true;
    }
    if cultures && invariant_env(ctx, &stages) != Some(true) {
        IcuNeed::Cultures
    } else {
        IcuNeed::NotNeeded
    }
}

/// "use `10.0-alpine-extra` (ICU and tzdata) or install ICU".
fn remedy(image: &StageImage<'_>) -> String {
    let extra = image.matched.known().and_then(extra_variant);
    match extra {
        Some(tag) => format!("use `{tag}` (adds ICU and tzdata) or install ICU"),
        None => "install ICU".to_string(),
    }
}

/// The `-extra` variant of the same image, when there is one.
fn extra_variant(known: &KnownImage<'_>) -> Option<&'static str> {
    let current = known.image;
    Catalog::embedded()
        .images_of(known.repo)
        .find(|image| {
            image.is_extra()
                && image.channel == current.channel
                && image.os_family() == current.os_family()
                && image.distro_version == current.distro_version
                && image.is_distroless() == current.is_distroless()
                && image.is_composite() == current.is_composite()
        })
        .map(|image| image.primary_tag())
}

/// A RUN or COPY in the final image's stages that mentions ICU (`apk add icu-libs`,
/// `apt-get install libicu74`, a chisel slice `libicu74_libs`, copied `libicu*` files).
fn installs_icu(ctx: &RuleContext, stages: &[usize]) -> bool {
    stages.iter().any(|&stage| {
        let Some(stage) = ctx.model.stages.get(stage) else {
            return false;
        };
        stage.instructions.clone().any(|index| {
            ctx.tree.instructions.get(index).is_some_and(|instruction| {
                let instruction = instruction.effective();
                matches!(
                    instruction.keyword,
                    Keyword::Run | Keyword::Copy | Keyword::Add
                ) && ctx
                    .text
                    .get(instruction.range.as_range())
                    .is_some_and(|text| text.to_ascii_lowercase().contains("icu"))
            })
        })
    })
}

/// `ENV DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=...` in the final image's stages, last one wins.
fn invariant_env(ctx: &RuleContext, stages: &[usize]) -> Option<bool> {
    ctx.model
        .stage_vars
        .iter()
        .filter(|var| {
            var.kind == VarKind::Env
                && var.name == "DOTNET_SYSTEM_GLOBALIZATION_INVARIANT"
                && var.stage.is_some_and(|s| stages.contains(&s))
        })
        .max_by_key(|var| var.instruction)
        .and_then(|var| var.value.as_ref())
        .map(|value| {
            let value = unquote(&value.text).to_ascii_lowercase();
            value == "true" || value == "1"
        })
}

#[cfg(test)]
mod tests {
    use crate::rules::image::test_workspace::{check_in_workspace, SQL_APP, WEB_APP};

    const ALPINE: &str = "FROM mcr.microsoft.com/dotnet/sdk:10.0-alpine AS build\nWORKDIR /src\nCOPY . .\nRUN dotnet publish src/Orders/Orders.csproj -c Release -o /app/publish\n\nFROM mcr.microsoft.com/dotnet/aspnet:10.0-alpine AS final\nWORKDIR /app\nCOPY --from=build /app/publish .\nENTRYPOINT [\"dotnet\", \"Orders.dll\"]\n";

    #[test]
    fn sql_client_on_an_image_without_icu_is_an_error() {
        assert_eq!(
            check_in_workspace("GlobalizationNeedsIcu", &[("src/Orders/Orders.csproj", SQL_APP)], "Dockerfile", ALPINE),
            ["6:38-6:49 error `mcr.microsoft.com/dotnet/aspnet:10.0-alpine` has no ICU, but Orders.csproj uses Microsoft.Data.SqlClient, which fails without ICU in globalization-invariant mode; use `10.0-alpine-extra` (adds ICU and tzdata) or install ICU"]
        );
    }

    #[test]
    fn sql_client_through_a_referenced_project() {
        let app = r#"<Project Sdk="Microsoft.NET.Sdk.Web"><PropertyGroup><TargetFramework>net10.0</TargetFramework></PropertyGroup><ItemGroup><ProjectReference Include="../Data/Data.csproj" /></ItemGroup></Project>"#;
        let data = r#"<Project Sdk="Microsoft.NET.Sdk"><PropertyGroup><TargetFramework>net10.0</TargetFramework></PropertyGroup><ItemGroup><PackageReference Include="Microsoft.Data.SqlClient" Version="6.1.1" /></ItemGroup></Project>"#;
        let dockerfile = "FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build\nRUN dotnet publish src/Orders/Orders.csproj -o /app\nFROM mcr.microsoft.com/dotnet/aspnet:10.0-noble-chiseled AS base\nFROM base AS final\nCOPY --from=build /app .\n";
        assert_eq!(
            check_in_workspace(
                "GlobalizationNeedsIcu",
                &[("src/Orders/Orders.csproj", app), ("src/Data/Data.csproj", data)],
                "Dockerfile",
                dockerfile
            ),
            ["3:38-3:57 error `mcr.microsoft.com/dotnet/aspnet:10.0-noble-chiseled` (the image of stage `base`) has no ICU, but Orders.csproj uses Microsoft.Data.SqlClient (through Data.csproj), which fails without ICU in globalization-invariant mode; use `10.0-noble-chiseled-extra` (adds ICU and tzdata) or install ICU"]
        );
    }

    #[test]
    fn an_app_that_is_not_declared_invariant_is_a_warning() {
        // The project is found from the folder that contains the Dockerfile.
        let dockerfile = "FROM mcr.microsoft.com/dotnet/aspnet:10.0-azurelinux3.0-distroless\nCOPY bin/publish .\n";
        assert_eq!(
            check_in_workspace("GlobalizationNeedsIcu", &[("src/Web/Web.csproj", WEB_APP)], "src/Web/Dockerfile", dockerfile),
            ["1:38-1:67 warning `mcr.microsoft.com/dotnet/aspnet:10.0-azurelinux3.0-distroless` has no ICU and runs .NET in globalization-invariant mode, but Web.csproj does not set `InvariantGlobalization`: cultures, sorting and formatting will differ; use `10.0-azurelinux3.0-distroless-extra` (adds ICU and tzdata) or install ICU, or set `<InvariantGlobalization>true</InvariantGlobalization>`"]
        );
    }

    #[test]
    fn silent_when_icu_is_there_installed_or_not_needed() {
        let invariant = r#"<Project Sdk="Microsoft.NET.Sdk.Web"><PropertyGroup><TargetFramework>net10.0</TargetFramework><InvariantGlobalization>true</InvariantGlobalization></PropertyGroup></Project>"#;
        let cases = [
            (SQL_APP, ALPINE.replace("10.0-alpine AS final", "10.0-alpine-extra AS final")),
            (SQL_APP, ALPINE.replace("10.0-alpine AS final", "10.0 AS final")),
            (SQL_APP, ALPINE.replace("WORKDIR /app\n", "WORKDIR /app\nRUN apk add --no-cache icu-libs icu-data-full\nENV DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=false\n")),
            (invariant, ALPINE.to_string()),
            (WEB_APP, ALPINE.replace("WORKDIR /app\n", "WORKDIR /app\nENV DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=true\n")),
            (SQL_APP, ALPINE.replace("src/Orders/Orders.csproj", "src/Other/Other.csproj")),
        ];
        for (project, dockerfile) in &cases {
            assert_eq!(
                check_in_workspace(
                    "GlobalizationNeedsIcu",
                    &[("src/Orders/Orders.csproj", project)],
                    "Dockerfile",
                    dockerfile
                ),
                Vec::<String>::new(),
                "{dockerfile}"
            );
        }
        // Without a solution nothing is known about the app.
        assert!(crate::rules::test_support::check_rule("GlobalizationNeedsIcu", ALPINE).is_empty());
    }
}
