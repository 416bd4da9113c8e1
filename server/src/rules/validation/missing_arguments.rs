use crate::declare_rule;
use crate::rules::{Diagnostics, InstructionRule, Interest, RuleContext};
use crate::syntax::{Args, Instruction, Keyword};
use crate::text::TextRange;

declare_rule! {
/// ## What it does
/// Checks that each instruction has the arguments it needs: an image for `FROM`, a command
/// for `RUN`, a source and a destination for `COPY` and `ADD`, a path for `WORKDIR`, a
/// command after `HEALTHCHECK CMD`, and so on.
///
/// ## Why is this bad?
/// BuildKit refuses the instruction ("COPY requires at least two arguments", "WORKDIR
/// requires exactly one argument", "Missing command after HEALTHCHECK CMD"). A bare `RUN`,
/// `CMD` or `ENTRYPOINT` is accepted by the parser but runs `/bin/sh -c` without a command,
/// which fails when the step or the container starts.
///
/// ## Example
/// ```dockerfile
/// FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
/// COPY src/Api/Api.csproj
/// HEALTHCHECK CMD
/// ```
///
/// ## Use instead
/// ```dockerfile
/// FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
/// COPY src/Api/Api.csproj src/Api/
/// HEALTHCHECK CMD ["curl", "-f", "http://localhost:8080/healthz"]
/// ```
///
/// `CMD []` and `ENTRYPOINT []` (an empty JSON array) are fine: they reset the inherited
/// value on purpose.
///
/// ## Fix safety
/// No automatic fix.
    MissingArguments {
        severity: Error,
        origin: Validation,
        summary: "An instruction lacks arguments it requires.",
        per_instruction: true,
    }
}

impl InstructionRule for MissingArguments {
    fn interest(&self) -> Interest {
        Interest::every_with_triggers()
    }

    fn check_instruction(
        &self,
        ctx: &RuleContext,
        _: usize,
        inst: &Instruction,
        out: &mut Diagnostics,
    ) {
        if let Some((range, message)) = problem(ctx, inst) {
            out.report(&Self::META, range, message);
        }
    }
}

fn problem(ctx: &RuleContext, inst: &Instruction) -> Option<(TextRange, String)> {
    let kw = inst.keyword;
    let name = kw.as_str();
    let at_keyword = |message: String| Some((inst.keyword_range, message));
    let empty = matches!(inst.args, Args::Empty);
    match kw {
        Keyword::Unknown => None,
        Keyword::From if empty => {
            at_keyword("FROM requires a base image: `FROM <image> [AS <name>]`".into())
        }
        Keyword::Run if empty || is_empty_exec(ctx, inst) => {
            at_keyword("RUN requires at least one argument: the command to run".into())
        }
        Keyword::Cmd | Keyword::Entrypoint if empty => at_keyword(format!(
            "{name} has no arguments; write `{name} []` to reset the inherited value on purpose"
        )),
        Keyword::Copy | Keyword::Add => {
            let message = || {
                format!(
                    "{name} requires at least two arguments, but only one was provided. Destination could not be determined."
                )
            };
            match &inst.args {
                Args::Empty => at_keyword(format!(
                    "{name} requires at least two arguments: sources and a destination"
                )),
                Args::Words(words) if words.len() == 1 => Some((words[0].range, message())),
                Args::Exec { elements, .. } if elements.len() == 1 => {
                    Some((elements[0].range, message()))
                }
                Args::Exec { range, .. } if is_empty_exec(ctx, inst) => Some((
                    *range,
                    format!("{name} requires at least two arguments: sources and a destination"),
                )),
                _ => None,
            }
        }
        Keyword::Workdir | Keyword::User | Keyword::Stopsignal | Keyword::Maintainer if empty => {
            at_keyword(format!("{name} requires exactly one argument"))
        }
        Keyword::Env
        | Keyword::Label
        | Keyword::Arg
        | Keyword::Expose
        | Keyword::Onbuild
        | Keyword::Healthcheck
            if empty =>
        {
            at_keyword(format!("{name} requires at least one argument"))
        }
        Keyword::Shell if empty || is_empty_exec(ctx, inst) => {
            at_keyword("SHELL requires at least one argument".into())
        }
        Keyword::Volume => match &inst.args {
            Args::Empty => at_keyword("VOLUME requires at least one argument".into()),
            Args::Exec { elements, range } => {
                if is_empty_exec(ctx, inst) {
                    return Some((*range, "VOLUME requires at least one argument".into()));
                }
                elements.iter().find(|e| e.text.trim().is_empty()).map(|e| {
                    (
                        e.range,
                        "VOLUME specified can not be an empty string".into(),
                    )
                })
            }
            _ => None,
        },
        Keyword::Healthcheck => match &inst.args {
            Args::Healthcheck { kind, command } if kind.text.eq_ignore_ascii_case("cmd") => {
                let missing = match command.as_ref() {
                    Args::Empty => true,
                    Args::Exec { elements, range } => {
                        elements.is_empty() && !overlaps_syntax_error(ctx, *range)
                    }
                    _ => false,
                };
                missing.then(|| (kind.range, "Missing command after HEALTHCHECK CMD".into()))
            }
            _ => None,
        },
        _ => None,
    }
}

