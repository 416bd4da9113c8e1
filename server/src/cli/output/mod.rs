//! Output formats of `dockside check`.
//!
//! Every format is a pure function from the checked files to the text printed on stdout, so
//! tests call [`render`] with hand-built diagnostics and compare exact strings. A new format
//! is one module with a `render(files, options) -> String` and one [`OutputFormat`] variant.

mod checkstyle;
mod github;
mod human;
mod json;
mod junit;
mod sarif;
pub(crate) use sarif::path_to_uri;
mod xml;

use std::path::{Path, PathBuf};

use crate::analysis::{Diagnostic, Severity};
use crate::text::{Encoding, LineIndex, TextRange};

/// A `--format` value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OutputFormat {
    /// `path:line:col: severity[Code] message`, the source line with carets, a summary.
    Human,
    /// One JSON array of diagnostics with 0-based lines and UTF-8 byte columns.
    Json,
    /// GitHub Actions workflow commands (`::error file=...::message`), one per diagnostic.
    Github,
    /// A SARIF 2.1.0 log, for GitHub code scanning and other SARIF viewers.
    Sarif,
    /// Checkstyle XML, for Jenkins, reviewdog, GitLab and SonarQube importers.
    Checkstyle,
    /// JUnit XML: a test suite per file, a failed test case per diagnostic.
    Junit,
}

impl OutputFormat {
    pub const ALL: [OutputFormat; 6] = [
        OutputFormat::Human,
        OutputFormat::Json,
        OutputFormat::Github,
        OutputFormat::Sarif,
        OutputFormat::Checkstyle,
        OutputFormat::Junit,
    ];

    /// The name given to `--format`.
    pub fn name(self) -> &'static str {
        match self {
            OutputFormat::Human => "human",
            OutputFormat::Json => "json",
            OutputFormat::Github => "github",
            OutputFormat::Sarif => "sarif",
            OutputFormat::Checkstyle => "checkstyle",
            OutputFormat::Junit => "junit",
        }
    }

    pub fn from_name(name: &str) -> Option<OutputFormat> {
        Self::ALL.into_iter().find(|format| format.name() == name)
    }
}

/// One analysed Dockerfile, as the output formats see it.
#[derive(Clone, Debug)]
pub struct CheckedFile {
    /// The path as the user should read it: relative to the current directory when it was
    /// given that way.
    pub path: PathBuf,
    /// The text that was analysed (invalid UTF-8 on disk already replaced by U+FFFD).
    pub text: String,
    pub line_index: LineIndex,
    /// Sorted by position, so that every format lists them in the same order.
    pub diagnostics: Vec<Diagnostic>,
}

impl CheckedFile {
    pub fn new(path: PathBuf, text: String, mut diagnostics: Vec<Diagnostic>) -> CheckedFile {
        diagnostics.sort_by(|a, b| {
            (a.range.start, a.range.end, a.code, &a.message).cmp(&(
                b.range.start,
                b.range.end,
                b.code,
                &b.message,
            ))
        });
        CheckedFile {
            line_index: LineIndex::new(&text),
            path,
            text,
            diagnostics,
        }
    }

    /// The path as text; a name that is not UTF-8 shows U+FFFD for the bad bytes.
    pub fn display_path(&self) -> String {
        self.path.to_string_lossy().into_owned()
    }

    /// Zero-based line and column of a byte offset, with columns counted in `unit`.
    /// Offsets past the end of the text or inside a character are clamped, never a panic.
    pub fn position(&self, offset: usize, unit: ColumnUnit) -> Position {
        let utf8 = self.line_index.line_col(&self.text, offset, Encoding::Utf8);
        let column = match unit {
            ColumnUnit::Utf8Bytes => utf8.col,
            ColumnUnit::Utf16CodeUnits => {
                self.line_index
                    .line_col(&self.text, offset, Encoding::Utf16)
                    .col
            }
            ColumnUnit::Characters => {
                let start = self.line_index.line_start(utf8.line as usize);
                let end = start + utf8.col as usize;
                self.text
                    .get(start..end)
                    .map_or(0, |prefix| prefix.chars().count() as u32)
            }
        };
        Position {
            line: utf8.line,
            column,
        }
    }

