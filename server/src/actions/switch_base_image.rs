use super::image_support::{rename_repository, retag_app_image, size_change};
use super::{ActionContext, ActionKind, CodeAction};
use crate::declare_action;
use crate::images::{Catalog, Image, Libc, OsFamily, PackageManager, RepoKind};
use crate::rules::dotnet::final_image::{listening_ports, PortSource};
use crate::rules::dotnet::published::{
    deployment, final_image_instructions, published_app, stage_image, StageImage,
};
use crate::rules::image::globalization_needs_icu::{icu_need, IcuNeed};
use crate::rules::image::native_dependency_on_musl::glibc_only_packages;
use crate::rules::image::shell_unavailable_in_stage::shell_form;
use crate::rules::RuleContext;
use crate::syntax::Keyword;

declare_action! {
/// Switches the image of the final stage to a smaller variant of the same .NET image:
/// Alpine, Ubuntu chiseled, chiseled `-extra` (with ICU and tzdata), Azure Linux distroless,
/// and `runtime-deps` for self-contained and Native AOT apps. Each title carries the size
/// change from the catalog for the image's architecture and what the variant gives up
/// ("no shell", "no ICU", "musl", "non-root"). Floating tags stay floating, patch tags stay
/// pinned, architecture suffixes are kept.
///
/// A variant is not offered when it would break the app: no ICU for an app that needs it
/// (`Microsoft.Data.SqlClient`), no shell for a final image with shell-form RUN, CMD,
/// ENTRYPOINT or HEALTHCHECK, another package manager than the RUNs use, musl for an app
/// with glibc-only native packages, or a non-root user for an app set to listen on a port
/// below 1024. Offered on the FROM of the final stage (or of the stage it is built on), for
/// `aspnet`, `runtime` and `runtime-deps` images the catalog knows.
///
/// ## Before
/// ```dockerfile
/// FROM mcr.microsoft.com/dotnet/aspnet:10.0$0
/// COPY --from=build /app/publish /app
/// ENTRYPOINT ["dotnet", "/app/Api.dll"]
/// ```
///
/// ## After
/// ```dockerfile
/// FROM mcr.microsoft.com/dotnet/aspnet:10.0-noble-chiseled
/// COPY --from=build /app/publish /app
/// ENTRYPOINT ["dotnet", "/app/Api.dll"]
/// ```
///
/// ## Fix safety
/// A refactoring, never applied by `dockside check --fix`.
    SwitchBaseImage { expensive: false }
}

/// What the final image does that a smaller variant may not support.
struct FinalImageNeeds {
    shell: bool,
    package_managers: Vec<PackageManager>,
    icu: IcuNeed,
    glibc_only: bool,
    privileged_port: bool,
    self_contained: bool,
}

impl SwitchBaseImage {
    fn run(ctx: &ActionContext, out: &mut Vec<CodeAction>) {
        let model = &ctx.analysis.model;
        let instructions = &ctx.analysis.tree.instructions;
        let Some(final_stage) = model.final_stage() else {
            return;
        };
        let Some(image) = stage_image(model, final_stage.index) else {
            return;
        };
        let on_from = [final_stage.index, image.stage].iter().any(|&stage| {
            model
                .stages
                .get(stage)
                .and_then(|s| instructions.get(s.from))
                .is_some_and(|from| ctx.touches(from.range))
        });
        if !on_from || ctx.trigger == super::Trigger::FixAll {
            return;
        }
        let Some(known) = &image.known else { return };
        if !matches!(
            known.repo.kind,
            RepoKind::Aspnet | RepoKind::Runtime | RepoKind::RuntimeDeps
        ) || known.image.is_windows()
        {
            return;
        }
        let rctx = ctx.rule_context();
        let needs = final_image_needs(&rctx, final_stage.index, &image);
        let current = known.image;
        let catalog = Catalog::embedded();
        let siblings: Vec<&Image> = catalog
            .images_of(known.repo)
            .filter(|i| {
                i.channel == current.channel
                    && !i.is_windows()
                    && i.is_composite() == current.is_composite()
            })
            .collect();
        let mut targets: Vec<&Image> = Vec::new();
        let alpine = siblings
            .iter()
            .copied()
            .filter(|i| i.os_family() == OsFamily::Alpine && !i.is_extra())
            .find(|i| i.is_floating_alpine());
        let ubuntu_version = preferred_ubuntu(current, &siblings);
        let chiseled = |extra: bool| {
            siblings.iter().copied().find(|i| {
                i.is_chiseled() && i.is_extra() == extra && Some(i.distro_version) == ubuntu_version
            })
        };
        let azure_distroless = siblings
            .iter()
            .copied()
            .filter(|i| i.os_family() == OsFamily::AzureLinux && i.is_distroless() && !i.is_extra())
            .max_by(|a, b| version_key(a.distro_version).cmp(&version_key(b.distro_version)));
        targets.extend(alpine);
        targets.extend(chiseled(false));
        targets.extend(chiseled(true));
        targets.extend(azure_distroless);
        for target in targets {
            if std::ptr::eq(target, current) {
                continue;
            }
            if let Some(action) = offer(ctx, &image, known.repo.short_name(), target, None, &needs)
            {
                out.push(action);
            }
        }
        if needs.self_contained && known.repo.kind != RepoKind::RuntimeDeps {
            let Some(deps_repo) = catalog.repository("dotnet/runtime-deps") else {
                return;
            };
            let variant = current.variant.replace("-composite", "");
            let target = catalog
                .images_of(deps_repo)
                .find(|i| i.channel == current.channel && i.variant == variant);
            let new_repository = image
                .reference
                .repository()
                .rsplit_once('/')
                .map(|(prefix, _)| format!("{prefix}/runtime-deps"));
            if let (Some(target), Some(new_repository)) = (target, new_repository) {
                if let Some(action) = offer(
                    ctx,
                    &image,
                    "runtime-deps",
                    target,
                    Some(&new_repository),
                    &needs,
                ) {
                    out.push(action);
                }
            }
        }
    }
}

