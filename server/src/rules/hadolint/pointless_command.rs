use super::runs::runs_using;
use crate::declare_rule;
use crate::rules::{Diagnostics, RuleContext};

declare_rule! {
/// ## What it does
/// Checks RUN instructions for commands that have no use while an image is built: `ssh`,
/// `vim`, `shutdown`, `service`, `ps`, `free`, `top`, `kill`, `mount`, `ifconfig`.
///
/// ## Why is this bad?
/// A RUN step starts no services and keeps no processes: a service started in one RUN is
/// gone in the next, there is nothing to `kill`, interactive tools wait for a terminal that
/// is not there, and `mount` needs privileges the build does not have. Such commands are
/// usually copied from a server setup script and do nothing, or fail.
///
/// ## Example
/// ```dockerfile
/// RUN service nginx start
/// ```
///
/// ## Use instead
/// ```dockerfile
/// CMD ["nginx", "-g", "daemon off;"]
/// ```
///
/// ## Fix safety
/// No automatic fix.
///
/// ## References
/// - [hadolint DL3001](https://github.com/hadolint/hadolint/wiki/DL3001)
    PointlessCommand {
        severity: Info,
        origin: Hadolint,
        summary: "A RUN instruction uses a command that makes no sense while building an image.",
        hadolint: "DL3001",
    }
}

const POINTLESS: &[&str] = &[
    "free", "ifconfig", "kill", "mount", "ps", "service", "shutdown", "ssh", "top", "vim",
];

impl PointlessCommand {
    fn run(ctx: &RuleContext, out: &mut Diagnostics) {
        for run in runs_using(ctx, |name| POINTLESS.contains(&name)) {
            for command in run.commands().filter(|c| POINTLESS.contains(&c.name())) {
                out.report(
                    &Self::META,
                    command.program().range,
                    "For some bash commands it makes no sense running them in a Docker container like `ssh`, `vim`, `shutdown`, `service`, `ps`, `free`, `top`, `kill`, `mount`, `ifconfig`",
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::check_rule;

    const MESSAGE: &str = "For some bash commands it makes no sense running them in a Docker container like `ssh`, `vim`, `shutdown`, `service`, `ps`, `free`, `top`, `kill`, `mount`, `ifconfig`";

    #[test]
    fn reports_pointless_commands() {
        assert_eq!(
            check_rule(
                "PointlessCommand",
                "FROM debian:12\nRUN service nginx start && sudo kill -9 1\n"
            ),
            [
                format!("2:5-2:12 {MESSAGE}"),
                format!("2:33-2:37 {MESSAGE}")
            ]
        );
    }

    #[test]
    fn silent_for_packages_of_that_name() {
        assert!(check_rule(
            "PointlessCommand",
            "FROM debian:12\nRUN apt-get install -y procps vim && echo top\nCMD [\"top\"]\n"
        )
        .is_empty());
    }
}
