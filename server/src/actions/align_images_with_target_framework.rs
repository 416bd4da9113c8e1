use super::image_support::{from_images, retag, short_image};
use super::{ActionContext, ActionKind, CodeAction, Safety};
use crate::analysis::Diagnostic;
use crate::declare_action;
use crate::ide::TextEdit;
use crate::images::facts::describe_os_variant;
use crate::images::{Catalog, DotnetVersion, Image, ImageMatch, ImageRef, RepoKind, Repository};
use crate::rules::dotnet::published::{dotnet_version_of_tfm, published_app, target_framework};
use crate::rules::image::support::StageImage;

declare_action! {
/// Moves every .NET image of the Dockerfile to the .NET version of the TargetFramework of
/// the project it ships (`net10.0` -> `sdk:10.0`, `aspnet:10.0`), keeping each tag's variant
/// (`8.0-alpine` -> `10.0-alpine`) and pinning (`8.0.30` -> `10.0.11`). A variant the new
/// version no longer has becomes the closest one of the same distribution, else the default
/// tag. An SDK newer than the TargetFramework is left alone (it builds older targets).
///
/// The quick fix of `RuntimeOlderThanTargetFramework`, `SdkOlderThanTargetFramework` and,
/// when the project already targets a supported version, `DotnetVersionOutOfSupport`. Needs
/// the solution (the project's TargetFramework); offered on the FROM of an image it moves.
///
/// ## Before
/// ```dockerfile
/// # src/Api/Api.csproj: <TargetFramework>net10.0</TargetFramework>
/// FROM mcr.microsoft.com/dotnet/sdk:8.0 AS build
/// RUN dotnet publish src/Api/Api.csproj -o /app/publish
///
/// FROM mcr.microsoft.com/dotnet/aspnet:8.0-alpine$0
/// COPY --from=build /app/publish /app
/// ```
///
/// ## After
/// ```dockerfile
/// # src/Api/Api.csproj: <TargetFramework>net10.0</TargetFramework>
/// FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
/// RUN dotnet publish src/Api/Api.csproj -o /app/publish
///
/// FROM mcr.microsoft.com/dotnet/aspnet:10.0-alpine
/// COPY --from=build /app/publish /app
/// ```
///
/// ## Fix safety
/// Safe when every image keeps its variant: the app cannot run (or build) on the older
/// version anyway. Unsafe when a variant has to change distribution.
    AlignImagesWithTargetFramework { expensive: true }
}

const FIXED_RULES: [&str; 3] = [
    "RuntimeOlderThanTargetFramework",
    "SdkOlderThanTargetFramework",
    "DotnetVersionOutOfSupport",
];

/// One image to move.
struct Move {
    edit: TextEdit,
    from_range: crate::text::TextRange,
    title_part: String,
    keeps_variant: bool,
}

impl AlignImagesWithTargetFramework {
    fn run(ctx: &ActionContext, out: &mut Vec<CodeAction>) {
        if ctx.workspace().is_none() {
            return;
        }
        let rctx = ctx.rule_context();
        let Some(app) = published_app(&rctx) else {
            return;
        };
        let Some(project) = app.project else { return };
        let tfm = match &app.shipped {
            Some(shipped) => target_framework(&rctx, shipped.invocation, project),
            None => match project.target_frameworks.as_slice() {
                [one] => Some(one.clone()),
                _ => None,
            },
        };
        let Some(tfm) = tfm else { return };
        let Some(target) = dotnet_version_of_tfm(&tfm) else {
            return;
        };
        let catalog = Catalog::embedded();
        let target_supported = catalog
            .lifecycle(target)
            .is_some_and(|life| !life.status_on(&ctx.env.today).is_out_of_support());

        let moves: Vec<Move> = from_images(ctx)
            .iter()
            .filter_map(|image| image_move(ctx, image, target))
            .collect();
        if moves.is_empty() {
            return;
        }
        let in_moved_from = |d: &Diagnostic| {
            moves
                .iter()
                .any(|m| m.from_range.contains_inclusive(d.range.start()))
        };
        let diagnostic = FIXED_RULES.iter().find_map(|code| {
            ctx.diagnostics(code).find(|d| {
                in_moved_from(d) && (*code != "DotnetVersionOutOfSupport" || target_supported)
            })
        });
        let on_from = moves.iter().any(|m| ctx.touches(m.from_range));
        if diagnostic.is_none() && (!on_from || ctx.trigger == super::Trigger::FixAll) {
            return;
        }
        let parts: Vec<&str> = moves.iter().map(|m| m.title_part.as_str()).collect();
        let title = format!("Align images with {tfm}: {}", parts.join(", "));
        let safety = if moves.iter().all(|m| m.keeps_variant) {
            Safety::Safe
        } else {
            Safety::Unsafe
        };
        let edits: Vec<TextEdit> = moves.into_iter().map(|m| m.edit).collect();
        let action = match diagnostic {
            Some(diagnostic) => {
                CodeAction::quick_fix(&Self::META, diagnostic, title, edits).preferred()
            }
            None => CodeAction::new(&Self::META, ActionKind::RefactorRewrite, title, edits),
        };
        out.push(action.with_safety(safety));
    }
}

