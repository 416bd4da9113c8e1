use super::{ActionContext, ActionKind, CodeAction};
use crate::analysis::Diagnostic;
use crate::declare_action;
use crate::ide::TextEdit;
use crate::rules::{find_rule, Origin};

declare_action! {
/// Silences a diagnostic with a comment: `# dockside ignore=Name` above its instruction
/// (added to an existing `ignore=` comment there), or `# dockside ignore-file=Name` at the
/// top of the file, after the parser directives.
///
/// Syntax errors cannot be silenced: BuildKit refuses the file whatever the comment says.
///
/// ## Before
/// ```dockerfile
/// FROM mcr.microsoft.com/dotnet/aspnet:10.0
/// USER $0root
/// ```
///
/// ## After
/// ```dockerfile
/// FROM mcr.microsoft.com/dotnet/aspnet:10.0
/// # dockside ignore=RunsAsRoot
/// USER root
/// ```
///
/// ## Fix safety
/// Never applied by `dockside check --fix`: hiding a finding is a decision for a person.
    SuppressRule { expensive: false }
}

impl SuppressRule {
    fn run(ctx: &ActionContext, out: &mut Vec<CodeAction>) {
        let mut seen: Vec<&str> = Vec::new();
        for diagnostic in ctx.analysis.diagnostics.iter() {
            if !ctx.about(diagnostic) || seen.contains(&diagnostic.code) {
                continue;
            }
            let Some(rule) = find_rule(diagnostic.code) else {
                continue;
            };
            if rule.meta().origin == Origin::Syntax
                || diagnostic.code == crate::rules::suppression::UNKNOWN_RULE_CODE
            {
                continue;
            }
            seen.push(diagnostic.code);
            if let Some(edit) = line_suppression(ctx, diagnostic) {
                out.push(CodeAction {
                    fixes: Some(diagnostic.clone()),
                    ..CodeAction::new(
                        &Self::META,
                        ActionKind::QuickFix,
                        format!("Suppress {} for this instruction", diagnostic.code),
                        vec![edit],
                    )
                });
            }
            out.push(CodeAction {
                fixes: Some(diagnostic.clone()),
                ..CodeAction::new(
                    &Self::META,
                    ActionKind::QuickFix,
                    format!("Suppress {} in this file", diagnostic.code),
                    vec![file_suppression(ctx, diagnostic.code)],
                )
            });
        }
    }
}

/// `# dockside ignore=Name` on the line above the diagnostic's instruction.
fn line_suppression(ctx: &ActionContext, diagnostic: &Diagnostic) -> Option<TextEdit> {
    let text = ctx.text();
    let analysis = ctx.analysis;
    let (_, inst) = ctx.instruction_containing(diagnostic.range.start())?;
    let line = inst.start_line as usize;
    let line_start = analysis.line_index.line_start(line);
    let indent: String = text
        .get(line_start..)?
        .chars()
        .take_while(|c| *c == ' ' || *c == '\t')
        .collect();
    if line > 0 {
        let above_start = analysis.line_index.line_start(line - 1);
        let above_end = analysis.line_index.line_end(text, line - 1);
        let above = text.get(above_start..above_end)?;
        let trimmed = above.trim_end();
        if let Some(names) = trimmed.trim_start().strip_prefix("# dockside ignore=") {
            if names
                .split(',')
                .any(|n| n.trim().eq_ignore_ascii_case(diagnostic.code))
            {
                return None;
            }
            return Some(TextEdit::insert(
                above_start + trimmed.len(),
                format!(",{}", diagnostic.code),
            ));
        }
    }
    Some(TextEdit::insert(
        line_start,
        format!(
            "{indent}# dockside ignore={}{}",
            diagnostic.code,
            ctx.line_break()
        ),
    ))
}

/// `# dockside ignore-file=Name` after the parser directives (a comment before them would
/// end the directive block).
fn file_suppression(ctx: &ActionContext, code: &str) -> TextEdit {
    let analysis = ctx.analysis;
    let at = match analysis.tree.directives.last() {
        Some(directive) => {
            let line = analysis.line_index.line_of(directive.range.end());
            analysis.line_index.line_start(line + 1)
        }
        None => 0,
    };
    let at = at.min(ctx.text().len());
    let needs_break_before = at == ctx.text().len() && at > 0 && !ctx.text().ends_with('\n');
    let prefix = if needs_break_before {
        ctx.line_break()
    } else {
        ""
    };
    TextEdit::insert(
        at,
        format!("{prefix}# dockside ignore-file={code}{}", ctx.line_break()),
    )
}

#[cfg(test)]
mod tests {
    use crate::actions::test_support::{check_action_titled, check_not_applicable};

    const NAME: &str = "SuppressRule";

    #[test]
    fn above_the_instruction_with_its_indentation() {
        check_action_titled(
            NAME,
            "Suppress JSONArgsRecommended for this instruction",
            "FROM alpine:3.20\n  CMD $0echo hi\n",
            "FROM alpine:3.20\n  # dockside ignore=JSONArgsRecommended\n  CMD echo hi\n",
        );
    }

    #[test]
    fn joins_an_existing_ignore_comment() {
        check_action_titled(
            NAME,
            "Suppress JSONArgsRecommended for this instruction",
            "FROM alpine:3.20\n# dockside ignore=MaintainerDeprecated\nCMD $0echo hi\n",
            "FROM alpine:3.20\n# dockside ignore=MaintainerDeprecated,JSONArgsRecommended\nCMD echo hi\n",
        );
    }

    #[test]
    fn file_wide_after_the_parser_directives() {
        check_action_titled(
            NAME,
            "Suppress JSONArgsRecommended in this file",
            "# syntax=docker/dockerfile:1\n# check=error=true\nFROM alpine:3.20\nCMD $0echo hi\n",
            "# syntax=docker/dockerfile:1\n# check=error=true\n# dockside ignore-file=JSONArgsRecommended\nFROM alpine:3.20\nCMD echo hi\n",
        );
    }

    #[test]
    fn not_offered_for_syntax_errors_or_clean_lines() {
        check_not_applicable(NAME, "FROM alpine:3.20\nRUN <<EOF$0\necho hi\n");
        check_not_applicable(NAME, "FROM alpine:3.20\nCMD [\"./app\"]$0\n");
    }
}
