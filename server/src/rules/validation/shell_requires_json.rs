use super::json_like::{json_array_problem, json_candidate, problem_range};
use crate::declare_rule;
use crate::rules::{Diagnostics, InstructionRule, Interest, RuleContext};
use crate::syntax::{Args, Instruction, Keyword};

declare_rule! {
/// ## What it does
/// Checks that `SHELL` is written as a JSON array of strings.
///
/// ## Why is this bad?
/// BuildKit stops with "SHELL requires the arguments to be in JSON form"; unlike RUN or CMD
/// there is no shell form to fall back to.
///
/// ## Example
/// ```dockerfile
/// SHELL /bin/bash -o pipefail -c
/// SHELL ['pwsh', '-Command']
/// ```
///
/// ## Use instead
/// ```dockerfile
/// SHELL ["/bin/bash", "-o", "pipefail", "-c"]
/// SHELL ["pwsh", "-Command"]
/// ```
///
/// ## Fix safety
/// No automatic fix.
    ShellRequiresJson {
        severity: Error,
        origin: Validation,
        summary: "SHELL is not written as a JSON array.",
        per_instruction: true,
    }
}

impl InstructionRule for ShellRequiresJson {
    fn interest(&self) -> Interest {
        Interest::with_triggers(&[Keyword::Shell])
    }

    fn check_instruction(
        &self,
        _: &RuleContext,
        _: usize,
        inst: &Instruction,
        out: &mut Diagnostics,
    ) {
        let (Keyword::Shell, Args::Shell(word)) = (inst.keyword, &inst.args) else {
            return;
        };
        let (range, detail) = match json_candidate(inst)
            .and_then(|(text, offset)| json_array_problem(text).map(|p| (p, offset)))
        {
            Some((problem, offset)) => (
                problem_range(inst, offset, &problem),
                format!(": not valid JSON ({})", problem.reason),
            ),
            None => (word.range, String::new()),
        };
        out.report(
            &Self::META,
            range,
            format!("SHELL requires the arguments to be in JSON form{detail}"),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::check_rule;

    #[test]
    fn reports_shell_form_and_broken_json() {
        assert_eq!(
            check_rule(
                "ShellRequiresJson",
                "FROM alpine\nSHELL /bin/bash -o pipefail -c\nSHELL ['pwsh', '-Command']\n"
            ),
            [
                "2:7-2:31 SHELL requires the arguments to be in JSON form",
                "3:7-3:27 SHELL requires the arguments to be in JSON form: not valid JSON (single quotes: JSON strings take double quotes)",
            ]
        );
    }

    #[test]
    fn silent_on_json() {
        assert!(check_rule(
            "ShellRequiresJson",
            "FROM alpine\nSHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]\n"
        )
        .is_empty());
    }
}