    /// Start and end of `range` as positions.
    pub fn span(&self, range: TextRange, unit: ColumnUnit) -> (Position, Position) {
        (
            self.position(range.start(), unit),
            self.position(range.end().max(range.start()), unit),
        )
    }
}

/// What a column counts. JSON speaks UTF-8 bytes (like LSP's utf-8 encoding), SARIF UTF-16
/// code units (its default `columnKind`), people and terminals characters.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ColumnUnit {
    Utf8Bytes,
    Utf16CodeUnits,
    Characters,
}

/// A zero-based line and column.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Position {
    pub line: u32,
    pub column: u32,
}

/// Choices that change how a format looks, not what it says.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RenderOptions {
    /// ANSI colours in the human format.
    pub color: bool,
}

/// Renders the diagnostics of `files` (in the given order) in `format`, ready for stdout.
pub fn render(format: OutputFormat, files: &[CheckedFile], options: &RenderOptions) -> String {
    match format {
        OutputFormat::Human => human::render(files, options),
        OutputFormat::Json => json::render(files),
        OutputFormat::Github => github::render(files),
        OutputFormat::Sarif => sarif::render(files),
        OutputFormat::Checkstyle => checkstyle::render(files),
        OutputFormat::Junit => junit::render(files),
    }
}

/// Counts over all checked files.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    pub files_checked: usize,
    pub files_with_problems: usize,
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
    pub hints: usize,
}

impl Summary {
    pub fn of(files: &[CheckedFile]) -> Summary {
        let mut summary = Summary {
            files_checked: files.len(),
            ..Summary::default()
        };
        for file in files {
            if !file.diagnostics.is_empty() {
                summary.files_with_problems += 1;
            }
            for diagnostic in &file.diagnostics {
                match diagnostic.severity {
                    Severity::Error => summary.errors += 1,
                    Severity::Warning => summary.warnings += 1,
                    Severity::Info => summary.infos += 1,
                    Severity::Hint => summary.hints += 1,
                }
            }
        }
        summary
    }

    pub fn problems(&self) -> usize {
        self.errors + self.warnings + self.infos + self.hints
    }

    /// The most severe diagnostic's severity, if there is any diagnostic.
    pub fn worst(&self) -> Option<Severity> {
        [
            (self.errors, Severity::Error),
            (self.warnings, Severity::Warning),
            (self.infos, Severity::Info),
            (self.hints, Severity::Hint),
        ]
        .into_iter()
        .find(|(count, _)| *count > 0)
        .map(|(_, severity)| severity)
    }

    /// "Found 3 problems (1 error, 2 warnings) in 2 files" or "All checks passed: 2 Dockerfiles".
    pub fn sentence(&self) -> String {
        if self.problems() == 0 {
            return format!(
                "All checks passed: {}",
                count(self.files_checked, "Dockerfile", "Dockerfiles")
            );
        }
        let breakdown: Vec<String> = [
            (self.errors, "error", "errors"),
            (self.warnings, "warning", "warnings"),
            (self.infos, "info", "info"),
            (self.hints, "hint", "hints"),
        ]
        .into_iter()
        .filter(|(n, _, _)| *n > 0)
        .map(|(n, one, many)| count(n, one, many))
        .collect();
        format!(
            "Found {} ({}) in {}",
            count(self.problems(), "problem", "problems"),
            breakdown.join(", "),
            count(self.files_with_problems, "file", "files")
        )
    }
}

fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// Serializes a value made of plain structs, strings and numbers as pretty JSON with a final
/// line break.
fn to_pretty_json<T: serde::Serialize>(value: &T) -> String {
    let mut text = serde_json::to_string_pretty(value)
        .expect("plain structs of strings, numbers and booleans always serialize");
    text.push('\n');
    text
}

