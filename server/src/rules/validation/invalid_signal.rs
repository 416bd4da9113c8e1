use crate::declare_rule;
use crate::rules::suppression::did_you_mean;
use crate::rules::{Diagnostics, InstructionRule, Interest, RuleContext};
use crate::syntax::{Args, Instruction, Keyword};

declare_rule! {
/// ## What it does
/// Checks that `STOPSIGNAL` names a Linux signal (`SIGTERM`, `TERM`, `SIGRTMIN+3`) or is a
/// non-zero signal number. Values with variables are skipped.
///
/// ## Why is this bad?
/// BuildKit stops the build with "invalid signal". ASP.NET Core shuts down gracefully on
/// `SIGTERM`, the default, so most .NET images need no `STOPSIGNAL` at all.
///
/// ## Example
/// ```dockerfile
/// STOPSIGNAL SIGTREM
/// ```
///
/// ## Use instead
/// ```dockerfile
/// STOPSIGNAL SIGTERM
/// ```
///
/// ## Fix safety
/// No automatic fix.
    InvalidSignal {
        severity: Error,
        origin: Validation,
        summary: "STOPSIGNAL names no known signal.",
        per_instruction: true,
    }
}

/// moby/sys/signal's Linux signal map, without the `SIG` prefix.
const SIGNALS: &[&str] = &[
    "ABRT", "ALRM", "BUS", "CHLD", "CLD", "CONT", "FPE", "HUP", "ILL", "INT", "IO", "IOT", "KILL",
    "PIPE", "POLL", "PROF", "PWR", "QUIT", "SEGV", "STKFLT", "STOP", "SYS", "TERM", "TRAP", "TSTP",
    "TTIN", "TTOU", "URG", "USR1", "USR2", "VTALRM", "WINCH", "XCPU", "XFSZ", "RTMIN", "RTMIN+1",
    "RTMIN+2", "RTMIN+3", "RTMIN+4", "RTMIN+5", "RTMIN+6", "RTMIN+7", "RTMIN+8", "RTMIN+9",
    "RTMIN+10", "RTMIN+11", "RTMIN+12", "RTMIN+13", "RTMIN+14", "RTMIN+15", "RTMAX-14", "RTMAX-13",
    "RTMAX-12", "RTMAX-11", "RTMAX-10", "RTMAX-9", "RTMAX-8", "RTMAX-7", "RTMAX-6", "RTMAX-5",
    "RTMAX-4", "RTMAX-3", "RTMAX-2", "RTMAX-1", "RTMAX",
];

impl InstructionRule for InvalidSignal {
    fn interest(&self) -> Interest {
        Interest::with_triggers(&[Keyword::Stopsignal])
    }

    fn check_instruction(
        &self,
        _: &RuleContext,
        _: usize,
        inst: &Instruction,
        out: &mut Diagnostics,
    ) {
        let (Keyword::Stopsignal, Args::String(word)) = (inst.keyword, &inst.args) else {
            return;
        };
        let value = word.text.as_str();
        // Extra words are ExtraArguments' finding.
        if value.contains('$') || value.contains(char::is_whitespace) {
            return;
        }
        if let Ok(n) = value.parse::<i64>() {
            if n == 0 {
                out.report(
                    &Self::META,
                    word.range,
                    "invalid signal: 0 (signal numbers start at 1)",
                );
            }
            return;
        }
        let upper = value.to_ascii_uppercase();
        let bare = upper.strip_prefix("SIG").unwrap_or(&upper);
        if SIGNALS.contains(&bare) {
            return;
        }
        let hint = did_you_mean(bare, SIGNALS.iter().copied())
            .map(|s| format!(" (did you mean SIG{s}?)"))
            .unwrap_or_default();
        out.report(
            &Self::META,
            word.range,
            format!("invalid signal: {value}{hint}"),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::check_rule;

    #[test]
    fn reports_unknown_signals() {
        assert_eq!(
            check_rule(
                "InvalidSignal",
                "FROM alpine\nSTOPSIGNAL SIGTREM\nSTOPSIGNAL 0\nSTOPSIGNAL graceful\n"
            ),
            [
                "2:12-2:19 invalid signal: SIGTREM (did you mean SIGTERM?)",
                "3:12-3:13 invalid signal: 0 (signal numbers start at 1)",
                "4:12-4:20 invalid signal: graceful",
            ]
        );
    }

    #[test]
    fn silent_on_valid_signals() {
        assert!(check_rule(
            "InvalidSignal",
            "FROM alpine\nSTOPSIGNAL SIGTERM\nSTOPSIGNAL term\nSTOPSIGNAL 9\nSTOPSIGNAL SIGRTMIN+3\nSTOPSIGNAL $SIG\n"
        )
        .is_empty());
    }
}
