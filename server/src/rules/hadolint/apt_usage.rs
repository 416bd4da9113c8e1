use super::runs::runs_using;
use crate::declare_rule;
use crate::rules::{Diagnostics, RuleContext};

declare_rule! {
/// ## What it does
/// Checks for the `apt` command in RUN instructions.
///
/// ## Why is this bad?
/// `apt` is meant for people at a terminal: its output and command-line interface may change
/// between releases, and it warns "apt does not have a stable CLI interface. Use with caution
/// in scripts." `apt-get` and `apt-cache` are the stable tools for scripts.
///
/// ## Example
/// ```dockerfile
/// RUN apt update && apt install -y libicu72
/// ```
///
/// ## Use instead
/// ```dockerfile
/// RUN apt-get update \
///     && apt-get install -y --no-install-recommends libicu72 \
///     && rm -rf /var/lib/apt/lists/*
/// ```
///
/// ## Fix safety
/// No automatic fix.
///
/// ## References
/// - [hadolint DL3027](https://github.com/hadolint/hadolint/wiki/DL3027)
    AptUsage {
        severity: Warning,
        origin: Hadolint,
        summary: "A RUN instruction uses `apt` instead of `apt-get` or `apt-cache`.",
        hadolint: "DL3027",
    }
}

impl AptUsage {
    fn run(ctx: &RuleContext, out: &mut Diagnostics) {
        for run in runs_using(ctx, |name| name == "apt") {
            for command in run.commands().filter(|c| c.is("apt")) {
                out.report(
                    &Self::META,
                    command.program().range,
                    "Do not use apt as it is meant to be a end-user tool, use apt-get or apt-cache instead",
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::check_rule;

    #[test]
    fn reports_apt() {
        assert_eq!(
            check_rule("AptUsage", "FROM ubuntu:24.04\nRUN apt update && sudo apt install -y curl\n"),
            [
                "2:5-2:8 Do not use apt as it is meant to be a end-user tool, use apt-get or apt-cache instead",
                "2:24-2:27 Do not use apt as it is meant to be a end-user tool, use apt-get or apt-cache instead",
            ]
        );
    }

    #[test]
    fn silent_on_apt_get() {
        assert!(check_rule(
            "AptUsage",
            "FROM ubuntu:24.04\nRUN apt-get update && apt-cache policy apt && apt-get install -y apt\n"
        )
        .is_empty());
    }
}