/// A path with `/` separators whatever the platform, for formats read by web services.
fn slash_path(path: &Path) -> String {
    let text = path.to_string_lossy();
    if std::path::MAIN_SEPARATOR == '/' {
        text.into_owned()
    } else {
        text.replace(std::path::MAIN_SEPARATOR, "/")
    }
}

#[cfg(test)]
pub(crate) mod test_support {
    use crate::analysis::{Diagnostic, Severity};
    use crate::text::TextRange;

    /// A diagnostic on the first occurrence of `needle` in `text`.
    pub fn diagnostic_on(
        text: &str,
        needle: &str,
        severity: Severity,
        code: &'static str,
        message: &str,
    ) -> Diagnostic {
        let start = text
            .find(needle)
            .unwrap_or_else(|| panic!("{needle:?} not in the test text"));
        Diagnostic {
            range: TextRange::new(start, start + needle.len()),
            severity,
            code,
            message: message.to_string(),
            docs_url: None,
            fixable: false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::test_support::diagnostic_on;
    use super::*;

    #[test]
    fn format_names_round_trip() {
        for format in OutputFormat::ALL {
            assert_eq!(OutputFormat::from_name(format.name()), Some(format));
        }
        assert_eq!(OutputFormat::from_name("JSON"), None);
        assert_eq!(OutputFormat::from_name("xml"), None);
    }

    #[test]
    fn positions_in_each_column_unit() {
        let text = "FROM a\nLABEL k=\"日本🐳\" z\n";
        let file = CheckedFile::new(PathBuf::from("Dockerfile"), text.to_string(), vec![]);
        let z = text.find(" z").unwrap() + 1;
        let at = |unit| file.position(z, unit);
        assert_eq!(
            at(ColumnUnit::Utf8Bytes),
            Position {
                line: 1,
                column: 21
            }
        );
        assert_eq!(
            at(ColumnUnit::Utf16CodeUnits),
            Position {
                line: 1,
                column: 15
            }
        );
        assert_eq!(
            at(ColumnUnit::Characters),
            Position {
                line: 1,
                column: 14
            }
        );
        // Past the end and inside a character: clamped, not a panic.
        assert_eq!(
            file.position(10_000, ColumnUnit::Characters),
            Position { line: 2, column: 0 }
        );
        let inside_emoji = text.find('🐳').unwrap() + 2;
        assert_eq!(
            file.position(inside_emoji, ColumnUnit::Characters),
            Position {
                line: 1,
                column: 11
            }
        );
    }

    #[test]
    fn diagnostics_are_sorted_by_position() {
        let text = "FROM a\nRUN b\n";
        let late = diagnostic_on(text, "RUN", Severity::Warning, "Late", "late");
        let early = diagnostic_on(text, "FROM", Severity::Error, "Early", "early");
        let file = CheckedFile::new(PathBuf::from("Dockerfile"), text.into(), vec![late, early]);
        let codes: Vec<_> = file.diagnostics.iter().map(|d| d.code).collect();
        assert_eq!(codes, ["Early", "Late"]);
    }

    #[test]
    fn summary_sentences() {
        let clean = |n| Summary {
            files_checked: n,
            ..Summary::default()
        };
        assert_eq!(clean(2).sentence(), "All checks passed: 2 Dockerfiles");
        assert_eq!(clean(1).sentence(), "All checks passed: 1 Dockerfile");
        let mixed = Summary {
            files_checked: 5,
            files_with_problems: 2,
            errors: 1,
            warnings: 2,
            ..Summary::default()
        };
        assert_eq!(
            mixed.sentence(),
            "Found 3 problems (1 error, 2 warnings) in 2 files"
        );
        assert_eq!(mixed.worst(), Some(Severity::Error));
        let quiet = Summary {
            files_checked: 1,
            files_with_problems: 1,
            infos: 2,
            hints: 1,
            ..Summary::default()
        };
        assert_eq!(
            quiet.sentence(),
            "Found 3 problems (2 info, 1 hint) in 1 file"
        );
        assert_eq!(quiet.worst(), Some(Severity::Info));
        assert_eq!(clean(3).worst(), None);
    }
}