/// The move of one FROM image to `target`, if it is a .NET image of another version.
fn image_move(ctx: &ActionContext, image: &StageImage<'_>, target: DotnetVersion) -> Option<Move> {
    let catalog = Catalog::embedded();
    let (repo, version, tag): (&Repository, DotnetVersion, Option<&str>) = match &*image.matched {
        ImageMatch::Known(known) => (
            known.repo,
            known.image.dotnet_version?,
            image.reference.tag(),
        ),
        ImageMatch::Retired(retired) => {
            (retired.repo, retired.dotnet_version, image.reference.tag())
        }
        ImageMatch::UnknownTag(unknown) => {
            (unknown.repo, unknown.dotnet_version?, image.reference.tag())
        }
        _ => return None,
    };
    if !repo.kind.is_dotnet()
        || version == target
        || (repo.kind == RepoKind::Sdk && version > target)
    {
        return None;
    }
    let images: Vec<&Image> = catalog
        .images_of(repo)
        .filter(|i| i.dotnet_version == Some(target) && !i.is_preview())
        .collect();
    let sample = images.first()?;
    let (new_tag, keeps_variant) = match tag.and_then(split_version) {
        Some((written_version, rest)) => {
            let fixed = written_version.split('.').count() >= 3;
            let version_text = if fixed {
                sample.product_version.to_string()
            } else {
                sample.channel_tag()
            };
            let same_variant = format!("{version_text}{rest}");
            if is_known(catalog, &image.reference, &same_variant) {
                (same_variant, true)
            } else {
                (
                    closest_variant(&images, rest, fixed).unwrap_or(version_text),
                    false,
                )
            }
        }
        // `latest` or no tag: the version's default tag.
        None => (sample.channel_tag(), true),
    };
    let edit = retag(ctx.text(), image, &new_tag)?;
    let from_range = ctx
        .analysis
        .model
        .stages
        .get(image.stage)
        .and_then(|s| ctx.analysis.tree.instructions.get(s.from))
        .map(|from| from.range)?;
    Some(Move {
        edit,
        from_range,
        title_part: short_image(&image.reference, &new_tag),
        keeps_variant,
    })
}

/// `8.0.30-bookworm-slim` -> (`8.0.30`, `-bookworm-slim`); `11.0-preview-alpine` ->
/// (`11.0`, `-alpine`). `None` for tags that do not start with a version.
fn split_version(tag: &str) -> Option<(&str, &str)> {
    let end = tag
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(tag.len());
    let (version, mut rest) = tag.split_at(end);
    if version.is_empty() || version.ends_with('.') {
        return None;
    }
    if let Some(after) = rest.strip_prefix("-preview") {
        if after.is_empty() || after.starts_with('-') {
            rest = after;
        }
    }
    (rest.is_empty() || rest.starts_with('-')).then_some((version, rest))
}

fn is_known(catalog: &Catalog, reference: &ImageRef, tag: &str) -> bool {
    let candidate = ImageRef::parse(&format!("{}:{tag}", reference.full_name()));
    matches!(catalog.lookup(&candidate), ImageMatch::Known(_))
}

/// The image of the same distribution (and flavour) as the written variant, when the new
/// version has one: `-bullseye-slim` -> the Debian image, `-alpine3.18` -> floating Alpine.
fn closest_variant(images: &[&Image], rest: &str, fixed: bool) -> Option<String> {
    let variant = rest.strip_prefix('-')?;
    let info = describe_os_variant(variant)?;
    let extra = variant.contains("extra");
    let composite = variant.contains("composite");
    let mut candidates: Vec<&&Image> = images
        .iter()
        .filter(|i| {
            i.os_family() == info.family
                && i.is_distroless() == info.distroless
                && i.is_extra() == extra
                && i.is_composite() == composite
        })
        .collect();
    candidates.sort_by_key(|i| (!i.is_floating_alpine(), !i.is_default()));
    let image = candidates.first()?;
    Some(if fixed {
        image.fixed_tag()?.to_string()
    } else {
        image.primary_tag().to_string()
    })
}

