use crate::declare_rule;
use crate::model::BaseImage;
use crate::rules::{Diagnostics, InstructionRule, Interest, RuleContext, SourceMarks};
use crate::syntax::{Args, Instruction, Keyword, Word};
use crate::text::TextRange;

declare_rule! {
/// ## What it does
/// Finds `$VAR` and `${VAR}` inside the JSON (exec) form of RUN, CMD, ENTRYPOINT and
/// `HEALTHCHECK CMD`, unless a shell in the array (`["sh", "-c", "..."]`), or a shell
/// ENTRYPOINT for CMD, expands it.
///
/// ## Why is this bad?
/// The exec form starts the program directly, without a shell, and Docker does not
/// substitute variables in it: `ENTRYPOINT ["dotnet", "$APP_DLL"]` asks dotnet to run a
/// file literally named `$APP_DLL`.
///
/// ## Example
/// ```dockerfile
/// ENV APP_DLL=Api.dll
/// ENTRYPOINT ["dotnet", "$APP_DLL"]
/// ```
///
/// ## Use instead
/// ```dockerfile
/// ENTRYPOINT ["dotnet", "Api.dll"]
/// ```
///
/// Or, on an image that has a shell, let the shell expand it (and `exec` so that signals
/// reach the app):
///
/// ```dockerfile
/// ENTRYPOINT ["/bin/sh", "-c", "exec dotnet \"$APP_DLL\""]
/// ```
///
/// ## Fix safety
/// No automatic fix.
    ExecFormVariableNotExpanded {
        severity: Warning,
        origin: Validation,
        summary: "A `$VARIABLE` in an exec-form command, where nothing expands it.",
        per_instruction: true,
    }
}

const SHELLS: &[&str] = &[
    "sh",
    "bash",
    "ash",
    "dash",
    "zsh",
    "ksh",
    "mksh",
    "busybox",
    "pwsh",
    "powershell",
    "cmd",
    "pwsh.exe",
    "powershell.exe",
    "cmd.exe",
];

impl InstructionRule for ExecFormVariableNotExpanded {
    fn interest(&self) -> Interest {
        Interest::with_triggers(&[
            Keyword::Run,
            Keyword::Cmd,
            Keyword::Entrypoint,
            Keyword::Healthcheck,
        ])
        .marked(SourceMarks::DOLLAR)
    }

    fn check_instruction(
        &self,
        ctx: &RuleContext,
        idx: usize,
        inst: &Instruction,
        out: &mut Diagnostics,
    ) {
        // An element holds a `$` only when its source does (or spells one as a JSON escape).
        let elements = match (inst.keyword, &inst.args) {
            (Keyword::Run | Keyword::Cmd | Keyword::Entrypoint, Args::Exec { elements, .. }) => {
                elements
            }
            (Keyword::Healthcheck, Args::Healthcheck { command, .. }) => match command.as_ref() {
                Args::Exec { elements, .. } => elements,
                _ => return,
            },
            _ => return,
        };
        if inst.keyword == Keyword::Cmd && entrypoint_is_shell(ctx, idx) {
            return;
        }
        let checked = elements
            .iter()
            .position(is_shell)
            .map_or(elements.len(), |shell| shell + 1);
        for element in &elements[..checked] {
            for (start, end) in variable_spans(&element.text) {
                let name = &element.text[start..end];
                out.report(
                    &Self::META,
                    element_sub_range(ctx.text, element, start, end),
                    format!(
                        "`{name}` is not expanded: the exec form runs without a shell, so the program receives the literal text `{name}`"
                    ),
                );
            }
        }
    }
}

fn is_shell(word: &Word) -> bool {
    let base = word.text.rsplit(['/', '\\']).next().unwrap_or("");
    SHELLS.iter().any(|s| s.eq_ignore_ascii_case(base))
}

