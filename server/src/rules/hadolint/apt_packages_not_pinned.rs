use super::packages::apt_get;
use super::runs::runs_using;
use crate::declare_rule;
use crate::rules::{Diagnostics, RuleContext};

declare_rule! {
/// ## What it does
/// Checks that every package of `apt-get install` has a version: `curl=7.88.1-10+deb12u8`.
/// Packages given as a release (`curl/bookworm-backports`), a `.deb` file or a variable are
/// accepted.
///
/// ## Why is this bad?
/// Without a version, each build installs whatever the archive has that day, so two builds of
/// the same Dockerfile can differ and a new package version can break the image without any
/// change to the Dockerfile.
///
/// Pinning has a cost on Debian and Ubuntu: the archives drop superseded versions, so pinned
/// builds fail after security updates until the pins are bumped. This is why the rule is only
/// informational; many teams prefer pinning the base image by digest and rebuilding often.
///
/// ## Example
/// ```dockerfile
/// RUN apt-get update \
///     && apt-get install -y --no-install-recommends curl \
///     && rm -rf /var/lib/apt/lists/*
/// ```
///
/// ## Use instead
/// ```dockerfile
/// RUN apt-get update \
///     && apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u8 \
///     && rm -rf /var/lib/apt/lists/*
/// ```
///
/// ## Fix safety
/// No automatic fix.
///
/// ## References
/// - [hadolint DL3008](https://github.com/hadolint/hadolint/wiki/DL3008)
    AptPackagesNotPinned {
        severity: Info,
        origin: Hadolint,
        summary: "A package of `apt-get install` has no pinned version.",
        hadolint: "DL3008",
        // Pinning distribution package versions breaks builds whenever the mirror moves on;
        // many teams choose not to, so this is opt-in (`[rules] enable = ["DL3008"]`).
        default_enabled: false,
    }
}

impl AptPackagesNotPinned {
    fn run(ctx: &RuleContext, out: &mut Diagnostics) {
        for run in runs_using(ctx, |name| name == "apt-get") {
            for apt in run.commands().filter_map(apt_get) {
                if apt.verb.text != "install" {
                    continue;
                }
                for package in &apt.operands {
                    let name: &str = &package.text;
                    let pinned = name.contains('=')
                        || name.contains('/')
                        || name.ends_with(".deb")
                        || name.contains('$');
                    if !pinned {
                        out.report(
                            &Self::META,
                            package.range,
                            format!(
                                "Pin versions in apt get install. Instead of `apt-get install {name}` use `apt-get install {name}=<version>`"
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
                "AptPackagesNotPinned",
                "FROM debian:12\nRUN apt-get install -y -t bookworm-backports curl git=1:2.39.5-0+deb12u1 \\\n  ./local.deb tzdata/bookworm $EXTRA\n"
            ),
            ["2:46-2:50 Pin versions in apt get install. Instead of `apt-get install curl` use `apt-get install curl=<version>`"]
        );
    }

    #[test]
    fn silent_for_pinned_packages_and_other_verbs() {
        assert!(check_rule(
            "AptPackagesNotPinned",
            "FROM debian:12\nRUN apt-get update && apt-get install -y libicu72=72.1-3 && apt-get remove -y perl\n"
        )
        .is_empty());
    }
}