/// One offer, or `None` when the target would break the app.
fn offer(
    ctx: &ActionContext,
    image: &StageImage,
    short_name: &str,
    target: &Image,
    new_repository: Option<&str>,
    needs: &FinalImageNeeds,
) -> Option<CodeAction> {
    let known = image.known.as_ref()?;
    let current = known.image;
    let mut notes: Vec<&str> = Vec::new();
    if current.has_shell() && !target.has_shell() {
        if needs.shell {
            return None;
        }
        notes.push("no shell");
    }
    if !needs.package_managers.is_empty()
        && needs
            .package_managers
            .iter()
            .any(|m| *m != target.package_manager)
    {
        return None;
    }
    if current.icu != Some(false) && target.icu == Some(false) {
        match needs.icu {
            IcuNeed::Required => return None,
            IcuNeed::NotNeeded => {}
            IcuNeed::Cultures | IcuNeed::Unknown => notes.push("no ICU"),
        }
    }
    if target.libc == Some(Libc::Musl) && current.libc != Some(Libc::Musl) {
        if needs.glibc_only {
            return None;
        }
        notes.push("musl");
    }
    if target.is_non_root_by_default() && !current.is_non_root_by_default() {
        if needs.privileged_port {
            return None;
        }
        notes.push("non-root");
    }
    let tag = if known.tag_kind.is_fixed() {
        target.fixed_tag()?
    } else {
        target.primary_tag()
    };
    let tag = match known.arch {
        Some(arch) if target.arch_tag_bases.contains(&tag) => {
            format!("{tag}-{}", arch.tag_suffix())
        }
        Some(_) => return None,
        None => tag.to_string(),
    };
    let arch = known.effective_arch(None);
    let from = current.size(arch)?.compressed_bytes;
    let to = target.size(arch)?.compressed_bytes;
    let mut edits = vec![retag_app_image(ctx.text(), image, &tag)?];
    if let Some(repository) = new_repository {
        edits.insert(
            0,
            rename_repository(ctx.text(), &image.word, &image.reference, repository)?,
        );
    }
    let notes = if notes.is_empty() {
        String::new()
    } else {
        format!("; {}", notes.join(", "))
    };
    let title = format!(
        "Switch to {short_name}:{tag} ({}{notes})",
        size_change(from, to)
    );
    Some(CodeAction::new(
        &SwitchBaseImage::META,
        ActionKind::RefactorRewrite,
        title,
        edits,
    ))
}

