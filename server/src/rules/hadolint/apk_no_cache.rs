use super::packages::apk;
use super::runs::runs_using;
use crate::declare_rule;
use crate::rules::{Diagnostics, RuleContext};

declare_rule! {
/// ## What it does
/// Checks that `apk add` has `--no-cache`, unless a cache mount covers `/var/cache/apk`.
///
/// ## Why is this bad?
/// Without `--no-cache`, apk keeps the downloaded package index in `/var/cache/apk` and the
/// image carries it. `--no-cache` fetches the index, uses it and deletes it, which also makes
/// `apk update` before and `rm -rf /var/cache/apk/*` after unnecessary.
///
/// ## Example
/// ```dockerfile
/// FROM mcr.microsoft.com/dotnet/runtime-deps:10.0-alpine
/// RUN apk update && apk add icu-libs
/// ```
///
/// ## Use instead
/// ```dockerfile
/// FROM mcr.microsoft.com/dotnet/runtime-deps:10.0-alpine
/// RUN apk add --no-cache icu-libs
/// ```
///
/// ## Fix safety
/// No automatic fix.
///
/// ## References
/// - [hadolint DL3019](https://github.com/hadolint/hadolint/wiki/DL3019)
    ApkNoCache {
        severity: Info,
        origin: Hadolint,
        summary: "`apk add` without `--no-cache` leaves the package index in the image.",
        hadolint: "DL3019",
    }
}

impl ApkNoCache {
    fn run(ctx: &RuleContext, out: &mut Diagnostics) {
        for run in runs_using(ctx, |name| name == "apk") {
            // Only `apk add` is reported.
            if !run.commands().any(|c| c.is("apk")) {
                continue;
            }
            if run.mounts_cache_over("/var/cache/apk") || run.mounts_cache_over("/etc/apk/cache") {
                continue;
            }
            for add in run.commands().filter_map(apk) {
                if add.verb.text == "add" && !add.command.has_option(&["no-cache"]) {
                    out.report(
                        &Self::META,
                        add.range(),
                        "Use the `--no-cache` switch to avoid the need to use `--update` and remove `/var/cache/apk/*` when done installing packages",
                    );
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::check_rule;

    #[test]
    fn reports_add_without_no_cache() {
        assert_eq!(
            check_rule(
                "ApkNoCache",
                "FROM alpine:3.20\nRUN apk update && apk add --update icu-libs\n"
            ),
            ["2:19-2:26 Use the `--no-cache` switch to avoid the need to use `--update` and remove `/var/cache/apk/*` when done installing packages"]
        );
    }

    #[test]
    fn silent_with_no_cache_or_a_cache_mount() {
        assert!(check_rule(
            "ApkNoCache",
            "FROM alpine:3.20\nRUN apk add --no-cache icu-libs\nRUN --mount=type=cache,target=/var/cache/apk apk add tzdata\n"
        )
        .is_empty());
    }
}
