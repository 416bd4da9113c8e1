//! The human format, in the style of rustc and ruff:
//!
//! ```text
//! Dockerfile:3:5: error[UnterminatedHeredoc] heredoc `EOF` is never terminated
//!   |
//! 3 | RUN <<EOF
//!   |     ^^^^^
//!
//! Found 1 problem (1 error) in 1 file
//! ```
//!
//! Lines and columns are 1-based; columns count characters, as editors do when they jump to
//! `file:line:col`. Everything taken from the Dockerfile is made safe for a terminal first:
//! control characters are shown as symbols (never sent as escape sequences), tabs as spaces,
//! and very long lines as a window around the problem.

use std::fmt::Write;

use unicode_width::UnicodeWidthChar;

use super::{CheckedFile, ColumnUnit, RenderOptions, Summary};
use crate::analysis::{Diagnostic, Severity};
use crate::text::clamp_to_char_boundary;

/// Source lines wider than this many terminal columns are cut to a window around the range.
const MAX_SNIPPET_WIDTH: usize = 120;
/// How many columns of context the window keeps before the start of the range.
const WINDOW_LEAD: usize = 40;
const TAB_WIDTH: usize = 4;

pub(super) fn render(files: &[CheckedFile], options: &RenderOptions) -> String {
    let style = Style {
        color: options.color,
    };
    let mut out = String::new();
    for file in files {
        for diagnostic in &file.diagnostics {
            render_diagnostic(&mut out, file, diagnostic, &style);
            out.push('\n');
        }
    }
    let summary = Summary::of(files);
    let sentence = summary.sentence();
    let painted = if summary.problems() == 0 {
        style.paint(&sentence, GREEN_BOLD)
    } else {
        style.paint(&sentence, BOLD)
    };
    let _ = writeln!(out, "{painted}");
    out
}

fn render_diagnostic(out: &mut String, file: &CheckedFile, diagnostic: &Diagnostic, style: &Style) {
    let start = file.position(diagnostic.range.start(), ColumnUnit::Characters);
    let severity_style = severity_style(diagnostic.severity);
    let _ = writeln!(
        out,
        "{}:{}:{}: {} {}",
        style.paint(&sanitize(&file.display_path()), BOLD),
        start.line + 1,
        start.column + 1,
        style.paint(
            &format!("{}[{}]", diagnostic.severity.as_str(), diagnostic.code),
            severity_style
        ),
        sanitize(&diagnostic.message)
    );

    let rows = snippet_rows(file, diagnostic);
    let gutter_width = rows
        .iter()
        .filter_map(|row| match row {
            SnippetRow::Line { number, .. } => Some(number.to_string().len()),
            SnippetRow::Elision => None,
        })
        .max()
        .unwrap_or(1);
    let blank_gutter = " ".repeat(gutter_width);
    let bar = style.paint("|", BLUE_BOLD);
    let _ = writeln!(out, "{blank_gutter} {bar}");
    for row in rows {
        match row {
            SnippetRow::Elision => {
                let _ = writeln!(out, "{}", style.paint("...", BLUE_BOLD));
            }
            SnippetRow::Line {
                number,
                source,
                underline,
            } => {
                let number = style.paint(&format!("{number:>gutter_width$}"), BLUE_BOLD);
                let _ = writeln!(out, "{}", format!("{number} {bar} {source}").trim_end());
                if !underline.is_empty() {
                    let _ = writeln!(
                        out,
                        "{blank_gutter} {bar} {}",
                        style.paint_carets(&underline, severity_style)
                    );
                }
            }
        }
    }
    if let Some(url) = &diagnostic.docs_url {
        let _ = writeln!(
            out,
            "{blank_gutter} {} docs: {}",
            style.paint("=", BLUE_BOLD),
            sanitize(url)
        );
    }
}

enum SnippetRow {
    Line {
        /// 1-based.
        number: usize,
        source: String,
        /// Spaces and carets under `source`; empty when nothing on the line is underlined.
        underline: String,
    },
    Elision,
}