/// Whether the ENTRYPOINT in force for instruction `idx` (its stage, or the stages it is
/// built from) is an exec form that starts a shell, which then expands CMD's elements.
fn entrypoint_is_shell(ctx: &RuleContext, idx: usize) -> bool {
    let mut stage = ctx.model.stage_of_instruction(idx);
    let mut limit = idx;
    for _ in 0..=ctx.model.stages.len() {
        let Some(s) = stage else { return false };
        let last = ctx
            .tree
            .instructions
            .get(s.instructions.start..limit.min(s.instructions.end))
            .unwrap_or(&[])
            .iter()
            .rev()
            .find(|i| i.keyword == Keyword::Entrypoint);
        if let Some(entrypoint) = last {
            return starts_shell(entrypoint);
        }
        stage = match s.base {
            BaseImage::Stage(parent) => {
                let parent = ctx.model.stages.get(parent);
                limit = parent.map_or(0, |p| p.instructions.end);
                parent
            }
            _ => None,
        };
    }
    false
}

fn starts_shell(inst: &Instruction) -> bool {
    match &inst.args {
        Args::Exec { elements, .. } => elements.iter().any(is_shell),
        // A shell-form ENTRYPOINT ignores CMD entirely.
        _ => false,
    }
}

/// Byte spans of `$NAME` and `${...}` in an element.
fn variable_spans(text: &str) -> Vec<(usize, usize)> {
    let bytes = text.as_bytes();
    let mut spans = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] != b'$' {
            i += 1;
            continue;
        }
        let start = i;
        match bytes.get(i + 1) {
            Some(b'{') => {
                let end = text[i..].find('}').map_or(text.len(), |e| i + e + 1);
                spans.push((start, end));
                i = end;
            }
            Some(&c) if c == b'_' || c.is_ascii_alphabetic() => {
                let mut end = i + 1;
                while end < bytes.len()
                    && (bytes[end] == b'_' || bytes[end].is_ascii_alphanumeric())
                {
                    end += 1;
                }
                spans.push((start, end));
                i = end;
            }
            _ => i += 1,
        }
    }
    spans
}

/// The source range of `start..end` in a JSON string element (whose range has the quotes).
fn element_sub_range(source: &str, element: &Word, start: usize, end: usize) -> TextRange {
    let inner = TextRange::new(
        element.range.start() + 1,
        element
            .range
            .end()
            .saturating_sub(1)
            .max(element.range.start() + 1),
    );
    if source.get(inner.as_range()) == Some(element.text.as_str()) {
        TextRange::new(inner.start() + start, inner.start() + end)
    } else {
        element.range
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::check_rule;

    #[test]
    fn reports_variables_in_exec_form() {
        let text = "FROM alpine\n\
                    ENTRYPOINT [\"dotnet\", \"$APP_DLL\"]\n\
                    CMD [\"--urls\", \"http://+:${PORT}\"]\n\
                    RUN [\"dotnet\", \"restore\", \"$PROJECT\"]\n\
                    HEALTHCHECK CMD [\"curl\", \"http://localhost:$PORT/health\"]\n";
        assert_eq!(
            check_rule("ExecFormVariableNotExpanded", text),
            [
                "2:24-2:32 `$APP_DLL` is not expanded: the exec form runs without a shell, so the program receives the literal text `$APP_DLL`",
                "3:26-3:33 `${PORT}` is not expanded: the exec form runs without a shell, so the program receives the literal text `${PORT}`",
                "4:28-4:36 `$PROJECT` is not expanded: the exec form runs without a shell, so the program receives the literal text `$PROJECT`",
                "5:44-5:49 `$PORT` is not expanded: the exec form runs without a shell, so the program receives the literal text `$PORT`",
            ]
        );
    }

    #[test]
    fn silent_when_a_shell_expands() {
        let text = "FROM alpine AS base\n\
                    ENTRYPOINT [\"/bin/sh\", \"-c\", \"exec dotnet $APP_DLL\"]\n\
                    CMD [\"$ARGS\"]\n\
                    FROM base\n\
                    CMD [\"$MORE\"]\n\
                    RUN [\"bash\", \"-c\", \"echo $HOME\"]\n\
                    RUN echo $HOME\n\
                    CMD [\"dotnet\", \"Api.dll\"]\n";
        assert!(check_rule("ExecFormVariableNotExpanded", text).is_empty());
    }
}
