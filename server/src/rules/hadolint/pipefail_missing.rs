use super::runs::runs_with_pipes;
use super::shell::Command;
use crate::declare_rule;
use crate::rules::{Diagnostics, RuleContext};

declare_rule! {
/// ## What it does
/// Checks that a RUN instruction with a pipe (`a | b`) runs with `pipefail`: set by
/// `SHELL ["/bin/bash", "-o", "pipefail", "-c"]` (in the stage or a stage it is built from),
/// by `set -o pipefail` in the script before the pipe, or by `bash -o pipefail -c`. RUN
/// instructions under PowerShell or cmd are not checked.
///
/// ## Why is this bad?
/// A pipeline's exit status is the status of its *last* command. In
/// `curl -fsSL https://example.com/tool.tgz | tar -xz` a failed download still ends in a
/// successful step whenever `tar` exits 0, and the build goes on with a broken image. With
/// `pipefail` the build stops at the failure.
///
/// The default `/bin/sh` of Debian (dash) has no `pipefail` option; set a SHELL that has one
/// (bash, or ash on Alpine).
///
/// ## Example
/// ```dockerfile
/// FROM mcr.microsoft.com/dotnet/sdk:10.0
/// RUN curl -fsSL https://example.com/tool.tgz | tar -xz -C /usr/local/bin
/// ```
///
/// ## Use instead
/// ```dockerfile
/// FROM mcr.microsoft.com/dotnet/sdk:10.0
/// SHELL ["/bin/bash", "-o", "pipefail", "-c"]
/// RUN curl -fsSL https://example.com/tool.tgz | tar -xz -C /usr/local/bin
/// ```
///
/// ## Fix safety
/// No automatic fix.
///
/// ## References
/// - [hadolint DL4006](https://github.com/hadolint/hadolint/wiki/DL4006)
    PipefailMissing {
        severity: Warning,
        origin: Hadolint,
        summary: "A RUN instruction with a pipe does not set `pipefail`.",
        hadolint: "DL4006",
    }
}

/// `set -o pipefail`, `set -euxo pipefail`, `bash -o pipefail -c ...`.
fn sets_pipefail(command: &Command) -> bool {
    let name = command.name();
    if !matches!(name, "set" | "bash" | "zsh" | "ash" | "ksh" | "mksh") {
        return false;
    }
    command.args().windows(2).any(|pair| {
        let option: &str = &pair[0].text;
        option.starts_with('-')
            && !option.starts_with("--")
            && option.ends_with('o')
            && pair[1].text == "pipefail"
    })
}

impl PipefailMissing {
    fn run(ctx: &RuleContext, out: &mut Diagnostics) {
        for run in runs_with_pipes(ctx) {
            if run.shell.pipefail {
                continue;
            }
            let setters: Vec<usize> = run
                .commands()
                .filter(|c| sets_pipefail(c))
                .map(|c| c.program().range.start())
                .collect();
            let unprotected = run
                .scripts()
                .flat_map(|s| s.pipes())
                .filter(|pipe| !setters.iter().any(|&at| at <= pipe.start()))
                .min_by_key(|pipe| pipe.start());
            if let Some(pipe) = unprotected {
                out.report(
                    &Self::META,
                    *pipe,
                    "Set the SHELL option -o pipefail before RUN with a pipe in it. If you are using /bin/sh in an alpine image or if your shell is symlinked to busybox then consider explicitly setting your SHELL to /bin/ash, or disable this check",
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::check_rule;

    const MESSAGE: &str = "Set the SHELL option -o pipefail before RUN with a pipe in it. If you are using /bin/sh in an alpine image or if your shell is symlinked to busybox then consider explicitly setting your SHELL to /bin/ash, or disable this check";

    #[test]
    fn reports_the_first_pipe_of_each_run() {
        assert_eq!(
            check_rule(
                "PipefailMissing",
                "FROM debian:12 AS base\nRUN curl -fsSL x | tar -xz && echo a | wc -l\n\
                 SHELL [\"/bin/sh\", \"-c\"]\nRUN <<EOF\nls | grep a\nset -o pipefail\nEOF\n\
                 FROM base AS next\nRUN [\"sh\", \"-c\", \"a | b\"]\n"
            ),
            [
                format!("2:18-2:19 {MESSAGE}"),
                format!("5:4-5:5 {MESSAGE}"),
                format!("9:21-9:22 {MESSAGE}"),
            ]
        );
    }

    #[test]
    fn silent_with_pipefail() {
        assert!(check_rule(
            "PipefailMissing",
            "FROM debian:12 AS base\nSHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]\nRUN a | b\n\
             FROM base AS child\nRUN c | d\n\
             FROM debian:12\nRUN set -euxo pipefail; a | b\nRUN bash -o pipefail -c 'a | b'\n\
             RUN [\"/bin/bash\", \"-eo\", \"pipefail\", \"-c\", \"a | b\"]\nRUN a || b\n\
             SHELL [\"pwsh\", \"-Command\"]\nRUN Get-ChildItem | Select-Object Name\n\
             FROM mcr.microsoft.com/dotnet/aspnet:10.0-nanoserver-ltsc2022\nRUN dir | findstr x\n"
        )
        .is_empty());
    }
}