/// The source lines of a diagnostic's range: all of them when there are at most three,
/// otherwise the first, an elision mark and the last.
fn snippet_rows(file: &CheckedFile, diagnostic: &Diagnostic) -> Vec<SnippetRow> {
    let text = file.text.as_str();
    let index = &file.line_index;
    let start = clamp_to_char_boundary(text, diagnostic.range.start());
    let end = clamp_to_char_boundary(text, diagnostic.range.end()).max(start);
    let first_line = index.line_of(start);
    let mut last_line = index.line_of(end);
    // A range that ends right after a line break ends, for the reader, on the line before.
    if last_line > first_line && end == index.line_start(last_line) {
        last_line -= 1;
    }
    // `None` stands for the elided middle lines.
    let lines: Vec<Option<usize>> = if last_line - first_line < 3 {
        (first_line..=last_line).map(Some).collect()
    } else {
        vec![Some(first_line), None, Some(last_line)]
    };
    lines
        .into_iter()
        .map(|line| {
            let Some(line) = line else {
                return SnippetRow::Elision;
            };
            let line_start = index.line_start(line);
            let line_end = index.line_end(text, line).max(line_start);
            let line_text = text.get(line_start..line_end).unwrap_or("");
            let marked = if start == end {
                Marked::Point(start - line_start)
            } else {
                let from = if line == first_line {
                    start - line_start
                } else {
                    line_text.len() - line_text.trim_start().len()
                };
                let to = if line == last_line {
                    end.min(line_end) - line_start
                } else {
                    line_text.len()
                };
                if from < to {
                    Marked::Range(from, to)
                } else if line == first_line {
                    // The range starts at the very end of this line.
                    Marked::Point(from)
                } else {
                    Marked::Nothing
                }
            };
            let (source, underline) = layout_line(line_text, marked);
            SnippetRow::Line {
                number: line + 1,
                source,
                underline,
            }
        })
        .collect()
}

/// What to underline on one source line, in byte offsets into the line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Marked {
    Range(usize, usize),
    /// An empty range: one caret at this offset (possibly the end of the line).
    Point(usize),
    Nothing,
}

/// One character of a source line as it is displayed.
struct Cell {
    byte: usize,
    /// The character to print; a tab is printed as `width` spaces.
    shown: char,
    width: usize,
}

impl Cell {
    fn push_to(&self, out: &mut String) {
        if self.shown == '\t' {
            out.extend(std::iter::repeat_n(' ', self.width));
        } else {
            out.push(self.shown);
        }
    }
}

/// The displayed source line and the underline beneath it.
fn layout_line(line: &str, marked: Marked) -> (String, String) {
    let cells: Vec<Cell> = line
        .char_indices()
        .map(|(byte, ch)| {
            if ch == '\t' {
                return Cell {
                    byte,
                    shown: '\t',
                    width: TAB_WIDTH,
                };
            }
            let shown = visible_char(ch);
            Cell {
                byte,
                shown,
                width: shown.width().unwrap_or(0),
            }
        })
        .collect();

    // Display column of every cell, and of the end of the line.
    let mut columns = Vec::with_capacity(cells.len() + 1);
    let mut column = 0;
    for cell in &cells {
        columns.push(column);
        column += cell.width;
    }
    let total_width = column;
    columns.push(total_width);

    let column_of_byte = |byte: usize| -> usize {
        let cell = cells.partition_point(|cell| cell.byte < byte);
        columns.get(cell).copied().unwrap_or(total_width)
    };
    let marked_columns = match marked {
        Marked::Range(from, to) => Some((
            column_of_byte(from),
            column_of_byte(to).max(column_of_byte(from) + 1),
        )),
        Marked::Point(at) => Some((column_of_byte(at), column_of_byte(at) + 1)),
        Marked::Nothing => None,
    };

    let (window_start, window_end) = if total_width <= MAX_SNIPPET_WIDTH {
        (0, total_width)
    } else {
        let focus = marked_columns.map_or(0, |(from, _)| from);
        let start = focus.saturating_sub(WINDOW_LEAD);
        (start, (start + MAX_SNIPPET_WIDTH).min(total_width))
    };
    let cut_before = window_start > 0;
    let cut_after = window_end < total_width;

    let mut source = String::new();
    let mut shown_from = None;
    let mut shown_to = window_start;
    if cut_before {
        source.push('…');
    }
    for (cell, &column) in cells.iter().zip(&columns) {
        if column >= window_start && column + cell.width <= window_end {
            shown_from.get_or_insert(column);
            cell.push_to(&mut source);
            shown_to = column + cell.width;
        }
    }
    if cut_after {
        source.push('…');
    }
    let shown_from = shown_from.unwrap_or(window_start);

    let underline = match marked_columns {
        None => String::new(),
        Some((from, to)) => {
            // Columns relative to the displayed text; a point at the end of a cut line sits
            // on the trailing ellipsis.
            let offset = usize::from(cut_before);
            let limit = if cut_after {
                shown_to + 1
            } else {
                shown_to.max(to)
            };
            let from = from.clamp(shown_from, limit.max(shown_from));
            let to = to.min(limit).max(from + 1);
            let lead = from - shown_from + offset;
            format!("{}{}", " ".repeat(lead), "^".repeat(to - from))
        }
    };
    (source, underline)
}

