use crate::declare_rule;
use crate::rules::{Diagnostics, InstructionRule, Interest, RuleContext};
use crate::syntax::{Args, Instruction, Keyword};

declare_rule! {
/// ## What it does
/// Checks that every `ENV`, `LABEL` and `ARG` pair has a name before its `=`.
///
/// ## Why is this bad?
/// BuildKit stops with "ENV names can not be blank". A stray space in a list of pairs
/// (`ENV A=1 B =2`) is the usual cause.
///
/// ## Example
/// ```dockerfile
/// ENV DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT =1
/// ```
///
/// ## Use instead
/// ```dockerfile
/// ENV DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1
/// ```
///
/// ## Fix safety
/// No automatic fix.
    BlankName {
        severity: Error,
        origin: Validation,
        summary: "An ENV, LABEL or ARG pair without a name.",
        per_instruction: true,
    }
}

impl InstructionRule for BlankName {
    fn interest(&self) -> Interest {
        Interest::with_triggers(&[Keyword::Env, Keyword::Label, Keyword::Arg])
    }

    fn check_instruction(
        &self,
        _: &RuleContext,
        _: usize,
        inst: &Instruction,
        out: &mut Diagnostics,
    ) {
        let (Keyword::Env | Keyword::Label | Keyword::Arg, Args::KeyValues { pairs, .. }) =
            (inst.keyword, &inst.args)
        else {
            return;
        };
        for pair in pairs.iter().filter(|p| p.key.text.is_empty()) {
            out.report(
                &Self::META,
                pair.range,
                format!("{} names can not be blank", inst.keyword.as_str()),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::check_rule;

    #[test]
    fn reports_pairs_without_names() {
        assert_eq!(
            check_rule(
                "BlankName",
                "FROM alpine\nENV A=1 =8080\nLABEL =x\nARG =1\n"
            ),
            [
                "2:9-2:14 ENV names can not be blank",
                "3:7-3:9 LABEL names can not be blank",
                "4:5-4:7 ARG names can not be blank",
            ]
        );
    }

    #[test]
    fn silent_on_named_pairs() {
        assert!(check_rule(
            "BlankName",
            "FROM alpine\nENV A=1 B=\"x y\"\nARG C\nLABEL d=e\n"
        )
        .is_empty());
    }
}
