use super::support::{
    expansion_refs, from_words, is_valid_image_reference, process_word, GlobalArgs,
};
use rustc_hash::FxHashMap;

use crate::declare_rule;
use crate::rules::{Diagnostics, RuleContext};
use crate::syntax::Keyword;

declare_rule! {
/// ## What it does
/// Checks that a `FROM` image built from global `ARG`s is a valid image reference when the
/// ARGs keep their defaults (a build without `--build-arg`).
///
/// ## Why is this bad?
/// `ARG TAG` without a default and `FROM mcr.microsoft.com/dotnet/aspnet:${TAG}` works only
/// when every build passes `--build-arg TAG=...`; a plain `docker build`, an IDE build or a
/// CI job that forgets the argument fails with "invalid reference format". A default keeps
/// the Dockerfile buildable on its own.
///
/// ## Example
/// ```dockerfile
/// ARG DOTNET_VERSION
/// FROM mcr.microsoft.com/dotnet/aspnet:${DOTNET_VERSION}
/// ```
///
/// ## Use instead
/// ```dockerfile
/// ARG DOTNET_VERSION=10.0
/// FROM mcr.microsoft.com/dotnet/aspnet:${DOTNET_VERSION}
/// ```
///
/// ## Fix safety
/// No automatic fix: the right default is the author's choice.
///
/// ## References
/// - BuildKit's `linter/ruleset.go` (`RuleInvalidDefaultArgInFrom`)
    InvalidDefaultArgInFrom {
        severity: Warning,
        origin: BuildKit,
        summary: "Default value for global ARG results in an empty or invalid base image name.",
    }
}

impl InvalidDefaultArgInFrom {
    fn run(ctx: &RuleContext, out: &mut Diagnostics) {
        let globals = GlobalArgs::of(ctx);
        // The verdict depends on the text alone: each distinct image is judged once.
        let mut invalid: FxHashMap<&str, bool> = FxHashMap::default();
        for (_, inst) in ctx.instructions_with(&[Keyword::From]) {
            let Some(image) = from_words(inst).first() else {
                continue;
            };
            // Without `$` there is no variable (the verdict below is false): most names, and
            // not worth a look-up.
            if !image.text.contains('$') {
                continue;
            }
            let is_invalid = *invalid.entry(&image.text).or_insert_with(|| {
                // BuildKit checks every FROM; an invalid name without variables is a plain
                // syntax problem, reported with a clearer message by the validation rules.
                !expansion_refs(&image.text, ctx.tree.escape, true).is_empty()
                    // Pattern substitutions Dockside does not evaluate leave the name unknown.
                    && process_word(&image.text, &globals.vars[..], ctx.tree.escape)
                        .is_some_and(|resolved| !is_valid_image_reference(&resolved))
            });
            if is_invalid {
                out.report(
                    &Self::META,
                    image.range,
                    format!(
                        "Default value for ARG {} results in empty or invalid base image name",
                        image.text
                    ),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::check_rule;

    #[test]
    fn reports_args_without_usable_defaults() {
        assert_eq!(
            check_rule(
                "InvalidDefaultArgInFrom",
                "ARG DOTNET_VERSION\nARG IMAGE\nARG REPO=My-App\nFROM mcr.microsoft.com/dotnet/aspnet:${DOTNET_VERSION}\nFROM $IMAGE\nFROM ${REPO}\n"
            ),
            [
                "4:6-4:55 Default value for ARG mcr.microsoft.com/dotnet/aspnet:${DOTNET_VERSION} results in empty or invalid base image name",
                "5:6-5:12 Default value for ARG $IMAGE results in empty or invalid base image name",
                "6:6-6:13 Default value for ARG ${REPO} results in empty or invalid base image name",
            ]
        );
    }

    #[test]
    fn accepts_defaults_and_optional_parts() {
        assert!(check_rule(
            "InvalidDefaultArgInFrom",
            "ARG DOTNET_VERSION=10.0\nARG REGISTRY\nARG VARIANT=\nFROM ${REGISTRY}mcr.microsoft.com/dotnet/sdk:${DOTNET_VERSION}${VARIANT} AS build\nFROM build-$TARGETARCH\nFROM ${IMAGE:-alpine}\n"
        )
        .is_empty());
    }
}
