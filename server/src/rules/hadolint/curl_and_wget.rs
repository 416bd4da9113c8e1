use super::runs::{runs_using, Run};
use crate::declare_rule;
use crate::rules::{Diagnostics, RuleContext};

declare_rule! {
/// ## What it does
/// Checks that a stage downloads with either `curl` or `wget`, not both. The tool used second
/// is reported, at each use.
///
/// ## Why is this bad?
/// Two tools that do the same thing mean two packages to install, patch and keep in the
/// image, and two sets of options for the reader to know.
///
/// ## Example
/// ```dockerfile
/// RUN curl -fsSLO https://dot.net/v1/dotnet-install.sh
/// RUN wget -q https://aka.ms/getvsdbgsh
/// ```
///
/// ## Use instead
/// ```dockerfile
/// RUN curl -fsSLO https://dot.net/v1/dotnet-install.sh
/// RUN curl -fsSL -o getvsdbg.sh https://aka.ms/getvsdbgsh
/// ```
///
/// ## Fix safety
/// No automatic fix.
///
/// ## References
/// - [hadolint DL4001](https://github.com/hadolint/hadolint/wiki/DL4001)
    CurlAndWget {
        severity: Warning,
        origin: Hadolint,
        summary: "A stage uses both `curl` and `wget`.",
        hadolint: "DL4001",
    }
}

impl CurlAndWget {
    fn run(ctx: &RuleContext, out: &mut Diagnostics) {
        // Runs are in file order, so the runs of a stage follow each other.
        let using: Vec<Run> = runs_using(ctx, |name| matches!(name, "curl" | "wget")).collect();
        for stage_runs in using.chunk_by(|a, b| a.stage == b.stage) {
            let uses: Vec<_> = stage_runs
                .iter()
                .flat_map(|r| r.commands())
                .filter(|c| c.is("curl") || c.is("wget"))
                .collect();
            let Some(first) = uses.first().map(|c| c.name()) else {
                continue;
            };
            for second in uses.iter().filter(|c| c.name() != first) {
                out.report(
                    &Self::META,
                    second.program().range,
                    format!(
                        "Either use Wget or Curl but not both: this stage already uses `{first}`."
                    ),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::check_rule;

    #[test]
    fn reports_the_second_tool() {
        assert_eq!(
            check_rule(
                "CurlAndWget",
                "FROM debian:12\nRUN curl -fsSLO x\nRUN wget -q y && curl z && wget -q w\n"
            ),
            [
                "3:5-3:9 Either use Wget or Curl but not both: this stage already uses `curl`.",
                "3:28-3:32 Either use Wget or Curl but not both: this stage already uses `curl`.",
            ]
        );
    }

    #[test]
    fn silent_across_stages() {
        assert!(check_rule(
            "CurlAndWget",
            "FROM debian:12 AS a\nRUN curl -fsSLO x && command -v wget\nFROM debian:12 AS b\nRUN wget -q y\n"
        )
        .is_empty());
    }
}
