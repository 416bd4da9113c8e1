use super::runs::runs_using;
use crate::declare_rule;
use crate::rules::{Diagnostics, RuleContext};

declare_rule! {
/// ## What it does
/// Checks for `ln` commands that replace `/bin/sh`, such as `ln -sf /bin/bash /bin/sh`.
///
/// ## Why is this bad?
/// Replacing `/bin/sh` changes the shell of every script in the image, including the
/// distribution's own maintainer scripts that expect dash or BusyBox. The SHELL instruction
/// changes the shell of the Dockerfile's RUN instructions only, and says so where readers
/// look for it.
///
/// ## Example
/// ```dockerfile
/// RUN ln -sf /bin/bash /bin/sh
/// ```
///
/// ## Use instead
/// ```dockerfile
/// SHELL ["/bin/bash", "-o", "pipefail", "-c"]
/// ```
///
/// ## Fix safety
/// No automatic fix.
///
/// ## References
/// - [hadolint DL4005](https://github.com/hadolint/hadolint/wiki/DL4005)
    SymlinkDefaultShell {
        severity: Warning,
        origin: Hadolint,
        summary: "A RUN instruction replaces `/bin/sh` with `ln` instead of using SHELL.",
        hadolint: "DL4005",
    }
}

impl SymlinkDefaultShell {
    fn run(ctx: &RuleContext, out: &mut Diagnostics) {
        for run in runs_using(ctx, |name| name == "ln") {
            for ln in run.commands().filter(|c| c.is("ln")) {
                if let Some(target) = ln.args().iter().find(|a| a.text == "/bin/sh") {
                    out.report(
                        &Self::META,
                        target.range,
                        "Use SHELL to change the default shell",
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
    fn reports_the_replaced_shell() {
        assert_eq!(
            check_rule(
                "SymlinkDefaultShell",
                "FROM debian:12\nRUN ln -sf /bin/bash /bin/sh\n"
            ),
            ["2:22-2:29 Use SHELL to change the default shell"]
        );
    }

    #[test]
    fn silent_for_other_links() {
        assert!(check_rule(
            "SymlinkDefaultShell",
            "FROM debian:12\nRUN ln -s /usr/share/dotnet/dotnet /usr/bin/dotnet\nSHELL [\"/bin/bash\", \"-c\"]\n"
        )
        .is_empty());
    }
}
