use super::json_like::{json_array_problem, json_candidate, problem_range};
use crate::declare_rule;
use crate::rules::{Diagnostics, InstructionRule, Interest, RuleContext};
use crate::syntax::{Instruction, Keyword};

declare_rule! {
/// ## What it does
/// Finds arguments written as a JSON array that are not valid JSON: single or typographic
/// quotes, a trailing comma, a missing comma, an unquoted element, a backslash that is not
/// doubled (`"C:\app"`), a missing `]`. Checks RUN, CMD, ENTRYPOINT, `HEALTHCHECK CMD`,
/// COPY, ADD and VOLUME (SHELL has `ShellRequiresJson`).
///
/// ## Why is this bad?
/// BuildKit does not report invalid JSON: it silently falls back to the shell form. For
/// `ENTRYPOINT ['dotnet', 'Api.dll']` the container runs `/bin/sh -c "['dotnet', 'Api.dll']"`,
/// which fails with "not found" (or at once on a chiseled image without a shell), and
/// signals no longer reach the app. COPY reads the brackets and commas as parts of file
/// names.
///
/// ## Example
/// ```dockerfile
/// ENTRYPOINT ['dotnet', 'Api.dll']
/// CMD ["--urls", "http://+:8080",]
/// ```
///
/// ## Use instead
/// ```dockerfile
/// ENTRYPOINT ["dotnet", "Api.dll"]
/// CMD ["--urls", "http://+:8080"]
/// ```
///
/// ## Fix safety
/// No automatic fix.
    MalformedExecForm {
        severity: Error,
        origin: Validation,
        summary: "A JSON-looking argument list that is not valid JSON, so it silently runs in shell form.",
        per_instruction: true,
    }
}

impl InstructionRule for MalformedExecForm {
    fn interest(&self) -> Interest {
        // The instructions `json_candidate` reads.
        Interest::with_triggers(&[
            Keyword::Run,
            Keyword::Cmd,
            Keyword::Entrypoint,
            Keyword::Copy,
            Keyword::Add,
            Keyword::Volume,
            Keyword::Healthcheck,
        ])
    }

    fn check_instruction(
        &self,
        _: &RuleContext,
        _: usize,
        inst: &Instruction,
        out: &mut Diagnostics,
    ) {
        if inst.keyword == Keyword::Shell {
            return;
        }
        let Some((text, offset)) = json_candidate(inst) else {
            return;
        };
        let Some(problem) = json_array_problem(text) else {
            return;
        };
        let consequence = match inst.keyword {
            Keyword::Copy | Keyword::Add | Keyword::Volume => {
                "BuildKit reads it as space-separated words, brackets and commas included"
            }
            _ => "BuildKit silently runs it in shell form, as the text of /bin/sh -c",
        };
        out.report(
            &Self::META,
            problem_range(inst, offset, &problem),
            format!("not valid JSON ({}), so {consequence}", problem.reason),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::check_rule;

    #[test]
    fn reports_broken_json_arrays() {
        let text = "FROM alpine\n\
                    ENTRYPOINT ['dotnet', 'Api.dll']\n\
                    CMD [\"--urls\", \"http://+:8080\",]\n\
                    RUN [\"dotnet\" \"restore\"]\n\
                    COPY [\"a.csproj\", \"src/\"\n\
                    HEALTHCHECK CMD [\"curl\", -f]\n";
        assert_eq!(
            check_rule("MalformedExecForm", text),
            [
                "2:12-2:33 not valid JSON (single quotes: JSON strings take double quotes), so BuildKit silently runs it in shell form, as the text of /bin/sh -c",
                "3:31-3:32 not valid JSON (a trailing comma before `]`), so BuildKit silently runs it in shell form, as the text of /bin/sh -c",
                "4:15-4:16 not valid JSON (a missing comma between two elements), so BuildKit silently runs it in shell form, as the text of /bin/sh -c",
                "5:6-5:25 not valid JSON (no closing `]`), so BuildKit reads it as space-separated words, brackets and commas included",
                "6:26-6:28 not valid JSON (the unquoted element `-f`), so BuildKit silently runs it in shell form, as the text of /bin/sh -c",
            ]
        );
    }

    #[test]
    fn silent_on_json_and_shell_tests() {
        let text = "FROM alpine\n\
                    ENTRYPOINT [\"dotnet\", \"Api.dll\"]\n\
                    RUN [ -f /app/Api.dll ] && echo ok\n\
                    RUN [ \"$CONFIG\" = \"Release\" ] || exit 1\n\
                    CMD dotnet Api.dll\n";
        assert!(check_rule("MalformedExecForm", text).is_empty());
    }
}
