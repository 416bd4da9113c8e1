use super::packages::{apt_config_is, apt_config_values, apt_get};
use super::runs::runs_using;
use crate::declare_rule;
use crate::rules::{Diagnostics, RuleContext};

declare_rule! {
/// ## What it does
/// Checks that `apt-get install` (and the other apt-get verbs that ask for confirmation:
/// `upgrade`, `dist-upgrade`, `full-upgrade`, `remove`, `purge`, `autoremove`, `build-dep`)
/// answers the question itself with `-y`, `--yes`, `--assume-yes` or `-qq`.
///
/// ## Why is this bad?
/// A build has no terminal: when apt-get asks "Do you want to continue? [Y/n]" it reads the
/// end of its input, answers no and stops with "Abort.", failing the build. Whether it asks
/// depends on how many extra packages are pulled in, so a Dockerfile that built yesterday can
/// fail today. `DEBIAN_FRONTEND=noninteractive` does not answer this question.
///
/// ## Example
/// ```dockerfile
/// RUN apt-get update && apt-get install --no-install-recommends libicu72
/// ```
///
/// ## Use instead
/// ```dockerfile
/// RUN apt-get update && apt-get install -y --no-install-recommends libicu72
/// ```
///
/// ## Fix safety
/// No automatic fix.
///
/// ## References
/// - [hadolint DL3014](https://github.com/hadolint/hadolint/wiki/DL3014)
    AptMissingYes {
        severity: Warning,
        origin: Hadolint,
        summary: "`apt-get install` without `-y` stops the build at its confirmation question.",
        hadolint: "DL3014",
    }
}

const CONFIRMING_VERBS: &[&str] = &[
    "install",
    "upgrade",
    "dist-upgrade",
    "full-upgrade",
    "remove",
    "purge",
    "autoremove",
    "build-dep",
];

impl AptMissingYes {
    fn run(ctx: &RuleContext, out: &mut Diagnostics) {
        for run in runs_using(ctx, |name| name == "apt-get") {
            for apt in run.commands().filter_map(apt_get) {
                let verb: &str = &apt.verb.text;
                if !CONFIRMING_VERBS.contains(&verb) {
                    continue;
                }
                let options = apt.command.options();
                let quiet_level = options.iter().filter(|(o, _)| o == "q").count();
                let answers_yes = options
                    .iter()
                    .any(|(o, _)| matches!(o.as_str(), "y" | "yes" | "assume-yes" | "force-yes"))
                    || quiet_level >= 2
                    || apt.command.has_arg("--quiet=2")
                    || apt_config_is(
                        &apt_config_values(apt.command),
                        "APT::Get::Assume-Yes",
                        true,
                    );
                if answers_yes {
                    continue;
                }
                let example = if verb == "install" {
                    "apt-get -y install <package>".to_string()
                } else {
                    format!("apt-get -y {verb}")
                };
                out.report(
                    &Self::META,
                    apt.range(),
                    format!("Use the `-y` switch to avoid manual input `{example}`"),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::check_rule;

    #[test]
    fn reports_confirming_verbs_without_yes() {
        assert_eq!(
            check_rule(
                "AptMissingYes",
                "FROM debian:12\nRUN apt-get update && apt-get install --no-install-recommends curl\nRUN DEBIAN_FRONTEND=noninteractive apt-get -q dist-upgrade\nRUN [\"apt-get\", \"install\", \"git\"]\n"
            ),
            [
                "2:23-2:38 Use the `-y` switch to avoid manual input `apt-get -y install <package>`",
                "3:36-3:59 Use the `-y` switch to avoid manual input `apt-get -y dist-upgrade`",
                "4:6-4:26 Use the `-y` switch to avoid manual input `apt-get -y install <package>`",
            ]
        );
    }

    #[test]
    fn silent_when_answered() {
        assert!(check_rule(
            "AptMissingYes",
            "FROM debian:12\nRUN apt-get update \\\n && apt-get install -y curl \\\n && apt-get -qq install git \\\n && apt-get --yes upgrade \\\n && apt-get -o APT::Get::Assume-Yes=true install jq \\\n && apt-get --assume-yes autoremove \\\n && apt-get clean\n"
        )
        .is_empty());
    }
}
