use crate::declare_rule;
use crate::rules::{Diagnostics, InstructionRule, Interest, RuleContext};
use crate::syntax::Instruction;

declare_rule! {
/// ## What it does
/// Checks for empty lines inside an instruction continued with `\`.
///
/// ## Why is this bad?
/// An empty line does not end the instruction: the next non-empty line still belongs to it,
/// which is rarely what the author meant. BuildKit warns that empty continuation lines will
/// become errors in a future release. Comment lines are allowed.
///
/// ## Example
/// ```dockerfile
/// RUN apt-get update && \
///
///     apt-get install -y curl
/// ```
///
/// ## Use instead
/// ```dockerfile
/// RUN apt-get update && \
///     apt-get install -y curl
/// ```
///
/// ## Fix safety
/// No automatic fix yet. Deleting the empty line does not change the instruction.
///
/// ## References
/// - BuildKit's `linter/ruleset.go` (`RuleNoEmptyContinuation`)
    NoEmptyContinuation {
        severity: Warning,
        origin: BuildKit,
        summary: "Empty continuation lines will become errors in a future release.",
        per_instruction: true,
    }
}

impl InstructionRule for NoEmptyContinuation {
    fn interest(&self) -> Interest {
        Interest::every()
    }

    fn check_instruction(
        &self,
        _: &RuleContext,
        _: usize,
        inst: &Instruction,
        out: &mut Diagnostics,
    ) {
        // BuildKit warns once per instruction; each empty line is reported here so that each
        // can be found and deleted.
        for line in &inst.empty_continuation_lines {
            out.report(&Self::META, *line, "Empty continuation line");
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::check_rule;

    #[test]
    fn reports_each_empty_line() {
        assert_eq!(
            check_rule(
                "NoEmptyContinuation",
                "FROM alpine\nRUN apk add \\\n\n    curl \\\n  \n    git\n"
            ),
            [
                "3:1-3:1 Empty continuation line",
                "5:1-5:3 Empty continuation line"
            ]
        );
    }

    #[test]
    fn accepts_comment_lines_in_continuations() {
        assert!(check_rule(
            "NoEmptyContinuation",
            "FROM alpine\nRUN apk add \\\n# the client\n    curl\n\nRUN true\n"
        )
        .is_empty());
    }
}