fn final_image_needs(
    rctx: &RuleContext,
    final_stage: usize,
    image: &StageImage,
) -> FinalImageNeeds {
    let mut shell = false;
    let mut package_managers = Vec::new();
    for (_, index) in final_image_instructions(rctx.model, final_stage) {
        let Some(inst) = rctx.tree.instructions.get(index) else {
            continue;
        };
        if inst.keyword == Keyword::From {
            continue;
        }
        shell |= shell_form(inst).is_some();
        if inst.keyword == Keyword::Run {
            let command = rctx.text.get(inst.range.as_range()).unwrap_or_default();
            for manager in package_managers_in(command) {
                if !package_managers.contains(&manager) {
                    package_managers.push(manager);
                }
            }
        }
    }
    let privileged_port = listening_ports(rctx, final_stage, Some(image)).is_some_and(|ports| {
        ports
            .iter()
            .any(|p| p.port < 1024 && matches!(p.source, PortSource::Env { .. }))
    });
    let self_contained = published_app(rctx)
        .and_then(|app| {
            let shipped = app.shipped?;
            Some(deployment(rctx, shipped.invocation, app.project).is_self_contained())
        })
        .unwrap_or(false);
    FinalImageNeeds {
        shell,
        package_managers,
        icu: icu_need(rctx),
        glibc_only: !glibc_only_packages(rctx).is_empty(),
        privileged_port,
        self_contained,
    }
}

/// The package managers a RUN calls.
fn package_managers_in(command: &str) -> Vec<PackageManager> {
    let mut found = Vec::new();
    for word in command.split(|c: char| c.is_whitespace() || matches!(c, ';' | '&' | '|' | '(')) {
        let name = word.rsplit('/').next().unwrap_or(word);
        let manager = match name {
            "apt-get" | "apt" | "dpkg" => PackageManager::Apt,
            "apk" => PackageManager::Apk,
            "tdnf" => PackageManager::Tdnf,
            _ => continue,
        };
        if !found.contains(&manager) {
            found.push(manager);
        }
    }
    found
}

/// The Ubuntu release to use: the image's own, else the one of the version's default tag,
/// else the newest.
fn preferred_ubuntu(current: &Image, siblings: &[&Image]) -> Option<&'static str> {
    if current.os_family() == OsFamily::Ubuntu {
        return Some(current.distro_version);
    }
    siblings
        .iter()
        .find(|i| i.is_default() && i.os_family() == OsFamily::Ubuntu)
        .or_else(|| {
            siblings
                .iter()
                .filter(|i| i.os_family() == OsFamily::Ubuntu)
                .max_by(|a, b| version_key(a.distro_version).cmp(&version_key(b.distro_version)))
        })
        .map(|i| i.distro_version)
}

/// `24.04` -> `[24, 4]`, for ordering distribution versions.
fn version_key(version: &str) -> Vec<u32> {
    version
        .split('.')
        .map(|part| part.parse().unwrap_or(0))
        .collect()
}

#[cfg(test)]
mod tests {
    use crate::actions::test_support::{
        check_action_titled, check_action_with, check_not_applicable, extract_cursor,
        offered_titles, solution_env,
    };
    use crate::rules::dotnet::test_support::solution;
    use crate::rules::test_support::test_env;

    const NAME: &str = "SwitchBaseImage";

    const FINAL: &str = "FROM mcr.microsoft.com/dotnet/aspnet:10.0$0 AS final\nWORKDIR /app\nCOPY --from=build /app/publish .\nENTRYPOINT [\"dotnet\", \"Api.dll\"]\n";

    #[test]
    fn every_variant_with_its_size_change_and_consequences() {
        assert_eq!(
            offered_titles(&test_env(), NAME, FINAL),
            [
                "Switch to aspnet:10.0-alpine (-40 MB; no ICU, musl)",
                "Switch to aspnet:10.0-noble-chiseled (-39 MB; no shell, no ICU, non-root)",
                "Switch to aspnet:10.0-noble-chiseled-extra (-24 MB; no shell, non-root)",
                "Switch to aspnet:10.0-azurelinux3.0-distroless (-32 MB; no shell, no ICU, non-root)",
            ]
        );
        check_action_titled(
            NAME,
            "Switch to aspnet:10.0-noble-chiseled (-39 MB; no shell, no ICU, non-root)",
            FINAL,
            &FINAL.replace("aspnet:10.0$0", "aspnet:10.0-noble-chiseled"),
        );
    }

    #[test]
    fn pinned_tags_stay_pinned_and_stage_bases_are_followed() {
        check_action_titled(
            NAME,
            "Switch to runtime:10.0.11-alpine3.24 (-40 MB; no ICU, musl)",
            "FROM mcr.microsoft.com/dotnet/runtime:10.0.11-noble AS base\nFROM base AS final$0\nCMD [\"dotnet\", \"Worker.dll\"]\n",
            "FROM mcr.microsoft.com/dotnet/runtime:10.0.11-alpine3.24 AS base\nFROM base AS final\nCMD [\"dotnet\", \"Worker.dll\"]\n",
        );
    }