/// A character as it may be printed on a terminal: C0 and C1 controls and the invisible
/// bidirectional-override characters are replaced, so a Dockerfile cannot move the cursor,
/// recolour the terminal or reorder what the reader sees.
fn visible_char(ch: char) -> char {
    match ch {
        '\u{0}'..='\u{1f}' => char::from_u32(0x2400 + ch as u32).unwrap_or('\u{fffd}'),
        '\u{7f}' => '\u{2421}',
        '\u{80}'..='\u{9f}'
        | '\u{200e}'
        | '\u{200f}'
        | '\u{202a}'..='\u{202e}'
        | '\u{2066}'..='\u{2069}'
        | '\u{061c}' => '\u{fffd}',
        _ => ch,
    }
}

/// Text from the Dockerfile or a rule message, safe to print on one terminal line.
fn sanitize(text: &str) -> String {
    text.chars()
        .map(|ch| if ch == '\t' { ' ' } else { visible_char(ch) })
        .collect()
}

const BOLD: &str = "1";
const RED_BOLD: &str = "1;31";
const YELLOW_BOLD: &str = "1;33";
const BLUE_BOLD: &str = "1;34";
const CYAN_BOLD: &str = "1;36";
const GREEN_BOLD: &str = "1;32";

fn severity_style(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => RED_BOLD,
        Severity::Warning => YELLOW_BOLD,
        Severity::Info => BLUE_BOLD,
        Severity::Hint => CYAN_BOLD,
    }
}

struct Style {
    color: bool,
}

