use super::support::{keyword_text, walk_stages};
use crate::declare_rule;
use crate::rules::{Diagnostics, RuleContext};
use crate::syntax::{Args, Keyword};

declare_rule! {
/// ## What it does
/// Checks that `ENTRYPOINT` and `CMD` use the JSON (exec) form, unless the stage chose a
/// shell with `SHELL`.
///
/// ## Why is this bad?
/// In shell form the program runs as a child of `/bin/sh -c`, which does not forward
/// signals: `docker stop` cannot ask the app to shut down gracefully and kills it after the
/// timeout. ASP.NET Core apps then skip their graceful shutdown. Chiseled and distroless
/// .NET images have no shell at all, so the shell form fails to start.
///
/// ## Example
/// ```dockerfile
/// ENTRYPOINT dotnet MyApp.dll
/// ```
///
/// ## Use instead
/// ```dockerfile
/// ENTRYPOINT ["dotnet", "MyApp.dll"]
/// ```
///
/// ## Fix safety
/// The quick fix (action `ConvertToExecForm`) is offered only when the command is plain
/// words, since the exec form does not expand variables or run shell operators. It is safe,
/// except for an `ENTRYPOINT` in a stage that also has a `CMD`: in exec form the `CMD`
/// becomes the entry point's arguments, so `dockside check --fix` applies it only with
/// `--unsafe-fixes`.
///
/// ## References
/// - BuildKit's `linter/ruleset.go` (`RuleJSONArgsRecommended`)
    JSONArgsRecommended {
        severity: Warning,
        origin: BuildKit,
        summary: "JSON arguments recommended for ENTRYPOINT/CMD to prevent unintended behavior related to OS signals.",
        hadolint: "DL3025",
        fixable: true,
    }
}

impl JSONArgsRecommended {
    fn run(ctx: &RuleContext, out: &mut Diagnostics) {
        walk_stages(
            ctx,
            &[Keyword::Cmd, Keyword::Entrypoint],
            |_, _, inst, state| {
                if !matches!(inst.keyword, Keyword::Cmd | Keyword::Entrypoint) || state.shell_set {
                    return;
                }
                if let Args::Shell(command) = &inst.args {
                    out.report(
                    &Self::META,
                    command.range,
                    format!(
                        "JSON arguments recommended for {} to prevent unintended behavior related to OS signals",
                        keyword_text(ctx, inst)
                    ),
                );
                }
            },
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::check_rule;

    #[test]
    fn reports_shell_form() {
        assert_eq!(
            check_rule(
                "JSONArgsRecommended",
                "FROM mcr.microsoft.com/dotnet/aspnet:10.0\nENTRYPOINT dotnet App.dll\ncmd dotnet App.dll --urls http://+:8080\n"
            ),
            [
                "2:12-2:26 JSON arguments recommended for ENTRYPOINT to prevent unintended behavior related to OS signals",
                "3:5-3:40 JSON arguments recommended for cmd to prevent unintended behavior related to OS signals",
            ]
        );
    }

    #[test]
    fn accepts_exec_form_and_an_explicit_shell() {
        assert!(check_rule(
            "JSONArgsRecommended",
            "FROM alpine AS base\nENTRYPOINT [\"dotnet\", \"App.dll\"]\nSHELL [\"/bin/sh\", \"-c\"]\nFROM base\nCMD echo inherited shell\n"
        )
        .is_empty());
    }
}
