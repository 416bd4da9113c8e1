use super::runs::runs_using;
use super::shell::{shell_c_script, Command, POSIX_SHELLS};
use crate::declare_rule;
use crate::rules::{Diagnostics, RuleContext};

declare_rule! {
/// ## What it does
/// Checks for scripts downloaded with `curl` or `wget` and run straight away by a shell:
/// `curl ... | sh`, `wget -qO- ... | bash -s`, `bash -c "$(curl ...)"` and `bash <(curl ...)`.
///
/// ## Why is this bad?
/// The build runs whatever the server returns at that moment, as root, without any check: a
/// compromised or hijacked download site, a changed script or a half-transferred file (the
/// shell runs the part that arrived) changes the image silently. A pipe also hides a failed
/// download unless `pipefail` is set.
///
/// For .NET this is the usual way to install `dotnet-install.sh` or `vsdbg`. Prefer the
/// official SDK or runtime images; otherwise download the script to a file, check its
/// SHA-256, then run it.
///
/// ## Example
/// ```dockerfile
/// RUN curl -sSL https://dot.net/v1/dotnet-install.sh | bash /dev/stdin --channel 10.0
/// ```
///
/// ## Use instead
/// ```dockerfile
/// ADD --checksum=sha256:<sha256> https://dot.net/v1/dotnet-install.sh /tmp/dotnet-install.sh
/// RUN bash /tmp/dotnet-install.sh --channel 10.0
/// ```
///
/// ## Fix safety
/// No automatic fix.
    CurlPipeShell {
        severity: Warning,
        origin: Hadolint,
        summary: "A script downloaded with curl or wget is run by a shell without being checked.",
    }
}

fn is_download(command: &Command) -> bool {
    command.is("curl") || command.is("wget")
}

impl CurlPipeShell {
    fn run(ctx: &RuleContext, out: &mut Diagnostics) {
        for run in runs_using(ctx, |name| POSIX_SHELLS.contains(&name)) {
            for script in run.scripts() {
                for shell in script
                    .commands()
                    .filter(|c| POSIX_SHELLS.contains(&c.name()))
                {
                    let c_script = shell_c_script(&shell);
                    // `curl x | sh`: the shell reads the download from its input.
                    if shell.pipe_position() > 0 && c_script.is_none() {
                        if let Some(download) = script.upstream(shell).find(|c| is_download(c)) {
                            let range = download.range().cover(shell.range());
                            out.report(
                                &Self::META,
                                range,
                                format!(
                                    "The output of `{}` is piped to `{}`: the downloaded script runs unchecked. Download it to a file, verify its checksum, then run it.",
                                    download.name(),
                                    shell.name()
                                ),
                            );
                            continue;
                        }
                    }
                    // `bash -c "$(curl x)"`, `bash <(curl x)`: the script is the download.
                    let script_word = c_script.or_else(|| {
                        shell
                            .args()
                            .iter()
                            .find(|a| !a.text.starts_with('-') || a.text.starts_with("<("))
                    });
                    let Some(word) = script_word else { continue };
                    let inner_download = script.commands().find(|c| {
                        c.substituted()
                            && is_download(c)
                            && word.range.start() <= c.program().range.start()
                            && c.program().range.end() <= word.range.end()
                    });
                    if let Some(download) = inner_download {
                        out.report(
                            &Self::META,
                            shell.range(),
                            format!(
                                "`{}` runs the output of `{}`: the downloaded script runs unchecked. Download it to a file, verify its checksum, then run it.",
                                shell.name(),
                                download.name()
                            ),
                        );
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::check_rule;

    #[test]
    fn reports_piped_and_substituted_downloads() {
        assert_eq!(
            check_rule(
                "CurlPipeShell",
                "FROM mcr.microsoft.com/dotnet/aspnet:10.0\n\
                 RUN curl -sSL https://aka.ms/getvsdbgsh | bash /dev/stdin -v latest -l /vsdbg\n\
                 RUN wget -qO- https://x/install.sh | sudo sh -s -- --yes\n\
                 RUN sh -c \"$(curl -fsSL https://x/i.sh)\" && bash <(wget -qO- https://y)\n"
            ),
            [
                "2:5-2:78 The output of `curl` is piped to `bash`: the downloaded script runs unchecked. Download it to a file, verify its checksum, then run it.",
                "3:5-3:57 The output of `wget` is piped to `sh`: the downloaded script runs unchecked. Download it to a file, verify its checksum, then run it.",
                "4:5-4:41 `sh` runs the output of `curl`: the downloaded script runs unchecked. Download it to a file, verify its checksum, then run it.",
                "4:45-4:72 `bash` runs the output of `wget`: the downloaded script runs unchecked. Download it to a file, verify its checksum, then run it.",
            ]
        );
    }

    #[test]
    fn silent_for_checked_downloads() {
        assert!(check_rule(
            "CurlPipeShell",
            "FROM debian:12\n\
             RUN curl -fsSL -o /tmp/i.sh https://x/i.sh \\\n && echo \"abc  /tmp/i.sh\" | sha256sum -c - \\\n && sh /tmp/i.sh\n\
             RUN curl -fsSL https://x/a.tgz | tar -xz && echo \"$(curl -s https://x/v)\" | sh -c 'cat > /v'\n"
        )
        .is_empty());
    }
}