impl Style {
    fn paint(&self, text: &str, sgr: &str) -> String {
        if self.color && !text.is_empty() {
            format!("\x1b[{sgr}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }

    /// Colours only the carets of an underline, so that no escape codes pad the line end.
    fn paint_carets(&self, underline: &str, sgr: &str) -> String {
        let carets = underline.trim_start();
        let lead = &underline[..underline.len() - carets.len()];
        format!("{lead}{}", self.paint(carets, sgr))
    }
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::super::test_support::diagnostic_on;
    use super::super::{render, OutputFormat};
    use super::*;
    use crate::text::TextRange;

    fn human(path: &str, text: &str, diagnostics: Vec<Diagnostic>) -> String {
        let file = CheckedFile::new(PathBuf::from(path), text.to_string(), diagnostics);
        render(OutputFormat::Human, &[file], &RenderOptions::default())
    }

    #[test]
    fn error_with_caret_and_summary() {
        let text = "FROM mcr.microsoft.com/dotnet/sdk:8.0\nRUN <<EOF\necho hi\n";
        let diagnostic = diagnostic_on(
            text,
            "<<EOF",
            Severity::Error,
            "UnterminatedHeredoc",
            "heredoc `EOF` is never terminated",
        );
        assert_eq!(
            human("app/Dockerfile", text, vec![diagnostic]),
            "\
app/Dockerfile:2:5: error[UnterminatedHeredoc] heredoc `EOF` is never terminated
  |
2 | RUN <<EOF
  |     ^^^^^

Found 1 problem (1 error) in 1 file
"
        );
    }

    #[test]
    fn clean_files_print_only_the_summary() {
        let a = CheckedFile::new(PathBuf::from("a/Dockerfile"), "FROM a\n".into(), vec![]);
        let b = CheckedFile::new(PathBuf::from("b/Dockerfile"), "FROM b\n".into(), vec![]);
        assert_eq!(
            render(OutputFormat::Human, &[a, b], &RenderOptions::default()),
            "All checks passed: 2 Dockerfiles\n"
        );
    }

    #[test]
    fn several_files_severities_and_docs_link() {
        let first = "FROM a AS Build\n";
        let mut casing = diagnostic_on(
            first,
            "Build",
            Severity::Warning,
            "StageNameCasing",
            "Stage name 'Build' should be lowercase",
        );
        casing.docs_url =
            Some("https://docs.docker.com/go/dockerfile/rule/stage-name-casing/".into());
        let second = "FROM b\nMAINTAINER me\nFROOM c\n";
        let unknown = diagnostic_on(
            second,
            "FROOM",
            Severity::Error,
            "UnknownInstruction",
            "unknown instruction: FROOM",
        );
        let maintainer = diagnostic_on(
            second,
            "MAINTAINER me",
            Severity::Info,
            "MaintainerDeprecated",
            "MAINTAINER is deprecated",
        );
        let files = [
            CheckedFile::new(PathBuf::from("a.Dockerfile"), first.into(), vec![casing]),
            CheckedFile::new(
                PathBuf::from("b.Dockerfile"),
                second.into(),
                vec![unknown, maintainer],
            ),
            CheckedFile::new(PathBuf::from("c.Dockerfile"), "FROM c\n".into(), vec![]),
        ];
        assert_eq!(
            render(OutputFormat::Human, &files, &RenderOptions::default()),
            "\
a.Dockerfile:1:11: warning[StageNameCasing] Stage name 'Build' should be lowercase
  |
1 | FROM a AS Build
  |           ^^^^^
  = docs: https://docs.docker.com/go/dockerfile/rule/stage-name-casing/

b.Dockerfile:2:1: info[MaintainerDeprecated] MAINTAINER is deprecated
  |
2 | MAINTAINER me
  | ^^^^^^^^^^^^^

b.Dockerfile:3:1: error[UnknownInstruction] unknown instruction: FROOM
  |
3 | FROOM c
  | ^^^^^

Found 3 problems (1 error, 1 warning, 1 info) in 2 files
"
        );
    }

    #[test]
    fn multi_line_ranges_show_first_and_last_lines() {
        let text = "FROM a\nRUN apt-get update && \\\n    apt-get install -y curl && \\\n    rm -rf /var/lib/apt/lists/* && \\\n    echo done\nUSER app\n";
        let start = text.find("RUN").unwrap();
        let end = text.find("done").unwrap() + "done".len();
        let diagnostic = Diagnostic {
            range: TextRange::new(start, end),
            severity: Severity::Hint,
            code: "Long",
            message: "a long instruction".into(),
            docs_url: None,
            fixable: false,
        };
        assert_eq!(
            human("Dockerfile", text, vec![diagnostic]),
            "\
Dockerfile:2:1: hint[Long] a long instruction
  |
2 | RUN apt-get update && \\
  | ^^^^^^^^^^^^^^^^^^^^^^^
...
5 |     echo done
  |     ^^^^^^^^^

Found 1 problem (1 hint) in 1 file
"
        );

        // Two lines, the range ending right after the first line's break: one line shown.
        let text = "RUN a \\\n  b\n";
        let diagnostic = Diagnostic {
            range: TextRange::new(0, text.find("  b").unwrap()),
            severity: Severity::Warning,
            code: "Two",
            message: "m".into(),
            docs_url: None,
            fixable: false,
        };
        assert_eq!(
            human("Dockerfile", text, vec![diagnostic]),
            "\
Dockerfile:1:1: warning[Two] m
  |
1 | RUN a \\
  | ^^^^^^^

Found 1 problem (1 warning) in 1 file
"
        );
    }

    #[test]
    fn empty_range_at_end_of_file_gets_one_caret() {
        let text = "FROM a\nRUN \\";
        let diagnostic = Diagnostic {
            range: TextRange::empty(text.len()),
            severity: Severity::Error,
            code: "Eof",
            message: "unexpected end of file".into(),
            docs_url: None,
            fixable: false,
        };
        assert_eq!(
            human("Dockerfile", text, vec![diagnostic]),
            "\
Dockerfile:2:6: error[Eof] unexpected end of file
  |
2 | RUN \\
  |      ^

Found 1 problem (1 error) in 1 file
"
        );
    }

    #[test]
    fn tabs_wide_characters_and_control_characters() {
        let text = "LABEL\tk=\"日本\" \u{1b}[31mx=y\u{0}\n";
        let diagnostic = diagnostic_on(
            text,
            "x=y",
            Severity::Warning,
            "Odd",
            "bad \u{1b}[2J value\tand\nnewline",
        );
        assert_eq!(
            human("Dockerfile", text, vec![diagnostic]),
            "\
Dockerfile:1:19: warning[Odd] bad \u{241b}[2J value and\u{240a}newline
  |
1 | LABEL    k=\"日本\" \u{241b}[31mx=y\u{2400}
  |                        ^^^
\nFound 1 problem (1 warning) in 1 file
"
        );
    }

    #[test]
    fn long_lines_are_windowed_around_the_range() {
        let text = format!("RUN echo {}BAD{}\n", "a".repeat(500), "b".repeat(500));
        let diagnostic = diagnostic_on(&text, "BAD", Severity::Error, "Bad", "bad");
        let rendered = human("Dockerfile", &text, vec![diagnostic]);
        let expected_source = format!("…{}BAD{}…", "a".repeat(40), "b".repeat(77));
        let expected = format!(
            "\
Dockerfile:1:510: error[Bad] bad
  |
1 | {expected_source}
  |  {}^^^

Found 1 problem (1 error) in 1 file
",
            " ".repeat(40)
        );
        assert_eq!(rendered, expected);
    }

    #[test]
    fn point_at_the_end_of_a_long_line_stays_visible() {
        let text = format!("RUN {}", "x".repeat(300));
        let diagnostic = Diagnostic {
            range: TextRange::empty(text.len()),
            severity: Severity::Error,
            code: "Eof",
            message: "eof".into(),
            docs_url: None,
            fixable: false,
        };
        let rendered = human("Dockerfile", &text, vec![diagnostic]);
        let lines: Vec<&str> = rendered.lines().collect();
        assert_eq!(lines[2], format!("1 | …{}", "x".repeat(40)));
        assert_eq!(lines[3], format!("  | {}^", " ".repeat(41)));
    }

    #[test]
    fn ranges_beyond_the_text_are_clamped() {
        let text = "FROM a\n";
        let diagnostic = Diagnostic {
            range: TextRange::new(3, 9_999),
            severity: Severity::Error,
            code: "Far",
            message: "far".into(),
            docs_url: None,
            fixable: false,
        };
        assert_eq!(
            human("Dockerfile", text, vec![diagnostic]),
            "\
Dockerfile:1:4: error[Far] far
  |
1 | FROM a
  |    ^^^

Found 1 problem (1 error) in 1 file
"
        );
    }

    #[test]
    fn colours_when_asked() {
        let text = "FROOM a\n";
        let diagnostic = diagnostic_on(
            text,
            "FROOM",
            Severity::Error,
            "UnknownInstruction",
            "unknown",
        );
        let file = CheckedFile::new(PathBuf::from("Dockerfile"), text.into(), vec![diagnostic]);
        let rendered = render(OutputFormat::Human, &[file], &RenderOptions { color: true });
        assert_eq!(
            rendered,
            "\
\u{1b}[1mDockerfile\u{1b}[0m:1:1: \u{1b}[1;31merror[UnknownInstruction]\u{1b}[0m unknown
  \u{1b}[1;34m|\u{1b}[0m
\u{1b}[1;34m1\u{1b}[0m \u{1b}[1;34m|\u{1b}[0m FROOM a
  \u{1b}[1;34m|\u{1b}[0m \u{1b}[1;31m^^^^^\u{1b}[0m

\u{1b}[1mFound 1 problem (1 error) in 1 file\u{1b}[0m
"
        );
    }
}
