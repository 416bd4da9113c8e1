use crate::analysis::Severity;
use crate::declare_rule;
use crate::rules::{Diagnostics, InstructionRule, Interest, RuleContext};
use crate::syntax::{Args, Instruction, Keyword};
use crate::text::TextRange;

declare_rule! {
/// ## What it does
/// Checks that `HEALTHCHECK` is followed by `CMD <command>` or `NONE`, and that `NONE`
/// comes alone: no command after it (an error) and no flags before it (a warning, BuildKit
/// ignores them).
///
/// ## Why is this bad?
/// BuildKit stops the build with `Unknown type "CURL" in HEALTHCHECK (try CMD)` when `CMD`
/// is forgotten, and with "HEALTHCHECK NONE takes no arguments" for anything after `NONE`.
///
/// ## Example
/// ```dockerfile
/// HEALTHCHECK --interval=30s curl -f http://localhost:8080/healthz
/// ```
///
/// ## Use instead
/// ```dockerfile
/// HEALTHCHECK --interval=30s CMD curl -f http://localhost:8080/healthz
/// ```
///
/// ## Fix safety
/// No automatic fix.
    InvalidHealthcheck {
        severity: Error,
        origin: Validation,
        summary: "HEALTHCHECK is neither `CMD <command>` nor a bare `NONE`.",
        per_instruction: true,
    }
}

impl InstructionRule for InvalidHealthcheck {
    fn interest(&self) -> Interest {
        Interest::with_triggers(&[Keyword::Healthcheck])
    }

    fn check_instruction(
        &self,
        _: &RuleContext,
        _: usize,
        inst: &Instruction,
        out: &mut Diagnostics,
    ) {
        let (Keyword::Healthcheck, Args::Healthcheck { kind, command }) =
            (inst.keyword, &inst.args)
        else {
            return;
        };
        let upper = kind.text.to_ascii_uppercase();
        match upper.as_str() {
            "CMD" => {}
            "NONE" => {
                let extra = match command.as_ref() {
                    Args::Empty => None,
                    Args::Exec { range, .. } => Some(*range),
                    Args::Shell(word) => Some(word.range),
                    _ => Some(inst.rest.range),
                };
                if let Some(range) = extra {
                    out.report(&Self::META, range, "HEALTHCHECK NONE takes no arguments");
                }
                if let (Some(first), Some(last)) = (inst.flags.first(), inst.flags.last()) {
                    out.report_with(
                        &Self::META,
                        Severity::Warning,
                        TextRange::new(first.range.start(), last.range.end()),
                        "HEALTHCHECK NONE ignores flags: it only disables the inherited health check",
                    );
                }
            }
            _ => {
                out.report(
                    &Self::META,
                    kind.range,
                    format!("Unknown type \"{upper}\" in HEALTHCHECK (try CMD)"),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::check_rule;

    #[test]
    fn reports_missing_cmd_and_busy_none() {
        assert_eq!(
            check_rule(
                "InvalidHealthcheck",
                "FROM alpine\nHEALTHCHECK curl -f http://localhost/\nHEALTHCHECK NONE curl\nHEALTHCHECK --interval=5s --retries=2 NONE\n"
            ),
            [
                "2:13-2:17 Unknown type \"CURL\" in HEALTHCHECK (try CMD)",
                "3:18-3:22 HEALTHCHECK NONE takes no arguments",
                "4:13-4:38 HEALTHCHECK NONE ignores flags: it only disables the inherited health check",
            ]
        );
    }

    #[test]
    fn silent_on_valid_healthchecks() {
        assert!(check_rule(
            "InvalidHealthcheck",
            "FROM alpine\nHEALTHCHECK none\nHEALTHCHECK --interval=5s cmd [\"curl\", \"-f\", \"http://localhost/\"]\n"
        )
        .is_empty());
    }
}
