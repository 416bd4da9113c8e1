use super::runs::runs_using;
use crate::declare_rule;
use crate::rules::{Diagnostics, RuleContext};

declare_rule! {
/// ## What it does
/// Checks for `sudo` in RUN instructions, alone or in front of another command.
///
/// ## Why is this bad?
/// RUN already runs as the user set by the last `USER` instruction; to run something as root,
/// switch with `USER root` and back. `sudo` is missing from most base images (the .NET images
/// included), asks for a password or a TTY, and changes the environment in ways that differ
/// between distributions. To drop privileges at run time, use a tool like `gosu`.
///
/// ## Example
/// ```dockerfile
/// FROM mcr.microsoft.com/dotnet/aspnet:10.0
/// USER app
/// RUN sudo apt-get update
/// ```
///
/// ## Use instead
/// ```dockerfile
/// FROM mcr.microsoft.com/dotnet/aspnet:10.0
/// RUN apt-get update
/// USER app
/// ```
///
/// ## Fix safety
/// No automatic fix.
///
/// ## References
/// - [hadolint DL3004](https://github.com/hadolint/hadolint/wiki/DL3004)
    SudoUsage {
        severity: Error,
        origin: Hadolint,
        summary: "A RUN instruction uses `sudo`.",
        hadolint: "DL3004",
    }
}

const MESSAGE: &str =
    "Do not use sudo as it leads to unpredictable behavior. Use a tool like gosu to enforce root";

impl SudoUsage {
    fn run(ctx: &RuleContext, out: &mut Diagnostics) {
        for run in runs_using(ctx, |name| name == "sudo") {
            for command in run.commands() {
                let sudo_words = command
                    .wrappers()
                    .iter()
                    .chain(std::iter::once(command.program()))
                    .filter(|w| super::shell::basename(&w.text) == "sudo");
                for word in sudo_words {
                    out.report(&Self::META, word.range, MESSAGE);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::check_rule;

    #[test]
    fn reports_each_sudo() {
        assert_eq!(
            check_rule(
                "SudoUsage",
                "FROM debian:12\nRUN sudo -E apt-get update && \\\n    /usr/bin/sudo -i\nRUN [\"sudo\", \"ls\"]\nONBUILD RUN echo $(sudo id)\n"
            ),
            [
                "2:5-2:9 Do not use sudo as it leads to unpredictable behavior. Use a tool like gosu to enforce root",
                "3:5-3:18 Do not use sudo as it leads to unpredictable behavior. Use a tool like gosu to enforce root",
                "4:6-4:12 Do not use sudo as it leads to unpredictable behavior. Use a tool like gosu to enforce root",
                "5:20-5:24 Do not use sudo as it leads to unpredictable behavior. Use a tool like gosu to enforce root",
            ]
        );
    }

    #[test]
    fn silent_without_sudo() {
        assert!(check_rule(
            "SudoUsage",
            "FROM debian:12\nRUN echo sudo && apt-get install -y sudo-ldap\nUSER root\n"
        )
        .is_empty());
    }
}
