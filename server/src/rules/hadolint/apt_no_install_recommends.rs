use super::packages::{apt_config_is, apt_config_values, apt_get};
use super::runs::runs_using;
use crate::declare_rule;
use crate::rules::{Diagnostics, RuleContext};

declare_rule! {
/// ## What it does
/// Checks that `apt-get install` has `--no-install-recommends` (or
/// `-o APT::Install-Recommends=false`).
///
/// ## Why is this bad?
/// By default apt-get also installs the packages that the requested ones only *recommend*:
/// documentation, extra tools, sometimes whole language runtimes. They make the image larger
/// and add packages to patch, and nothing in the container uses them.
///
/// ## Example
/// ```dockerfile
/// RUN apt-get update \
///     && apt-get install -y curl \
///     && rm -rf /var/lib/apt/lists/*
/// ```
///
/// ## Use instead
/// ```dockerfile
/// RUN apt-get update \
///     && apt-get install -y --no-install-recommends curl \
///     && rm -rf /var/lib/apt/lists/*
/// ```
///
/// ## Fix safety
/// No automatic fix.
///
/// ## References
/// - [hadolint DL3015](https://github.com/hadolint/hadolint/wiki/DL3015)
    AptNoInstallRecommends {
        severity: Info,
        origin: Hadolint,
        summary: "`apt-get install` without `--no-install-recommends` installs extra packages.",
        hadolint: "DL3015",
    }
}

impl AptNoInstallRecommends {
    fn run(ctx: &RuleContext, out: &mut Diagnostics) {
        for run in runs_using(ctx, |name| name == "apt-get") {
            for apt in run.commands().filter_map(apt_get) {
                if apt.verb.text != "install" {
                    continue;
                }
                let disabled = apt.command.has_option(&["no-install-recommends"])
                    || apt_config_is(
                        &apt_config_values(apt.command),
                        "APT::Install-Recommends",
                        false,
                    );
                if !disabled {
                    out.report(
                        &Self::META,
                        apt.range(),
                        "Avoid additional packages by specifying `--no-install-recommends`",
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
    fn reports_install_without_the_switch() {
        assert_eq!(
            check_rule(
                "AptNoInstallRecommends",
                "FROM debian:12\nRUN apt-get update && apt-get install -y curl && apt-get -y upgrade\n"
            ),
            ["2:23-2:38 Avoid additional packages by specifying `--no-install-recommends`"]
        );
    }

    #[test]
    fn silent_with_the_switch_or_option() {
        assert!(check_rule(
            "AptNoInstallRecommends",
            "FROM debian:12\nRUN apt-get install -y --no-install-recommends curl\nRUN apt-get -o APT::Install-Recommends=0 install -y git\n"
        )
        .is_empty());
    }
}
