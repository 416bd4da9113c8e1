use super::runs::runs_using;
use crate::declare_rule;
use crate::rules::{Diagnostics, RuleContext};

declare_rule! {
/// ## What it does
/// Checks for `cd` in RUN instructions.
///
/// ## Why is this bad?
/// A `cd` lasts only until the end of its RUN instruction, so the next instruction runs in
/// the old directory again. That makes Dockerfiles hard to read and breaks when commands are
/// moved between instructions. `WORKDIR` sets the directory for every following RUN, CMD,
/// ENTRYPOINT, COPY and ADD, and creates it when missing.
///
/// ## Example
/// ```dockerfile
/// RUN cd /src/Api && dotnet publish -c Release -o /app
/// ```
///
/// ## Use instead
/// ```dockerfile
/// WORKDIR /src/Api
/// RUN dotnet publish -c Release -o /app
/// ```
///
/// ## Fix safety
/// No automatic fix.
///
/// ## References
/// - [hadolint DL3003](https://github.com/hadolint/hadolint/wiki/DL3003)
    UseWorkdir {
        severity: Warning,
        origin: Hadolint,
        summary: "A RUN instruction changes directory with `cd` instead of WORKDIR.",
        hadolint: "DL3003",
    }
}

impl UseWorkdir {
    fn run(ctx: &RuleContext, out: &mut Diagnostics) {
        for run in runs_using(ctx, |name| name == "cd") {
            for command in run.commands().filter(|c| c.is("cd")) {
                out.report(
                    &Self::META,
                    command.program().range,
                    "Use WORKDIR to switch to a directory.",
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::check_rule;

    #[test]
    fn reports_cd_commands() {
        assert_eq!(
            check_rule(
                "UseWorkdir",
                "FROM mcr.microsoft.com/dotnet/sdk:10.0\nRUN cd src/Api && dotnet build\nRUN mkdir x; (cd x && touch y)\nRUN <<EOF\nset -e\ncd /tmp\nEOF\n"
            ),
            [
                "2:5-2:7 Use WORKDIR to switch to a directory.",
                "3:15-3:17 Use WORKDIR to switch to a directory.",
                "6:1-6:3 Use WORKDIR to switch to a directory.",
            ]
        );
    }

    #[test]
    fn silent_on_workdir_and_cd_as_argument() {
        assert!(check_rule(
            "UseWorkdir",
            "FROM mcr.microsoft.com/dotnet/sdk:10.0\nWORKDIR /src\nRUN echo cd && git clone x abcd\nCMD cd /app\n"
        )
        .is_empty());
    }
}
