use super::{ActionContext, CodeAction, Safety};
use crate::declare_action;
use crate::ide::TextEdit;
use crate::syntax::{Args, Keyword};

declare_action! {
/// Rewrites a shell-form `ENTRYPOINT` or `CMD` as its exec (JSON) form, so the app is the
/// container's first process and receives `docker stop`'s SIGTERM. The quick fix of
/// `JSONArgsRecommended`.
///
/// Offered only when the command is plain words (quotes allowed): a command with variables,
/// globs, redirections or `&&` needs a shell and is left alone.
///
/// ## Before
/// ```dockerfile
/// ENTRYPOINT dotnet $0MyApp.dll --urls "http://+:8080"
/// ```
///
/// ## After
/// ```dockerfile
/// ENTRYPOINT ["dotnet", "MyApp.dll", "--urls", "http://+:8080"]
/// ```
///
/// ## Fix safety
/// Safe, except for an `ENTRYPOINT` in a stage that also has a `CMD`: in exec form the `CMD`
/// becomes the entry point's arguments, where the shell form ignored it.
    ConvertToExecForm { expensive: false }
}

impl ConvertToExecForm {
    fn run(ctx: &ActionContext, out: &mut Vec<CodeAction>) {
        for diagnostic in ctx.diagnostics("JSONArgsRecommended") {
            let Some((index, inst)) = ctx.instruction_containing(diagnostic.range.start()) else {
                continue;
            };
            let Args::Shell(command) = &inst.args else {
                continue;
            };
            if !matches!(inst.keyword, Keyword::Cmd | Keyword::Entrypoint) {
                continue;
            }
            let Some(words) = plain_words(&command.text) else {
                continue;
            };
            if words.is_empty() {
                continue;
            }
            let json = format!(
                "[{}]",
                words
                    .iter()
                    .map(|w| serde_json::Value::String(w.clone()).to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            );
            let safety = if inst.keyword == Keyword::Entrypoint && stage_has_cmd(ctx, index) {
                Safety::Unsafe
            } else {
                Safety::Safe
            };
            out.push(
                CodeAction::quick_fix(
                    &Self::META,
                    diagnostic,
                    format!("Use the exec form: {json}"),
                    vec![TextEdit::replace(command.range, json)],
                )
                .preferred()
                .with_safety(safety),
            );
        }
    }
}

fn stage_has_cmd(ctx: &ActionContext, instruction: usize) -> bool {
    let Some(stage) = ctx.analysis.model.stage_of_instruction(instruction) else {
        return false;
    };
    ctx.analysis.tree.instructions[stage.instructions.clone()]
        .iter()
        .any(|i| i.keyword == Keyword::Cmd)
}

/// The words of a command that means the same with or without a shell, or `None` when it
/// uses anything only a shell understands (variables, globs, operators, line breaks).
pub(crate) fn plain_words(command: &str) -> Option<Vec<String>> {
    let mut words = Vec::new();
    let mut current: Option<String> = None;
    let mut chars = command.chars();
    while let Some(c) = chars.next() {
        match c {
            ' ' | '\t' => {
                if let Some(word) = current.take() {
                    words.push(word);
                }
            }
            '\'' => {
                let word = current.get_or_insert_with(String::new);
                loop {
                    match chars.next()? {
                        '\'' => break,
                        '\n' | '\r' => return None,
                        c => word.push(c),
                    }
                }
            }
            '"' => {
                let word = current.get_or_insert_with(String::new);
                loop {
                    match chars.next()? {
                        '"' => break,
                        '$' | '`' | '\n' | '\r' => return None,
                        '\\' => match chars.next()? {
                            c @ ('"' | '\\') => word.push(c),
                            _ => return None,
                        },
                        c => word.push(c),
                    }
                }
            }
            '$' | '`' | '\\' | '&' | '|' | ';' | '<' | '>' | '(' | ')' | '*' | '?' | '[' | '~'
            | '#' | '{' | '}' | '!' | '\n' | '\r' => return None,
            c => current.get_or_insert_with(String::new).push(c),
        }
    }
    words.extend(current);
    Some(words)
}

#[cfg(test)]
mod tests {
    use crate::actions::test_support::{check_action, check_not_applicable};
    use crate::actions::Safety;

    const NAME: &str = "ConvertToExecForm";

    #[test]
    fn entrypoint_with_quoted_argument() {
        let action = check_action(
            NAME,
            "FROM mcr.microsoft.com/dotnet/aspnet:10.0\nENTRYPOINT dotnet $0MyApp.dll --urls \"http://+:8080\"\n",
            "FROM mcr.microsoft.com/dotnet/aspnet:10.0\nENTRYPOINT [\"dotnet\", \"MyApp.dll\", \"--urls\", \"http://+:8080\"]\n",
        );
        assert_eq!(
            action.title,
            "Use the exec form: [\"dotnet\", \"MyApp.dll\", \"--urls\", \"http://+:8080\"]"
        );
        assert!(action.preferred);
        assert_eq!(action.safety, Safety::Safe);
    }

    #[test]
    fn cmd_with_single_quotes_and_a_comment_above() {
        check_action(
            NAME,
            "FROM alpine:3.20\n# start the worker\nCMD$0 ./worker 'my queue'\n",
            "FROM alpine:3.20\n# start the worker\nCMD [\"./worker\", \"my queue\"]\n",
        );
    }

    #[test]
    fn entrypoint_next_to_a_cmd_is_unsafe() {
        let action = check_action(
            NAME,
            "FROM alpine:3.20\nENTRYPOINT $0./app\nCMD [\"--verbose\"]\n",
            "FROM alpine:3.20\nENTRYPOINT [\"./app\"]\nCMD [\"--verbose\"]\n",
        );
        assert_eq!(action.safety, Safety::Unsafe);
    }

    #[test]
    fn not_offered_for_commands_that_need_a_shell() {
        check_not_applicable(NAME, "FROM alpine:3.20\nCMD $0dotnet $APP_DLL\n");
        check_not_applicable(NAME, "FROM alpine:3.20\nCMD $0./migrate && ./app\n");
        check_not_applicable(NAME, "FROM alpine:3.20\nCMD $0./app > /tmp/log\n");
        check_not_applicable(NAME, "FROM alpine:3.20\nCMD $0./app \"$HOME\"\n");
    }

    #[test]
    fn not_offered_when_already_exec_form_or_elsewhere() {
        check_not_applicable(NAME, "FROM alpine:3.20\nCMD $0[\"./app\"]\n");
        check_not_applicable(NAME, "FROM alpine$0:3.20\nCMD ./app\n");
    }
}