#[cfg(test)]
mod tests {
    use super::split_version;
    use crate::actions::test_support::{
        check_action_with, check_not_applicable_with, extract_cursor, offered_titles, solution_env,
    };
    use crate::actions::Safety;
    use crate::rules::dotnet::test_support::solution;

    const NAME: &str = "AlignImagesWithTargetFramework";

    const NET10: &str = r#"<Project Sdk="Microsoft.NET.Sdk.Web"><PropertyGroup><TargetFramework>net10.0</TargetFramework></PropertyGroup></Project>"#;

    fn after(before: &str) -> String {
        extract_cursor(before).0
    }

    #[test]
    fn quick_fix_of_the_runtime_rule_moves_every_image() {
        let dir = solution(&[("src/Api/Api.csproj", NET10)]);
        let env = solution_env(dir.path(), "Dockerfile");
        let before = "FROM mcr.microsoft.com/dotnet/sdk:8.0 AS build\nWORKDIR /src\nCOPY . .\nRUN dotnet publish src/Api/Api.csproj -c Release -o /app/publish\n\nFROM mcr.microsoft.com/dotnet/aspnet:8.0-alpine$0 AS final\nWORKDIR /app\nCOPY --from=build /app/publish .\nENTRYPOINT [\"dotnet\", \"Api.dll\"]\n";
        let action = check_action_with(
            &env,
            NAME,
            None,
            before,
            &after(before)
                .replace("sdk:8.0", "sdk:10.0")
                .replace("aspnet:8.0-alpine", "aspnet:10.0-alpine"),
        );
        assert_eq!(
            action.title,
            "Align images with net10.0: sdk:10.0, aspnet:10.0-alpine"
        );
        assert_eq!(
            action.fixes.as_ref().map(|d| d.code),
            Some("RuntimeOlderThanTargetFramework")
        );
        assert_eq!(action.safety, Safety::Safe);
    }

    #[test]
    fn pinned_tags_and_retired_variants() {
        let dir = solution(&[("src/Api/Api.csproj", NET10)]);
        let env = solution_env(dir.path(), "Dockerfile");
        let before = "FROM mcr.microsoft.com/dotnet/sdk:8.0.404-bookworm-slim$0 AS build\nCOPY . .\nRUN dotnet publish src/Api/Api.csproj -o /app/publish\nFROM mcr.microsoft.com/dotnet/aspnet:6.0-bullseye-slim\nCOPY --from=build /app/publish /app\n";
        let action = check_action_with(
            &env,
            NAME,
            None,
            before,
            &after(before)
                .replace("sdk:8.0.404-bookworm-slim", "sdk:10.0.400")
                .replace("aspnet:6.0-bullseye-slim", "aspnet:10.0"),
        );
        assert_eq!(
            action.title,
            "Align images with net10.0: sdk:10.0.400, aspnet:10.0"
        );
        assert_eq!(action.safety, Safety::Unsafe);
    }

    #[test]
    fn not_offered_when_aligned_or_without_the_solution() {
        let dir = solution(&[("src/Api/Api.csproj", NET10)]);
        let env = solution_env(dir.path(), "Dockerfile");
        check_not_applicable_with(
            &env,
            NAME,
            "FROM mcr.microsoft.com/dotnet/sdk:11.0-preview$0 AS build\nCOPY . .\nRUN dotnet publish src/Api/Api.csproj -o /app/publish\nFROM mcr.microsoft.com/dotnet/aspnet:10.0-noble-chiseled\nCOPY --from=build /app/publish /app\n",
        );
        assert_eq!(
            offered_titles(
                &crate::rules::test_support::test_env(),
                NAME,
                "FROM mcr.microsoft.com/dotnet/aspnet:8.0$0\n"
            ),
            Vec::<String>::new()
        );
    }

    #[test]
    fn version_prefixes() {
        assert_eq!(
            split_version("8.0.30-bookworm-slim"),
            Some(("8.0.30", "-bookworm-slim"))
        );
        assert_eq!(
            split_version("11.0-preview-alpine"),
            Some(("11.0", "-alpine"))
        );
        assert_eq!(split_version("10.0"), Some(("10.0", "")));
        assert_eq!(split_version("latest"), None);
        assert_eq!(split_version("10.0x"), None);
    }
}
