use super::image_support::{cached_digest, from_images, registry_of, retag};
use super::{ActionContext, ActionKind, CodeAction};
use crate::declare_action;
use crate::images::registry::RegistryLookup;
use crate::images::{ImageMatch, TagKind, CATALOG_SNAPSHOT};
use crate::rules::image::image_tag_not_pinned::fixed_tag_for;
use crate::syntax::Keyword;

declare_action! {
/// Pins a floating .NET image tag (`10.0`, `10.0-noble-chiseled`), `latest` or a missing tag
/// to the exact patch tag the embedded catalog knows, keeping the variant and architecture
/// (`10.0-noble-chiseled` becomes `10.0.11-noble-chiseled`). The title names the tag and
/// the catalog's month, since a newer patch may exist by now. With live registry look-ups
/// on, the pinned tag also gets the digest the registry reported (`@sha256:...`). The quick
/// fix of `ImageTagNotPinned`.
///
/// Offered on a FROM whose image the catalog knows; not for images already pinned to a
/// patch or a digest, other registries' images, or references built from variables.
///
/// ## Before
/// ```dockerfile
/// FROM mcr.microsoft.com/dotnet/aspnet:10.0-noble-chiseled$0
/// ```
///
/// ## After
/// ```dockerfile
/// FROM mcr.microsoft.com/dotnet/aspnet:10.0.11-noble-chiseled
/// ```
///
/// ## Fix safety
/// Unsafe: the catalog's patch may be older than the one the floating tag points to today,
/// and a pinned tag no longer receives security patches until someone moves it.
    PinImageTag { expensive: false }
}

impl PinImageTag {
    fn run(ctx: &ActionContext, out: &mut Vec<CodeAction>) {
        offers(ctx, registry_of(ctx), out);
    }
}

/// The offers, with `registry` giving digests when live look-ups have answered before.
fn offers(ctx: &ActionContext, registry: Option<&dyn RegistryLookup>, out: &mut Vec<CodeAction>) {
    let text = ctx.text();
    // Looked for once, not once per stage: a long file has hundreds of stages and diagnostics.
    let unpinned: Vec<&crate::analysis::Diagnostic> =
        ctx.diagnostics("ImageTagNotPinned").collect();
    for image in from_images(ctx) {
        let Some(from) = ctx.analysis.tree.instructions.get(
            ctx.analysis
                .model
                .stages
                .get(image.stage)
                .map_or(usize::MAX, |s| s.from),
        ) else {
            continue;
        };
        let diagnostic = unpinned
            .iter()
            .copied()
            .find(|d| from.range.contains_inclusive(d.range.start()));
        if diagnostic.is_none() && !(from.keyword == Keyword::From && ctx.touches(from.range)) {
            continue;
        }
        if image.reference.digest().is_some() {
            continue;
        }
        let ImageMatch::Known(known) = &*image.matched else {
            // Outside the catalog only the registry knows what to pin to: its digest.
            if ctx.touches(from.range) {
                out.extend(pin_to_registry_digest(registry, &image));
            }
            continue;
        };
        if !matches!(
            known.tag_kind,
            TagKind::ImplicitLatest | TagKind::Latest | TagKind::Floating | TagKind::Major
        ) {
            continue;
        }
        let Some(tag) = fixed_tag_for(known) else {
            continue;
        };
        let tag = match known.arch {
            // A floating tag whose fixed form is versioned (`10.0-alpine-arm64v8` ->
            // `10.0.11-alpine3.24`): put the architecture back.
            Some(arch) if !tag.ends_with(arch.tag_suffix()) => {
                if !known.image.arch_tag_bases.contains(&tag.as_str()) {
                    continue;
                }
                format!("{tag}-{}", arch.tag_suffix())
            }
            _ => tag,
        };
        let pinned_reference = format!("{}:{tag}", image.reference.full_name());
        let (new_tag, title) = match cached_digest(registry, &pinned_reference) {
            Some(digest) => (
                format!("{tag}@{digest}"),
                format!("Pin to {tag}@{} (registry digest)", short_digest(&digest)),
            ),
            None => (
                tag.clone(),
                format!("Pin to {tag} (catalog {CATALOG_SNAPSHOT})"),
            ),
        };
        let Some(edit) = retag(text, &image, &new_tag) else {
            continue;
        };
        let action = match diagnostic {
            Some(diagnostic) => {
                CodeAction::quick_fix(&PinImageTag::META, diagnostic, title, vec![edit]).preferred()
            }
            None => CodeAction::new(
                &PinImageTag::META,
                ActionKind::RefactorRewrite,
                title,
                vec![edit],
            ),
        };
        out.push(action.unsafe_fix());
    }
}

