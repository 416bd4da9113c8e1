use super::common::word_sub_range;
use crate::declare_rule;
use crate::rules::{Diagnostics, InstructionRule, Interest, RuleContext};
use crate::syntax::{Args, Instruction, Keyword};
use crate::text::TextRange;

declare_rule! {
/// ## What it does
/// Checks that `FROM` has the shape `FROM <image>` or `FROM <image> AS <name>`, and that
/// `STOPSIGNAL` names a single signal.
///
/// ## Why is this bad?
/// BuildKit refuses `FROM` with two or more than three words ("FROM requires either one or
/// three arguments"), which is what a trailing comment (`FROM img AS build # comment`, a
/// Dockerfile has no end-of-line comments) or a missing `AS` produces. `STOPSIGNAL` takes
/// the rest of the line as the signal name, so extra words make an invalid signal.
///
/// ## Example
/// ```dockerfile
/// FROM mcr.microsoft.com/dotnet/sdk:10.0 build
/// FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS final # runtime
/// STOPSIGNAL SIGTERM SIGKILL
/// ```
///
/// ## Use instead
/// ```dockerfile
/// FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
/// # runtime
/// FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS final
/// STOPSIGNAL SIGTERM
/// ```
///
/// ## Fix safety
/// No automatic fix.
    ExtraArguments {
        severity: Error,
        origin: Validation,
        summary: "FROM or STOPSIGNAL has more words than it accepts.",
        per_instruction: true,
    }
}

impl InstructionRule for ExtraArguments {
    fn interest(&self) -> Interest {
        Interest::with_triggers(&[Keyword::From, Keyword::Stopsignal])
    }

    fn check_instruction(
        &self,
        ctx: &RuleContext,
        _: usize,
        inst: &Instruction,
        out: &mut Diagnostics,
    ) {
        match (inst.keyword, &inst.args) {
            (Keyword::From, Args::Words(words)) => {
                let count = words.len();
                if count == 1 || (count == 3 && words[1].text.eq_ignore_ascii_case("as")) {
                    return;
                }
                let (range, detail) = match words.as_slice() {
                    [_, second] => (
                        second.range,
                        format!(": write `AS {}` to name the stage", second.text),
                    ),
                    [_, second, _] => (
                        second.range,
                        format!(": the second word must be `AS`, not `{}`", second.text),
                    ),
                    [_, _, _, extra @ ..] => {
                        let start = extra.first().map_or(0, |w| w.range.start());
                        let end = extra.last().map_or(start, |w| w.range.end());
                        (
                            TextRange::new(start, end),
                            " (a Dockerfile has no end-of-line comments)".to_string(),
                        )
                    }
                    _ => return,
                };
                out.report(
                    &Self::META,
                    range,
                    format!("FROM requires either one or three arguments{detail}"),
                );
            }
            (Keyword::Stopsignal, Args::String(word)) => {
                let Some(first_end) = word.text.find(char::is_whitespace) else {
                    return;
                };
                let extra_start = word.text[first_end..]
                    .find(|c: char| !c.is_whitespace())
                    .map_or(first_end, |i| first_end + i);
                out.report(
                    &Self::META,
                    word_sub_range(ctx.text, word, extra_start, word.text.len()),
                    "STOPSIGNAL requires exactly one argument: one signal name or number",
                );
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::check_rule;

    #[test]
    fn reports_bad_from_shapes() {
        assert_eq!(
            check_rule(
                "ExtraArguments",
                "FROM alpine build\nFROM alpine FOR build\nFROM alpine AS final # runtime\n"
            ),
            [
                "1:13-1:18 FROM requires either one or three arguments: write `AS build` to name the stage",
                "2:13-2:16 FROM requires either one or three arguments: the second word must be `AS`, not `FOR`",
                "3:22-3:31 FROM requires either one or three arguments (a Dockerfile has no end-of-line comments)",
            ]
        );
    }

    #[test]
    fn reports_extra_stop_signals() {
        assert_eq!(
            check_rule(
                "ExtraArguments",
                "FROM alpine\nSTOPSIGNAL SIGTERM  SIGKILL\n"
            ),
            ["2:21-2:28 STOPSIGNAL requires exactly one argument: one signal name or number"]
        );
    }

    #[test]
    fn silent_on_valid_shapes() {
        assert!(check_rule(
            "ExtraArguments",
            "FROM alpine\nFROM alpine as build\nFROM --platform=$BUILDPLATFORM alpine AS x\nSTOPSIGNAL SIGINT\n"
        )
        .is_empty());
    }
}
