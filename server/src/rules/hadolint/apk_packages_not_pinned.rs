use super::packages::apk;
use super::runs::runs_using;
use crate::declare_rule;
use crate::rules::{Diagnostics, RuleContext};

declare_rule! {
/// ## What it does
/// Checks that every package of `apk add` has a version constraint: `icu-libs=74.2-r0` or
/// `icu-libs~74`. Package files (`.apk`), virtual package names (`-t name`) and variables are
/// accepted.
///
/// ## Why is this bad?
/// Without a version, each build installs whatever the Alpine repository has that day, so two
/// builds of the same Dockerfile can differ. Alpine keeps only the current version of a
/// package in a branch, so an exact pin fails once the package is updated; `~` pins the
/// major or minor version and keeps receiving fixes.
///
/// ## Example
/// ```dockerfile
/// FROM mcr.microsoft.com/dotnet/aspnet:10.0-alpine
/// RUN apk add --no-cache icu-libs
/// ```
///
/// ## Use instead
/// ```dockerfile
/// FROM mcr.microsoft.com/dotnet/aspnet:10.0-alpine
/// RUN apk add --no-cache icu-libs~74
/// ```
///
/// ## Fix safety
/// No automatic fix.
///
/// ## References
/// - [hadolint DL3018](https://github.com/hadolint/hadolint/wiki/DL3018)
    ApkPackagesNotPinned {
        severity: Info,
        origin: Hadolint,
        summary: "A package of `apk add` has no version constraint.",
        hadolint: "DL3018",
        // Opt-in for the same reason as DL3008: pinned apk versions vanish from the mirror.
        default_enabled: false,
    }
}

impl ApkPackagesNotPinned {
    fn run(ctx: &RuleContext, out: &mut Diagnostics) {
        for run in runs_using(ctx, |name| name == "apk") {
            for add in run.commands().filter_map(apk) {
                if add.verb.text != "add" {
                    continue;
                }
                for package in &add.operands {
                    let name: &str = &package.text;
                    let pinned = name.contains(['=', '~', '<', '>', '$']) || name.ends_with(".apk");
                    if !pinned {
                        out.report(
                            &Self::META,
                            package.range,
                            format!(
                                "Pin versions in apk add. Instead of `apk add {name}` use `apk add {name}=<version>`"
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
    use crate::rules::test_support::check_rule;

    #[test]
    fn reports_each_unpinned_package() {
        assert_eq!(
            check_rule(
                "ApkPackagesNotPinned",
                "FROM alpine:3.20\nRUN apk add --no-cache --virtual .build-deps icu-libs tzdata~2024 ./x.apk\n"
            ),
            ["2:46-2:54 Pin versions in apk add. Instead of `apk add icu-libs` use `apk add icu-libs=<version>`"]
        );
    }

    #[test]
    fn silent_for_pinned_packages() {
        assert!(check_rule(
            "ApkPackagesNotPinned",
            "FROM alpine:3.20\nRUN apk add --no-cache icu-libs=74.2-r0 \"krb5-libs>=1.21\" && apk del .build-deps\n"
        )
        .is_empty());
    }
}