/// `team/app:1.0` -> `team/app:1.0@sha256:...` with the digest the registry gave, for an image
/// written literally (no variables, no quotes) with a tag.
fn pin_to_registry_digest(
    registry: Option<&dyn RegistryLookup>,
    image: &crate::rules::image::support::StageImage,
) -> Option<CodeAction> {
    let tag = image.reference.tag()?;
    if image.word.text.contains(['$', '"', '\'']) {
        return None;
    }
    let digest = cached_digest(registry, &format!("{}:{tag}", image.reference.full_name()))?;
    Some(
        CodeAction::new(
            &PinImageTag::META,
            ActionKind::RefactorRewrite,
            format!("Pin to {tag}@{} (registry digest)", short_digest(&digest)),
            vec![crate::ide::TextEdit::insert(
                image.word.range.end(),
                format!("@{digest}"),
            )],
        )
        .unsafe_fix(),
    )
}

/// `sha256:0123456789ab`: enough of a digest to recognise it in a title.
fn short_digest(digest: &str) -> &str {
    let end = digest
        .char_indices()
        .nth("sha256:".len() + 12)
        .map_or(digest.len(), |(at, _)| at);
    &digest[..end]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::actions::test_support::{
        check_action, check_action_titled, check_not_applicable, extract_cursor,
    };
    use crate::actions::{Safety, Trigger};
    use crate::analysis::analyze;
    use crate::images::registry::{RemoteImage, RemoteLookup};
    use crate::images::ImageRef;
    use crate::rules::test_support::test_env;

    const NAME: &str = "PinImageTag";

    #[test]
    fn floating_variant_keeps_its_variant() {
        let action = check_action(
            NAME,
            "FROM mcr.microsoft.com/dotnet/aspnet:10.0-noble-chiseled$0\nENTRYPOINT [\"dotnet\", \"Api.dll\"]\n",
            "FROM mcr.microsoft.com/dotnet/aspnet:10.0.11-noble-chiseled\nENTRYPOINT [\"dotnet\", \"Api.dll\"]\n",
        );
        assert_eq!(
            action.title,
            "Pin to 10.0.11-noble-chiseled (catalog 2026-08)"
        );
        assert!(action.preferred);
        assert_eq!(action.safety, Safety::Unsafe);
        assert_eq!(
            action.fixes.as_ref().map(|d| d.code),
            Some("ImageTagNotPinned")
        );
    }

    #[test]
    fn latest_missing_tags_sdk_and_arch_suffixes() {
        check_action(
            NAME,
            "FROM mcr.microsoft.com/dotnet/sdk$0 AS build\n",
            "FROM mcr.microsoft.com/dotnet/sdk:10.0.400-noble AS build\n",
        );
        check_action_titled(
            NAME,
            "Pin to 10.0.11-noble (catalog 2026-08)",
            "FROM mcr.microsoft.com/dotnet/aspnet:lat$0est\n",
            "FROM mcr.microsoft.com/dotnet/aspnet:10.0.11-noble\n",
        );
        check_action(
            NAME,
            "FROM $0mcr.microsoft.com/dotnet/runtime:10.0-alpine-arm64v8 AS final\n",
            "FROM mcr.microsoft.com/dotnet/runtime:10.0.11-alpine3.24-arm64v8 AS final\n",
        );
        check_action(
            NAME,
            "FROM mcr.microsoft.com/dotnet/sdk:10.0$0 AS build\n",
            "FROM mcr.microsoft.com/dotnet/sdk:10.0.400 AS build\n",
        );
    }

    #[test]
    fn offered_without_a_diagnostic_when_floating_tags_are_allowed() {
        let mut env = test_env();
        env.config = std::sync::Arc::new(crate::config::Config {
            floating_tag_policy: "off".to_string(),
            ..crate::config::Config::default()
        });
        let action = crate::actions::test_support::check_action_with(
            &env,
            NAME,
            None,
            "FROM mcr.microsoft.com/dotnet/aspnet:$010.0\n",
            "FROM mcr.microsoft.com/dotnet/aspnet:10.0.11\n",
        );
        assert_eq!(action.fixes, None);
        assert_eq!(action.kind, ActionKind::RefactorRewrite);
    }

    #[test]
    fn not_offered_for_pinned_unknown_or_variable_images() {
        check_not_applicable(
            NAME,
            "FROM mcr.microsoft.com/dotnet/aspnet:10.0.11-noble$0\n",
        );
        check_not_applicable(NAME, "FROM mcr.microsoft.com/dotnet/aspnet:10.0.9$0\n");
        check_not_applicable(NAME, "FROM ubuntu:latest$0\n");
        check_not_applicable(
            NAME,
            "ARG V=10.0\nFROM mcr.microsoft.com/dotnet/aspnet:$V$0\n",
        );
        check_not_applicable(
            NAME,
            "FROM mcr.microsoft.com/dotnet/aspnet:10.0@sha256:0123456789012345678901234567890123456789012345678901234567890123$0\n",
        );
        check_not_applicable(
            NAME,
            "FROM mcr.microsoft.com/dotnet/aspnet:10.0\n$0WORKDIR /app\n",
        );
    }

    #[derive(Debug)]
    struct FakeRegistry;

    impl RegistryLookup for FakeRegistry {
        fn cached(&self, reference: &ImageRef) -> Option<RemoteLookup> {
            (reference.text() == "mcr.microsoft.com/dotnet/aspnet:10.0.11-noble-chiseled").then(
                || {
                    RemoteLookup::Found(RemoteImage {
                        registry: "mcr.microsoft.com".to_string(),
                        repository: "dotnet/aspnet".to_string(),
                        tag: Some("10.0.11-noble-chiseled".to_string()),
                        digest: format!("sha256:{}", "ab".repeat(32)),
                        media_type: "application/vnd.oci.image.index.v1+json".to_string(),
                        platforms: Vec::new(),
                        tags: None,
                        tags_truncated: false,
                        fetched_at: 0,
                    })
                },
            )
        }
    }

    #[test]
    fn pins_to_the_digest_the_registry_reported() {
        let (text, range) =
            extract_cursor("FROM mcr.microsoft.com/dotnet/aspnet:10.0-noble-chiseled$0\n");
        let env = test_env();
        let analysis = analyze(&text, &env);
        let ctx = ActionContext {
            analysis: &analysis,
            env: &env,
            range,
            trigger: Trigger::Editor,
        };
        let mut out = Vec::new();
        offers(&ctx, Some(&FakeRegistry), &mut out);
        let titles: Vec<&str> = out.iter().map(|a| a.title.as_str()).collect();
        assert_eq!(
            titles,
            ["Pin to 10.0.11-noble-chiseled@sha256:abababababab (registry digest)"]
        );
        assert_eq!(
            crate::ide::apply_edits(&text, &out[0].edits),
            format!(
                "FROM mcr.microsoft.com/dotnet/aspnet:10.0.11-noble-chiseled@sha256:{}\n",
                "ab".repeat(32)
            )
        );
    }
}
