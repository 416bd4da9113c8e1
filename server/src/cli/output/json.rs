//! `--format json`: one JSON array, one object per diagnostic, in file order then position
//! order:
//!
//! ```json
//! [
//!   {
//!     "file": "src/Api/Dockerfile",
//!     "range": {
//!       "start": { "line": 1, "character": 4 },
//!       "end": { "line": 1, "character": 9 }
//!     },
//!     "severity": "error",
//!     "code": "UnterminatedHeredoc",
//!     "message": "...",
//!     "fixable": false
//!   }
//! ]
//! ```
//!
//! Lines are 0-based and `character` counts UTF-8 bytes from the start of the line, so that a
//! range can be used with LSP's utf-8 position encoding as it is. The keys always come in this
//! order.

use serde::Serialize;

use super::{to_pretty_json, CheckedFile, ColumnUnit, Position};

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    file: String,
    range: JsonRange,
    severity: &'static str,
    code: &'a str,
    message: &'a str,
    fixable: bool,
}

#[derive(Serialize)]
struct JsonRange {
    start: JsonPosition,
    end: JsonPosition,
}

#[derive(Serialize)]
struct JsonPosition {
    line: u32,
    character: u32,
}

impl From<Position> for JsonPosition {
    fn from(position: Position) -> Self {
        JsonPosition {
            line: position.line,
            character: position.column,
        }
    }
}

pub(super) fn render(files: &[CheckedFile]) -> String {
    let diagnostics: Vec<JsonDiagnostic> = files
        .iter()
        .flat_map(|file| {
            let path = file.display_path();
            file.diagnostics.iter().map(move |diagnostic| {
                let (start, end) = file.span(diagnostic.range, ColumnUnit::Utf8Bytes);
                JsonDiagnostic {
                    file: path.clone(),
                    range: JsonRange {
                        start: start.into(),
                        end: end.into(),
                    },
                    severity: diagnostic.severity.as_str(),
                    code: diagnostic.code,
                    message: &diagnostic.message,
                    fixable: diagnostic.fixable,
                }
            })
        })
        .collect();
    to_pretty_json(&diagnostics)
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::super::test_support::diagnostic_on;
    use super::super::{render, CheckedFile, OutputFormat, RenderOptions};
    use crate::analysis::Severity;

    #[test]
    fn exact_shape_with_utf8_columns() {
        let text = "LABEL k=\"é\" \nRUN <<EOF\n";
        let mut odd = diagnostic_on(
            text,
            "\" ",
            Severity::Warning,
            "Odd",
            "a \"quoted\" message\n",
        );
        odd.fixable = true;
        let heredoc = diagnostic_on(
            text,
            "<<EOF",
            Severity::Error,
            "UnterminatedHeredoc",
            "heredoc `EOF` is never terminated",
        );
        let files = [
            CheckedFile::new(PathBuf::from("a/Dockerfile"), "FROM a\n".into(), vec![]),
            CheckedFile::new(
                PathBuf::from("b/Dockerfile"),
                text.into(),
                vec![heredoc, odd],
            ),
        ];
        let rendered = render(OutputFormat::Json, &files, &RenderOptions::default());
        assert_eq!(
            rendered,
            r#"[
  {
    "file": "b/Dockerfile",
    "range": {
      "start": {
        "line": 0,
        "character": 11
      },
      "end": {
        "line": 0,
        "character": 13
      }
    },
    "severity": "warning",
    "code": "Odd",
    "message": "a \"quoted\" message\n",
    "fixable": true
  },
  {
    "file": "b/Dockerfile",
    "range": {
      "start": {
        "line": 1,
        "character": 4
      },
      "end": {
        "line": 1,
        "character": 9
      }
    },
    "severity": "error",
    "code": "UnterminatedHeredoc",
    "message": "heredoc `EOF` is never terminated",
    "fixable": false
  }
]
"#
        );
    }

    #[test]
    fn no_diagnostics_is_an_empty_array() {
        let file = CheckedFile::new(PathBuf::from("Dockerfile"), "FROM a\n".into(), vec![]);
        assert_eq!(
            render(OutputFormat::Json, &[file], &RenderOptions::default()),
            "[]\n"
        );
    }
}
