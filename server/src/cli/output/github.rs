//! `--format github`: GitHub Actions workflow commands, which GitHub turns into annotations
//! on the pull request's diff:
//!
//! ```text
//! ::error title=Dockside (UnterminatedHeredoc),file=Dockerfile,line=2,col=5,endLine=2,endColumn=9::Dockerfile:2:5: UnterminatedHeredoc heredoc `EOF` is never terminated
//! ```
//!
//! `file` is the path as printed by the other formats, so run `dockside check` from the
//! repository root. Lines and columns are 1-based characters; `endColumn` is the column of the
//! last character of the range. Errors become `::error`, warnings `::warning`, info and hints
//! `::notice`.

use std::fmt::Write;

use super::{slash_path, CheckedFile, ColumnUnit};
use crate::analysis::Severity;

pub(super) fn render(files: &[CheckedFile]) -> String {
    let mut out = String::new();
    for file in files {
        let path = slash_path(&file.path);
        for diagnostic in &file.diagnostics {
            let (start, end) = file.span(diagnostic.range, ColumnUnit::Characters);
            let command = match diagnostic.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Info | Severity::Hint => "notice",
            };
            // The end column is inclusive here; an empty range marks the one character at
            // its start.
            let end_column = if end.line == start.line {
                end.column.max(start.column + 1)
            } else {
                end.column.max(1)
            };
            let message = format!(
                "{path}:{}:{}: {} {}",
                start.line + 1,
                start.column + 1,
                diagnostic.code,
                diagnostic.message
            );
            let _ = writeln!(
                out,
                "::{command} title={},file={},line={},col={},endLine={},endColumn={}::{}",
                escape_property(&format!("Dockside ({})", diagnostic.code)),
                escape_property(&path),
                start.line + 1,
                start.column + 1,
                end.line + 1,
                end_column,
                escape_data(&message)
            );
        }
    }
    out
}

/// The escaping of `@actions/core` for a command's message.
fn escape_data(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for ch in text.chars() {
        match ch {
            '%' => escaped.push_str("%25"),
            '\r' => escaped.push_str("%0D"),
            '\n' => escaped.push_str("%0A"),
            // Other control characters would reach the log verbatim.
            c if c.is_control() => escaped.push('\u{fffd}'),
            c => escaped.push(c),
        }
    }
    escaped
}

/// The escaping of `@actions/core` for a command's property values.
fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::super::test_support::diagnostic_on;
    use super::super::{render, CheckedFile, OutputFormat, RenderOptions};
    use crate::analysis::{Diagnostic, Severity};
    use crate::text::TextRange;

    #[test]
    fn one_command_per_diagnostic() {
        let text = "FROM a AS Build\nRUN <<EOF\n";
        let casing = diagnostic_on(
            text,
            "Build",
            Severity::Warning,
            "StageNameCasing",
            "Stage name 'Build' should be lowercase",
        );
        let heredoc = diagnostic_on(
            text,
            "<<EOF",
            Severity::Error,
            "UnterminatedHeredoc",
            "heredoc `EOF` is never terminated",
        );
        let hint = Diagnostic {
            range: TextRange::new(0, text.len()),
            severity: Severity::Hint,
            code: "Whole",
            message: "100% of it,\nreally".into(),
            docs_url: None,
            fixable: false,
        };
        let files = [CheckedFile::new(
            PathBuf::from("src/a,b:c/Dockerfile"),
            text.into(),
            vec![heredoc, casing, hint],
        )];
        assert_eq!(
            render(OutputFormat::Github, &files, &RenderOptions::default()),
            "\
::notice title=Dockside (Whole),file=src/a%2Cb%3Ac/Dockerfile,line=1,col=1,endLine=3,endColumn=1::src/a,b:c/Dockerfile:1:1: Whole 100%25 of it,%0Areally
::warning title=Dockside (StageNameCasing),file=src/a%2Cb%3Ac/Dockerfile,line=1,col=11,endLine=1,endColumn=15::src/a,b:c/Dockerfile:1:11: StageNameCasing Stage name 'Build' should be lowercase
::error title=Dockside (UnterminatedHeredoc),file=src/a%2Cb%3Ac/Dockerfile,line=2,col=5,endLine=2,endColumn=9::src/a,b:c/Dockerfile:2:5: UnterminatedHeredoc heredoc `EOF` is never terminated
"
        );
    }

    #[test]
    fn nothing_for_clean_files() {
        let file = CheckedFile::new(PathBuf::from("Dockerfile"), "FROM a\n".into(), vec![]);
        assert_eq!(
            render(OutputFormat::Github, &[file], &RenderOptions::default()),
            ""
        );
    }
}
