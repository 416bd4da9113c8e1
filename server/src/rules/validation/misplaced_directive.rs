use crate::analysis::Severity;
use crate::declare_rule;
use crate::rules::{Diagnostics, RuleContext};
use crate::text::TextRange;

declare_rule! {
/// ## What it does
/// Finds comments shaped like a parser directive (`# syntax=...`, `# escape=...`,
/// `# check=...`) that are not at the top of the file, where they are plain comments.
///
/// ## Why is this bad?
/// BuildKit reads directives only before the first instruction, comment or empty line. A
/// misplaced `# syntax=` silently keeps the default frontend; a misplaced `# escape=` keeps
/// `\` as the escape character and a misplaced `# check=` skips nothing, so those two are
/// warnings, `syntax` an information.
///
/// ## Example
/// ```dockerfile
/// # Build the API
/// # syntax=docker/dockerfile:1
/// FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
/// ```
///
/// ## Use instead
/// ```dockerfile
/// # syntax=docker/dockerfile:1
/// # Build the API
/// FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
/// ```
///
/// ## Fix safety
/// No automatic fix.
    MisplacedDirective {
        severity: Info,
        origin: Validation,
        summary: "A parser directive below the top of the file, where it is only a comment.",
    }
}

impl MisplacedDirective {
    fn run(ctx: &RuleContext, out: &mut Diagnostics) {
        for &comment in &ctx.tree.comments {
            let text = ctx.text.get(comment.as_range()).unwrap_or("");
            let Some(body) = text.strip_prefix('#') else {
                continue;
            };
            let trimmed = body.trim_start();
            let name_len = trimmed
                .bytes()
                .take_while(|b| b.is_ascii_alphanumeric())
                .count();
            let name = trimmed[..name_len].to_ascii_lowercase();
            let after = trimmed[name_len..].trim_start();
            let Some(value) = after.strip_prefix('=') else {
                continue;
            };
            if value.trim().is_empty() {
                continue;
            }
            let severity = match name.as_str() {
                "syntax" => Severity::Info,
                "escape" | "check" => Severity::Warning,
                _ => continue,
            };
            let name_start = comment.start() + 1 + (body.len() - trimmed.len());
            out.report_with(
                &Self::META,
                severity,
                TextRange::new(name_start, comment.end()),
                format!(
                    "parser directive `{name}` is ignored here: directives must come first, before any instruction, comment or empty line"
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::check_rule;

    #[test]
    fn reports_directives_after_the_top() {
        let text = "# Build\n# syntax=docker/dockerfile:1\nFROM alpine\n# check=skip=all\n";
        assert_eq!(
            check_rule("MisplacedDirective", text),
            [
                "2:3-2:29 parser directive `syntax` is ignored here: directives must come first, before any instruction, comment or empty line",
                "4:3-4:17 parser directive `check` is ignored here: directives must come first, before any instruction, comment or empty line",
            ]
        );
    }

    #[test]
    fn silent_on_directives_at_the_top() {
        let text = "# syntax=docker/dockerfile:1\n# escape=\\\n# check=skip=JSONArgsRecommended\n# a comment with key=value\nFROM alpine\n";
        assert!(check_rule("MisplacedDirective", text).is_empty());
    }
}
