use super::runs::runs_using;
use crate::declare_rule;
use crate::rules::{Diagnostics, RuleContext};

declare_rule! {
/// ## What it does
/// Checks that `wget` has `--progress=...`, `-q`/`--quiet`, `-nv`/`--no-verbose`, or writes
/// its log elsewhere (`-o`, `-a`).
///
/// ## Why is this bad?
/// Without a terminal, wget prints its progress as one line per few kilobytes: downloading
/// an SDK or a tool adds thousands of lines to the build log, hiding the lines that matter.
///
/// ## Example
/// ```dockerfile
/// RUN wget https://dot.net/v1/dotnet-install.sh
/// ```
///
/// ## Use instead
/// ```dockerfile
/// RUN wget --progress=dot:giga https://dot.net/v1/dotnet-install.sh
/// ```
///
/// ## Fix safety
/// No automatic fix.
///
/// ## References
/// - [hadolint DL3047](https://github.com/hadolint/hadolint/wiki/DL3047)
    WgetProgressBar {
        severity: Info,
        origin: Hadolint,
        summary: "`wget` without `--progress` or `-q` floods the build log.",
        hadolint: "DL3047",
    }
}

impl WgetProgressBar {
    fn run(ctx: &RuleContext, out: &mut Diagnostics) {
        for run in runs_using(ctx, |name| name == "wget") {
            for wget in run.commands().filter(|c| c.is("wget")) {
                let quiet = wget.has_option(&[
                    "progress",
                    "q",
                    "quiet",
                    "o",
                    "output-file",
                    "a",
                    "append-output",
                    "no-verbose",
                ]) || wget.has_arg("-nv");
                if !quiet {
                    out.report(
                        &Self::META,
                        wget.program().range,
                        "Avoid use of wget without progress bar. Use `wget --progress=dot:giga <url>`. Or consider using `-q` or `-nv` (shorthands for `--quiet` or `--no-verbose`).",
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
    fn reports_noisy_wget() {
        assert_eq!(
            check_rule(
                "WgetProgressBar",
                "FROM debian:12\nRUN wget -O /tmp/x.sh https://dot.net/v1/dotnet-install.sh\n"
            ),
            ["2:5-2:9 Avoid use of wget without progress bar. Use `wget --progress=dot:giga <url>`. Or consider using `-q` or `-nv` (shorthands for `--quiet` or `--no-verbose`)."]
        );
    }

    #[test]
    fn silent_when_quiet() {
        assert!(check_rule(
            "WgetProgressBar",
            "FROM debian:12\nRUN wget -qO- x | tar xz && wget --progress=dot:giga y && wget -nv z && wget -o log w\n"
        )
        .is_empty());
    }
}
