use crate::context::SourceOutcome;
use crate::declare_rule;
use crate::rules::{Diagnostics, RuleContext};

use super::restore_model::SolutionView;

declare_rule! {
/// ## What it does
/// Checks that each `COPY`/`ADD` source exists in the build context (after variable
/// substitution), and that no source climbs out of the context with `..`. The message says
/// which directory Dockside took as the build context and why (compose, the project's
/// `DockerfileContext`, configuration, or the heuristic). Sources with wildcards are not
/// reported: BuildKit accepts a wildcard that matches nothing.
///
/// ## Why is this bad?
/// The build stops with `failed to compute cache key: "/src/Api/Api.csproj": not found`.
/// Usually the path is written relative to the Dockerfile's folder while the build runs
/// from the solution folder (or the reverse), or a file was renamed.
///
/// ## Example
/// With the build context at the solution root:
/// ```dockerfile
/// COPY Api.csproj ./
/// ```
///
/// ## Use instead
/// ```dockerfile
/// COPY src/Api/Api.csproj src/Api/
/// ```
///
/// ## Fix safety
/// No automatic fix.
    CopySourceMissing {
        severity: Error,
        origin: Dotnet,
        summary: "A COPY/ADD source does not exist in the build context.",
    }
}

fn has_wildcard(source: &str) -> bool {
    source.contains(['*', '?', '['])
}

impl CopySourceMissing {
    fn run(ctx: &RuleContext, out: &mut Diagnostics) {
        let Some(view) = SolutionView::of(ctx) else {
            return;
        };
        for copy in &view.facts.copies {
            for (word, resolution) in &copy.sources {
                match &resolution.outcome {
                    SourceOutcome::Missing if !has_wildcard(&resolution.source) => out.report(
                        &Self::META,
                        word.range,
                        format!(
                            "\"{}\" not found in the build context {}",
                            resolution.source,
                            view.context_description()
                        ),
                    ),
                    SourceOutcome::OutsideContext => out.report(
                        &Self::META,
                        word.range,
                        format!(
                            "\"{}\" is outside the build context {}: Docker can only copy files from inside it",
                            resolution.source,
                            view.context_description()
                        ),
                    ),
                    _ => {}
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::dotnet::test_support::{
        check_rule_in_solution, check_text_in_dir, csproj, solution,
    };

    #[test]
    fn compose_context_that_does_not_hold_the_sources() {
        let context = "the build context `src/Notifications.Api` (set by service `notifications` in compose.yaml)";
        assert_eq!(
            check_rule_in_solution("CopySourceMissing", "wrong-context", "src/Notifications.Api/Dockerfile"),
            [
                format!("5:6-5:52 \"src/Notifications.Api/Notifications.Api.csproj\" not found in {context}"),
                format!("6:6-6:64 \"src/Notifications.Contracts/Notifications.Contracts.csproj\" not found in {context}"),
                format!("8:6-8:10 \"src/\" not found in {context}"),
            ]
        );
    }

    #[test]
    fn reports_missing_and_outside_sources_with_the_context() {
        let dir = solution(&[
            ("App.sln", ""),
            ("src/Api/Api.csproj", &csproj("Microsoft.NET.Sdk.Web", &[])),
            ("src/Api/Dockerfile", ""),
            (
                "compose.yaml",
                "services:\n  api:\n    build:\n      context: .\n      dockerfile: src/Api/Dockerfile\n",
            ),
        ]);
        let text = "FROM mcr.microsoft.com/dotnet/sdk:8.0\nWORKDIR /src\nCOPY [\"src/Api/Api.csproj\", \"src/Api/Old.csproj\", \"src/Api/\"]\nCOPY ../shared/keys ./keys\nCOPY src/*.props ./\n";
        assert_eq!(
            check_text_in_dir("CopySourceMissing", dir.path(), "src/Api/Dockerfile", text),
            [
                "3:29-3:49 \"src/Api/Old.csproj\" not found in the build context `.` (set by service `api` in compose.yaml)",
                "4:6-4:20 \"../shared/keys\" is outside the build context `.` (set by service `api` in compose.yaml): Docker can only copy files from inside it"
            ]
        );
    }

    #[test]
    fn silent_on_fixtures_whose_sources_exist() {
        for (fixture, dockerfile) in [
            ("good", "Dockerfile"),
            ("vs-template", "src/Api/Dockerfile"),
            ("compose-app", "src/Api/Dockerfile"),
            ("compose-app", "src/Worker/Dockerfile"),
            ("microservices", "src/Services/Orders/Orders.Api/Dockerfile"),
        ] {
            assert_eq!(
                check_rule_in_solution("CopySourceMissing", fixture, dockerfile),
                Vec::<String>::new(),
                "{fixture}"
            );
        }
    }
}
