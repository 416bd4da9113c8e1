use super::support::{expansion_refs, from_words, sub_range, suggest, GlobalArgs};
use rustc_hash::FxHashSet;

use crate::declare_rule;
use crate::rules::{Diagnostics, RuleContext};
use crate::syntax::{Keyword, Word};

declare_rule! {
/// ## What it does
/// Checks that every variable used in a `FROM` line (image or `--platform`) is declared by
/// an `ARG` before the first `FROM`, or is one of BuildKit's platform arguments
/// (`TARGETPLATFORM`, `TARGETARCH`, `BUILDPLATFORM`, ...). Suggests a declared name when
/// one is close.
///
/// ## Why is this bad?
/// An undeclared variable expands to nothing: `FROM mcr.microsoft.com/dotnet/aspnet:$VERSON`
/// pulls `aspnet:` and fails, or worse, `FROM $REGISTRY/app` pulls from Docker Hub. Only
/// ARGs declared before the first FROM are visible in FROM lines; an ARG inside a stage is
/// not.
///
/// ## Example
/// ```dockerfile
/// ARG DOTNET_VERSION=10.0
/// FROM mcr.microsoft.com/dotnet/aspnet:${DOTNET_VERSON}
/// ```
///
/// ## Use instead
/// ```dockerfile
/// ARG DOTNET_VERSION=10.0
/// FROM mcr.microsoft.com/dotnet/aspnet:${DOTNET_VERSION}
/// ```
///
/// ## Fix safety
/// No automatic fix yet. Renaming to the suggested variable changes which image is built.
///
/// ## References
/// - BuildKit's `linter/ruleset.go` (`RuleUndefinedArgInFrom`)
    UndefinedArgInFrom {
        severity: Warning,
        origin: BuildKit,
        summary: "FROM command must use declared ARGs.",
    }
}

impl UndefinedArgInFrom {
    fn run(ctx: &RuleContext, out: &mut Diagnostics) {
        let globals = GlobalArgs::of(ctx);
        let mut known: Vec<&str> = globals.declared.iter().map(String::as_str).collect();
        for (name, _) in &globals.vars {
            if !known.contains(&name.as_str()) {
                known.push(name);
            }
        }
        // Texts whose variables are all declared: nothing to report, whatever the word.
        let mut declared_only: FxHashSet<&str> = FxHashSet::default();
        for (_, inst) in ctx.instructions_with(&[Keyword::From]) {
            let image = from_words(inst).first();
            let platform = inst.flag_value("platform");
            for word in image.into_iter().chain(platform) {
                // Without `$` there is no variable to report: most names, and not worth a
                // look-up.
                if !word.text.contains('$') || declared_only.contains(word.text.as_str()) {
                    continue;
                }
                if !Self::check_word(ctx, word, &known, out) {
                    declared_only.insert(&word.text);
                }
            }
        }
    }

    /// Reports the undeclared variables of `word`; false when there are none.
    fn check_word(ctx: &RuleContext, word: &Word, known: &[&str], out: &mut Diagnostics) -> bool {
        // BuildKit reports each undeclared name once per word.
        let mut reported: Vec<&str> = Vec::new();
        for var in expansion_refs(&word.text, ctx.tree.escape, true) {
            if known.contains(&var.name) || reported.contains(&var.name) {
                continue;
            }
            let mut message = format!("FROM argument '{}' is not declared", var.name);
            if let Some(close) = suggest(var.name, known.iter().copied(), true) {
                message.push_str(&format!(" (did you mean {close}?)"));
            }
            out.report(
                &Self::META,
                sub_range(ctx, word, var.start, var.end),
                message,
            );
            reported.push(var.name);
        }
        !reported.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::check_rule;

    #[test]
    fn reports_undeclared_variables_with_suggestions() {
        assert_eq!(
            check_rule(
                "UndefinedArgInFrom",
                "ARG DOTNET_VERSION=10.0\nFROM mcr.microsoft.com/dotnet/aspnet:${DOTNET_VERSON}\nFROM --platform=$TARGETPLATFROM alpine:$TAG$TAG\n"
            ),
            [
                "2:38-2:54 FROM argument 'DOTNET_VERSON' is not declared (did you mean DOTNET_VERSION?)",
                "3:17-3:32 FROM argument 'TARGETPLATFROM' is not declared (did you mean TARGETPLATFORM?)",
                "3:40-3:44 FROM argument 'TAG' is not declared",
            ]
        );
    }

    #[test]
    fn stage_args_are_not_visible_in_from() {
        assert_eq!(
            check_rule(
                "UndefinedArgInFrom",
                "FROM alpine\nARG BASE=alpine\nFROM ${BASE:-alpine}\n"
            ),
            ["3:6-3:21 FROM argument 'BASE' is not declared"]
        );
    }

    #[test]
    fn accepts_declared_and_platform_arguments() {
        assert!(check_rule(
            "UndefinedArgInFrom",
            "ARG DOTNET_VERSION=10.0\nARG REGISTRY\nFROM --platform=$BUILDPLATFORM ${REGISTRY}mcr.microsoft.com/dotnet/sdk:${DOTNET_VERSION}-$TARGETARCH AS build\nFROM build\n"
        )
        .is_empty());
    }
}