    #[test]
    fn shell_and_package_manager_needs_rule_variants_out() {
        let text = "FROM mcr.microsoft.com/dotnet/aspnet:10.0$0\nRUN apt-get update && apt-get install -y --no-install-recommends curl\nENTRYPOINT [\"dotnet\", \"Api.dll\"]\n";
        assert_eq!(
            offered_titles(&test_env(), NAME, text),
            Vec::<String>::new()
        );
        let text = "FROM mcr.microsoft.com/dotnet/aspnet:10.0$0\nRUN mkdir /data\nENTRYPOINT dotnet Api.dll\n";
        assert_eq!(
            offered_titles(&test_env(), NAME, text),
            ["Switch to aspnet:10.0-alpine (-40 MB; no ICU, musl)"]
        );
        let text = "FROM mcr.microsoft.com/dotnet/aspnet:10.0$0\nENV ASPNETCORE_HTTP_PORTS=80\n";
        assert_eq!(
            offered_titles(&test_env(), NAME, text),
            ["Switch to aspnet:10.0-alpine (-40 MB; no ICU, musl)"]
        );
    }

    #[test]
    fn solution_facts_icu_glibc_and_self_contained() {
        let dockerfile = "FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build\nWORKDIR /src\nCOPY . .\nRUN dotnet publish src/Api/Api.csproj -c Release -o /app/publish\n\nFROM mcr.microsoft.com/dotnet/aspnet:10.0$0 AS final\nWORKDIR /app\nCOPY --from=build /app/publish .\nENTRYPOINT [\"dotnet\", \"Api.dll\"]\n";
        let sql = r#"<Project Sdk="Microsoft.NET.Sdk.Web"><PropertyGroup><TargetFramework>net10.0</TargetFramework></PropertyGroup><ItemGroup><PackageReference Include="Microsoft.Data.SqlClient" Version="6.1.1" /><PackageReference Include="Grpc.Core" Version="2.46.6" /></ItemGroup></Project>"#;
        let dir = solution(&[("src/Api/Api.csproj", sql)]);
        let env = solution_env(dir.path(), "Dockerfile");
        assert_eq!(
            offered_titles(&env, NAME, dockerfile),
            ["Switch to aspnet:10.0-noble-chiseled-extra (-24 MB; no shell, non-root)"]
        );

        let invariant = r#"<Project Sdk="Microsoft.NET.Sdk.Web"><PropertyGroup><TargetFramework>net10.0</TargetFramework><InvariantGlobalization>true</InvariantGlobalization></PropertyGroup></Project>"#;
        let dir = solution(&[("src/Api/Api.csproj", invariant)]);
        let env = solution_env(dir.path(), "Dockerfile");
        let self_contained =
            dockerfile.replace("-c Release", "-c Release -r linux-x64 --self-contained");
        assert_eq!(
            offered_titles(&env, NAME, &self_contained),
            [
                "Switch to aspnet:10.0-alpine (-40 MB; musl)",
                "Switch to aspnet:10.0-noble-chiseled (-39 MB; no shell, non-root)",
                "Switch to aspnet:10.0-noble-chiseled-extra (-24 MB; no shell, non-root)",
                "Switch to aspnet:10.0-azurelinux3.0-distroless (-32 MB; no shell, non-root)",
                "Switch to runtime-deps:10.0-noble (-47 MB)",
            ]
        );
        let (text, _) = extract_cursor(&self_contained);
        check_action_with(
            &env,
            NAME,
            Some("Switch to runtime-deps:10.0-noble (-47 MB)"),
            &self_contained,
            &text.replace(
                "dotnet/aspnet:10.0 AS final",
                "dotnet/runtime-deps:10.0-noble AS final",
            ),
        );
    }

    #[test]
    fn not_offered_elsewhere_or_for_other_images() {
        check_not_applicable(
            NAME,
            "FROM mcr.microsoft.com/dotnet/aspnet:10.0\nWORKDIR /app$0\n",
        );
        check_not_applicable(NAME, "FROM mcr.microsoft.com/dotnet/sdk:10.0$0\n");
        check_not_applicable(NAME, "FROM ubuntu:24.04$0\n");
        check_not_applicable(
            NAME,
            "FROM mcr.microsoft.com/dotnet/aspnet:10.0-nanoserver-ltsc2022$0\n",
        );
        check_not_applicable(
            NAME,
            "FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build$0\nFROM mcr.microsoft.com/dotnet/aspnet:10.0\n",
        );
    }
}