/// `[]`: a JSON array without elements (not one the parser already rejected).
fn is_empty_exec(ctx: &RuleContext, inst: &Instruction) -> bool {
    matches!(&inst.args, Args::Exec { elements, range } if elements.is_empty() && !overlaps_syntax_error(ctx, *range))
}

fn overlaps_syntax_error(ctx: &RuleContext, range: TextRange) -> bool {
    ctx.tree
        .errors
        .iter()
        .any(|e| e.range.start() < range.end() && range.start() < e.range.end())
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::check_rule;

    #[test]
    fn reports_each_instruction_shape() {
        let text = "FROM alpine\nRUN\nCOPY app.csproj\nADD\nWORKDIR\nUSER\nENV\nLABEL\nEXPOSE\n\
                    STOPSIGNAL\nSHELL []\nVOLUME [\"\"]\nHEALTHCHECK\nHEALTHCHECK CMD\nONBUILD\n\
                    CMD\nENTRYPOINT\nCOPY [\"a\"]\nFROM\n";
        assert_eq!(
            check_rule("MissingArguments", text),
            [
                "2:1-2:4 RUN requires at least one argument: the command to run",
                "3:6-3:16 COPY requires at least two arguments, but only one was provided. Destination could not be determined.",
                "4:1-4:4 ADD requires at least two arguments: sources and a destination",
                "5:1-5:8 WORKDIR requires exactly one argument",
                "6:1-6:5 USER requires exactly one argument",
                "7:1-7:4 ENV requires at least one argument",
                "8:1-8:6 LABEL requires at least one argument",
                "9:1-9:7 EXPOSE requires at least one argument",
                "10:1-10:11 STOPSIGNAL requires exactly one argument",
                "11:1-11:6 SHELL requires at least one argument",
                "12:9-12:11 VOLUME specified can not be an empty string",
                "13:1-13:12 HEALTHCHECK requires at least one argument",
                "14:13-14:16 Missing command after HEALTHCHECK CMD",
                "15:1-15:8 ONBUILD requires at least one argument",
                "16:1-16:4 CMD has no arguments; write `CMD []` to reset the inherited value on purpose",
                "17:1-17:11 ENTRYPOINT has no arguments; write `ENTRYPOINT []` to reset the inherited value on purpose",
                "18:7-18:10 COPY requires at least two arguments, but only one was provided. Destination could not be determined.",
                "19:1-19:5 FROM requires a base image: `FROM <image> [AS <name>]`",
            ]
        );
    }

    #[test]
    fn checks_onbuild_triggers() {
        assert_eq!(
            check_rule("MissingArguments", "FROM alpine\nONBUILD COPY app\n"),
            ["2:14-2:17 COPY requires at least two arguments, but only one was provided. Destination could not be determined."]
        );
    }

    #[test]
    fn silent_on_complete_instructions() {
        let text = "FROM alpine AS base\nRUN echo hi\nCOPY a b\nCOPY <<EOF /app/x\nhi\nEOF\n\
                    ADD [\"a\", \"b\"]\nWORKDIR /app\nUSER app\nENV A=1\nLABEL a=b\nEXPOSE 8080\n\
                    STOPSIGNAL SIGTERM\nSHELL [\"/bin/sh\", \"-c\"]\nVOLUME /data\nHEALTHCHECK NONE\n\
                    HEALTHCHECK CMD curl -f http://localhost/\nONBUILD RUN echo\nCMD []\nENTRYPOINT []\nARG X\n";
        assert!(check_rule("MissingArguments", text).is_empty());
    }
}
