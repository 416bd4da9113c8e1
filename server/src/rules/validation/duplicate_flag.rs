use super::common::{flag_kind, flag_name_span, is_healthcheck_none, uses_labs_syntax, FlagKind};
use crate::declare_rule;
use crate::rules::{Diagnostics, InstructionRule, Interest, RuleContext};
use crate::syntax::Instruction;

declare_rule! {
/// ## What it does
/// Checks that a flag that takes one value (`--from`, `--chown`, `--platform`, `--interval`,
/// ...) appears at most once per instruction. `--mount` and `--exclude` may repeat.
///
/// ## Why is this bad?
/// BuildKit stops the build with "duplicate flag specified". Usually one of the two was
/// meant to be another flag, or an edit left the old value behind.
///
/// ## Example
/// ```dockerfile
/// COPY --from=build --from=publish /app/publish .
/// ```
///
/// ## Use instead
/// ```dockerfile
/// COPY --from=publish /app/publish .
/// ```
///
/// ## Fix safety
/// No automatic fix.
    DuplicateFlag {
        severity: Error,
        origin: Validation,
        summary: "A single-valued flag is given twice.",
        per_instruction: true,
    }
}

impl InstructionRule for DuplicateFlag {
    fn interest(&self) -> Interest {
        Interest::flagged()
    }

    fn check_instruction(
        &self,
        ctx: &RuleContext,
        _: usize,
        inst: &Instruction,
        out: &mut Diagnostics,
    ) {
        let labs = uses_labs_syntax(ctx.tree);
        if is_healthcheck_none(inst) {
            return;
        }
        for (n, flag) in inst.flags.iter().enumerate() {
            match flag_kind(inst.keyword, labs, &flag.name) {
                Some(FlagKind::String | FlagKind::Bool) => {}
                Some(FlagKind::Strings) | None => continue,
            }
            // The kind depends on the name only: an earlier flag of the same name is of this
            // kind too. Instructions have few flags; no list of the names seen is built.
            let earlier = inst.flags.get(..n).unwrap_or(&[]);
            if earlier.iter().any(|other| other.name == flag.name) {
                out.report(
                    &Self::META,
                    flag_name_span(flag),
                    format!("duplicate flag specified: --{}", flag.name),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::check_rule;

    #[test]
    fn reports_the_repeated_flag() {
        assert_eq!(
            check_rule(
                "DuplicateFlag",
                "FROM alpine AS build\nCOPY --from=build --link --from=x --link /a /b\n"
            ),
            [
                "2:26-2:32 duplicate flag specified: --from",
                "2:35-2:41 duplicate flag specified: --link",
            ]
        );
    }

    #[test]
    fn repeatable_flags_are_fine() {
        assert!(check_rule(
            "DuplicateFlag",
            "FROM alpine\nRUN --mount=type=cache,target=/a --mount=type=cache,target=/b echo\nCOPY --exclude=a --exclude=b . .\n"
        )
        .is_empty());
    }
}
