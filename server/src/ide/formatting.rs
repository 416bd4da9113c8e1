//! Formatting that users can leave on at save: it only normalises what nobody writes on
//! purpose, and leaves hand-made layout alone.
//!
//! - Instruction keywords (and `AS`, HEALTHCHECK `CMD`/`NONE`) are upper-cased.
//! - Indentation before an instruction and before comment lines between instructions goes.
//! - Continuation lines that are not indented at all get one indentation unit; a block that
//!   is already indented (hand-aligned `&& \` chains included) is left exactly as written, and
//!   the relative alignment of its lines is always kept.
//! - Trailing whitespace goes, and the file ends with exactly one line break.
//! - Heredoc bodies and their terminators are never touched.
//!
//! Every result is checked: the formatted text is parsed again and its instructions (keyword,
//! flags, argument values, heredocs) compared with the original; the edits of an instruction
//! whose meaning would change are dropped. Edits are minimal: only changed ranges.

use crate::analysis::Analysis;
use crate::ide::{apply_edits, TextEdit};
use crate::syntax::{parse, Args, Instruction, Keyword, SyntaxTree};
use crate::text::TextRange;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FormatOptions {
    /// Width of one indentation unit in spaces.
    pub tab_size: u32,
    /// Indent with spaces (else with one tab).
    pub insert_spaces: bool,
}

impl Default for FormatOptions {
    fn default() -> Self {
        FormatOptions {
            tab_size: 4,
            insert_spaces: true,
        }
    }
}

impl FormatOptions {
    fn unit(&self) -> String {
        if self.insert_spaces {
            " ".repeat(self.tab_size.clamp(1, 16) as usize)
        } else {
            "\t".to_string()
        }
    }
}

/// Edits that format the whole document.
pub fn format_document(analysis: &Analysis, options: &FormatOptions) -> Vec<TextEdit> {
    let edits = candidate_edits(analysis, options);
    verified(analysis, edits)
}

/// Edits that format the instructions touching `range` (whole instructions, so that a
/// continuation block keeps its alignment) and the other lines inside it.
pub fn format_range(
    analysis: &Analysis,
    range: TextRange,
    options: &FormatOptions,
) -> Vec<TextEdit> {
    let (text, index) = (analysis.text.as_str(), &analysis.line_index);
    let first_line = index.line_of(range.start());
    let last_line = index.line_of(range.end());
    let line_span = TextRange::new(
        index.line_start(first_line),
        index.line_end(text, last_line),
    );
    let touched: Vec<TextRange> = analysis
        .tree
        .instructions
        .iter()
        .map(|i| i.range)
        .filter(|r| r.start() <= line_span.end() && line_span.start() <= r.end())
        .collect();
    let keep = |e: &TextEdit| {
        let in_touched = touched
            .iter()
            .any(|r| r.start() <= e.range.start() && e.range.end() <= r.end());
        let in_some_instruction = analysis
            .tree
            .instructions
            .iter()
            .any(|i| i.range.start() <= e.range.start() && e.range.end() <= i.range.end());
        in_touched
            || (!in_some_instruction
                && line_span.start() <= e.range.start()
                && e.range.start() <= line_span.end())
            || (e.range.end() == text.len()
                && line_span.end() >= index.line_start(index.line_count() - 1))
    };
    let edits: Vec<TextEdit> = candidate_edits(analysis, options)
        .into_iter()
        .filter(keep)
        .collect();
    verified(analysis, edits)
}

/// Formatting after typing: a line break after a continuation, or the escape character at
/// the end of a line, indents the continuation line. `offset` is just after the typed
/// character.
pub fn format_on_type(
    analysis: &Analysis,
    offset: usize,
    typed: char,
    options: &FormatOptions,
) -> Vec<TextEdit> {
    let (text, tree, index) = (analysis.text.as_str(), &analysis.tree, &analysis.line_index);
    let escape = tree.escape;
    let offset = crate::text::clamp_to_char_boundary(text, offset);
    let line = index.line_of(offset);
    let (continued_line, target_line) = match typed {
        '\n' | '\r' if line > 0 => (line - 1, line),
        c if c == escape => {
            let rest = &text[offset..index.line_end(text, line).max(offset)];
            if !rest.trim().is_empty() || line + 1 >= index.line_count() {
                return Vec::new();
            }
            (line, line + 1)
        }
        _ => return Vec::new(),
    };
    let prev_start = index.line_start(continued_line);
    let prev_text = &text[prev_start..index.line_end(text, continued_line)];
    if !prev_text.trim_end_matches([' ', '\t']).ends_with(escape)
        || prev_text.trim_start().starts_with('#')
    {
        return Vec::new();
    }
    let Some(inst) = tree
        .instructions
        .iter()
        .find(|i| i.range.start() <= prev_start + prev_text.len() && prev_start <= i.range.end())
    else {
        return Vec::new();
    };
    let in_body = inst
        .effective()
        .heredocs
        .iter()
        .any(|h| h.body_range.contains(prev_start));
    if in_body {
        return Vec::new();
    }
    let target_start = index.line_start(target_line);
    let target_text = &text[target_start..index.line_end(text, target_line)];
    let current_indent = indentation(target_text);
    let wanted = if continued_line as u32 == inst.start_line {
        options.unit()
    } else {
        indentation(prev_text).to_string()
    };
    if typed == escape && !current_indent.is_empty() {
        // The user already indented the next line.
        return Vec::new();
    }
    if current_indent == wanted {
        return Vec::new();
    }
    vec![TextEdit::replace(
        TextRange::new(target_start, target_start + current_indent.len()),
        wanted,
    )]
}

fn indentation(line: &str) -> &str {
    &line[..line.len() - line.trim_start_matches([' ', '\t']).len()]
}

/// Ranges that formatting never touches: heredoc bodies with their terminator lines.
fn protected_ranges(tree: &SyntaxTree) -> Vec<TextRange> {
    let mut out = Vec::new();
    for inst in &tree.instructions {
        for h in &inst.effective().heredocs {
            let end = h.terminator_range.map_or(h.body_range.end(), |t| t.end());
            out.push(TextRange::new(
                h.body_range.start(),
                end.max(h.body_range.start()),
            ));
        }
    }
    out
}

fn candidate_edits(analysis: &Analysis, options: &FormatOptions) -> Vec<TextEdit> {
    let (text, tree, index) = (analysis.text.as_str(), &analysis.tree, &analysis.line_index);
    if text.is_empty() {
        return Vec::new();
    }
    let protected = protected_ranges(tree);
    let is_protected = |offset: usize| {
        protected
            .iter()
            .any(|r| r.start() <= offset && offset < r.end().max(r.start() + 1))
    };
    let unterminated_at_end = tree.instructions.last().is_some_and(|i| {
        i.effective()
            .heredocs
            .iter()
            .any(|h| h.terminator_range.is_none())
    });
    let mut edits = Vec::new();

    // Keywords.
    for inst in &tree.instructions {
        keyword_edits(text, inst, &mut edits);
        if let Args::OnBuild(inner) = &inst.args {
            keyword_edits(text, inner, &mut edits);
        }
    }

    // Indentation: instructions' first lines, comments between instructions, continuation
    // blocks.
    let mut continuation_lines = vec![false; index.line_count()];
    for inst in &tree.instructions {
        let line_start = index.line_start(inst.start_line as usize);
        let content_start = if inst.start_line == 0 && text.starts_with('\u{feff}') {
            line_start + '\u{feff}'.len_utf8()
        } else {
            line_start
        };
        if content_start < inst.keyword_range.start()
            && text[content_start..inst.keyword_range.start()]
                .trim()
                .is_empty()
        {
            edits.push(TextEdit::delete(TextRange::new(
                content_start,
                inst.keyword_range.start(),
            )));
        }
        let header_end = inst
            .effective()
            .heredocs
            .first()
            .map_or(inst.end_line as usize, |h| {
                index.line_of(h.body_range.start()).saturating_sub(1)
            });
        let lines: Vec<usize> =
            ((inst.start_line as usize + 1)..=header_end.min(index.line_count() - 1)).collect();
        for &l in &lines {
            continuation_lines[l] = true;
        }
        let non_empty: Vec<(usize, &str)> = lines
            .iter()
            .map(|&l| (l, &text[index.line_start(l)..index.line_end(text, l)]))
            .filter(|(_, t)| !t.trim().is_empty())
            .collect();
        let needs_indent =
            !non_empty.is_empty() && non_empty.iter().any(|(_, t)| indentation(t).is_empty());
        if needs_indent {
            for (l, _) in non_empty {
                edits.push(TextEdit::insert(index.line_start(l), options.unit()));
            }
        }
    }
    for comment in &tree.comments {
        let line = index.line_of(comment.start());
        if continuation_lines.get(line).copied().unwrap_or(false) || is_protected(comment.start()) {
            continue;
        }
        let line_start = index.line_start(line);
        if line_start < comment.start() {
            edits.push(TextEdit::delete(TextRange::new(
                line_start,
                comment.start(),
            )));
        }
    }

    // Trailing whitespace, and the end of the file.
    let content_end = text.trim_end_matches(['\n', '\r', ' ', '\t']).len();
    for line in 0..index.line_count() {
        let start = index.line_start(line);
        let end = index.line_end(text, line);
        if is_protected(start) {
            continue;
        }
        let body = &text[start..end];
        let kept = body.trim_end_matches([' ', '\t']).len();
        if kept < body.len() && (start + kept < content_end || unterminated_at_end) {
            edits.push(TextEdit::delete(TextRange::new(start + kept, end)));
        }
    }
    if !unterminated_at_end {
        let newline = if text.contains("\r\n") { "\r\n" } else { "\n" };
        if &text[content_end..] != newline {
            edits.push(TextEdit::replace(
                TextRange::new(content_end, text.len()),
                newline,
            ));
        }
    }
    normalize(edits)
}

fn keyword_edits(text: &str, inst: &Instruction, edits: &mut Vec<TextEdit>) {
    let mut upper = |range: TextRange| {
        if let Some(src) = text.get(range.as_range()) {
            let wanted = src.to_ascii_uppercase();
            if wanted != src {
                edits.push(TextEdit::replace(range, wanted));
            }
        }
    };
    if inst.keyword != Keyword::Unknown {
        upper(inst.keyword_range);
    }
    match &inst.args {
        Args::Words(words) if inst.keyword == Keyword::From => {
            if let Some(as_kw) = words
                .get(1)
                .filter(|w| w.text.eq_ignore_ascii_case("as") && words.len() == 3)
            {
                upper(as_kw.range);
            }
        }
        Args::Healthcheck { kind, .. }
            if matches!(kind.text.to_ascii_uppercase().as_str(), "CMD" | "NONE") =>
        {
            upper(kind.range)
        }
        _ => {}
    }
}

/// Sorted, without duplicates; when an insertion and a deletion start at the same offset,
/// they are merged into one replacement so that no two edits overlap.
fn normalize(mut edits: Vec<TextEdit>) -> Vec<TextEdit> {
    edits.sort_by_key(|e| (e.range.start, e.range.end));
    edits.dedup();
    let mut out: Vec<TextEdit> = Vec::with_capacity(edits.len());
    for e in edits {
        if let Some(last) = out.last_mut() {
            if last.range.start == e.range.start && last.range.is_empty() {
                // An insertion followed by a deletion at the same place.
                last.range = e.range;
                last.new_text.push_str(&e.new_text);
                continue;
            }
            if e.range.start < last.range.end {
                continue;
            }
        }
        out.push(e);
    }
    out
}

/// What an instruction means to BuildKit, without positions.
fn meaning(inst: &Instruction) -> String {
    let flags: Vec<(String, Option<&str>)> = inst
        .flags
        .iter()
        .map(|f| (f.name.clone(), f.value.as_ref().map(|v| v.text.as_str())))
        .collect();
    let heredocs: Vec<(&str, &str, bool, bool)> = inst
        .heredocs
        .iter()
        .map(|h| (h.name.as_str(), h.content.as_str(), h.chomp, h.expand))
        .collect();
    let args = match &inst.args {
        Args::OnBuild(inner) => meaning(inner),
        // `AS` may change case: BuildKit reads it case-insensitively.
        Args::Words(words) if inst.keyword == Keyword::From => {
            let words: Vec<String> = words
                .iter()
                .enumerate()
                .map(|(i, w)| {
                    if i == 1 {
                        w.text.as_str().to_ascii_uppercase()
                    } else {
                        w.text.to_string()
                    }
                })
                .collect();
            format!("{words:?}")
        }
        other => format!("{:?}", strip_ranges(other)),
    };
    format!("{:?} {flags:?} {args} {heredocs:?}", inst.keyword)
}

/// The argument values of `Args`, without source ranges.
fn strip_ranges(args: &Args) -> Vec<String> {
    match args {
        Args::Empty => vec![],
        Args::Exec { elements, .. } => elements
            .iter()
            .map(|w| format!("exec:{}", w.text))
            .collect(),
        Args::Shell(w) => vec![format!("shell:{}", shell_words(&w.text))],
        Args::String(w) => vec![format!("string:{}", w.text)],
        Args::Words(words) => words.iter().map(|w| w.text.to_string()).collect(),
        Args::KeyValues { pairs, legacy } => pairs
            .iter()
            .map(|p| {
                format!(
                    "{legacy}:{}={:?}",
                    p.key.text,
                    p.value.as_ref().map(|v| &v.text)
                )
            })
            .collect(),
        Args::Healthcheck { kind, command } => {
            let mut v = vec![kind.text.as_str().to_ascii_uppercase()];
            v.extend(strip_ranges(command));
            v
        }
        Args::OnBuild(inner) => vec![meaning(inner)],
    }
}

/// A shell command with runs of unquoted whitespace collapsed: the shell splits words on
/// them, so their length does not matter (indenting a continuation line adds some).
fn shell_words(command: &str) -> String {
    let mut out = String::with_capacity(command.len());
    let mut quote: Option<char> = None;
    let mut pending_space = false;
    let mut chars = command.chars();
    while let Some(c) = chars.next() {
        match quote {
            Some(q) => {
                out.push(c);
                if c == '\\' && q == '"' {
                    if let Some(n) = chars.next() {
                        out.push(n);
                    }
                } else if c == q {
                    quote = None;
                }
            }
            None if c.is_whitespace() => pending_space = !out.is_empty(),
            None => {
                if pending_space {
                    out.push(' ');
                    pending_space = false;
                }
                out.push(c);
                if c == '\\' {
                    if let Some(n) = chars.next() {
                        out.push(n);
                    }
                } else if c == '\'' || c == '"' {
                    quote = Some(c);
                }
            }
        }
    }
    out
}

/// The meaning of every instruction.
pub(crate) fn meanings(tree: &SyntaxTree) -> Vec<String> {
    tree.instructions.iter().map(meaning).collect()
}

fn directives_of(tree: &SyntaxTree) -> Vec<(String, String)> {
    tree.directives
        .iter()
        .map(|d| (d.name.clone(), d.value.clone()))
        .collect()
}

/// Drops the edits of every instruction whose meaning they would change.
fn verified(analysis: &Analysis, mut edits: Vec<TextEdit>) -> Vec<TextEdit> {
    let tree = &analysis.tree;
    let before = meanings(tree);
    let before_directives = directives_of(tree);
    for round in 0..4 {
        if edits.is_empty() {
            return edits;
        }
        let formatted = apply_edits(&analysis.text, &edits);
        let after_tree = parse(&formatted);
        let after = meanings(&after_tree);
        if after_tree.escape != tree.escape
            || directives_of(&after_tree) != before_directives
            || after.len() != before.len()
        {
            return Vec::new();
        }
        let changed: Vec<TextRange> = before
            .iter()
            .zip(&after)
            .enumerate()
            .filter(|(_, (b, a))| b != a)
            .filter_map(|(i, _)| tree.instructions.get(i).map(|inst| inst.range))
            .collect();
        if changed.is_empty() {
            return edits;
        }
        // First drop only the indentation of those instructions' continuation lines (what
        // can change a quoted string), then everything in them.
        let is_indentation = |e: &TextEdit| e.range.is_empty() && e.new_text.trim().is_empty();
        edits.retain(|e| {
            let inside = changed
                .iter()
                .any(|r| e.range.start() <= r.end() && r.start() <= e.range.end());
            !inside || (round == 0 && !is_indentation(e))
        });
    }
    Vec::new()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ide::test_support::analysis;

    fn format(text: &str) -> String {
        let a = analysis(text);
        apply_edits(text, &format_document(&a, &FormatOptions::default()))
    }

    #[test]
    fn normalises_what_nobody_writes_on_purpose() {
        let text = "  from mcr.microsoft.com/dotnet/sdk:9.0 as build   \n   # comment  \nrun dotnet restore \\\n-a $TARGETARCH \\\n  -r linux-x64\n\n\n  \nhealthcheck cmd curl -f http://localhost/\nonbuild run echo\n\n";
        assert_eq!(
            format(text),
            "FROM mcr.microsoft.com/dotnet/sdk:9.0 AS build\n# comment\nRUN dotnet restore \\\n    -a $TARGETARCH \\\n      -r linux-x64\n\n\n\nHEALTHCHECK CMD curl -f http://localhost/\nONBUILD RUN echo\n"
        );
    }

    #[test]
    fn hand_aligned_chains_and_heredocs_are_left_alone() {
        let text = "FROM debian\nRUN apt-get update \\\n && apt-get install -y \\\n        curl \\\n        git \\\n && rm -rf /var/lib/apt/lists/*\nRUN dotnet publish src/Api.csproj \\\n               -c Release \\\n               -o /app\nRUN <<EOF   \n  set -e   \n\techo \"x\"  \nEOF\nCOPY <<-EOT /a\n\t  keep  \n\tEOT\n";
        let a = analysis(text);
        let edits = format_document(&a, &FormatOptions::default());
        assert_eq!(
            edits,
            vec![TextEdit::delete(TextRange::new(
                text.find("<<EOF").unwrap() + 5,
                text.find("<<EOF").unwrap() + 8
            ))]
        );
    }

    #[test]
    fn end_of_file_gets_exactly_one_line_break() {
        assert_eq!(format("FROM a"), "FROM a\n");
        assert_eq!(format("FROM a\r\nRUN b  \r\n\r\n"), "FROM a\r\nRUN b\r\n");
        assert_eq!(format("FROM a\n\n\n"), "FROM a\n");
        assert_eq!(format(""), "");
        // An unterminated heredoc runs to the end of the file: its body is left as is.
        assert_eq!(
            format("FROM a\nRUN <<EOF\necho  \n\n"),
            "FROM a\nRUN <<EOF\necho  \n\n"
        );
    }

    #[test]
    fn edits_are_minimal() {
        let text = "FROM a\nrun echo hi\n";
        let a = analysis(text);
        assert_eq!(
            format_document(&a, &FormatOptions::default()),
            vec![TextEdit::replace(TextRange::new(7, 10), "RUN")]
        );
    }

    #[test]
    fn shell_commands_compare_by_words() {
        assert_eq!(
            shell_words("  a   b\t'x  y' \"q  \\\" r\"  c\\  d "),
            "a b 'x  y' \"q  \\\" r\" c\\  d"
        );
        assert_ne!(shell_words("ab"), shell_words("a b"));
    }

    #[test]
    fn tabs_when_asked() {
        let text = "FROM a\nRUN a \\\nb\n";
        let a = analysis(text);
        let options = FormatOptions {
            tab_size: 4,
            insert_spaces: false,
        };
        assert_eq!(
            apply_edits(text, &format_document(&a, &options)),
            "FROM a\nRUN a \\\n\tb\n"
        );
    }

    #[test]
    fn never_changes_meaning_inside_quotes() {
        // Indenting the second line would put spaces inside the quoted value.
        let text = "FROM a\nENV X=\"a \\\nb\"\nRUN echo 'x \\\ny'\nrun true\n";
        assert_eq!(
            format(text),
            "FROM a\nENV X=\"a \\\nb\"\nRUN echo 'x \\\ny'\nRUN true\n"
        );
    }

    #[test]
    fn range_formatting_takes_whole_instructions() {
        let text = "from a\nrun a \\\nb \\\n c\nrun d  \n";
        let a = analysis(text);
        let line2 = text.find("b \\").unwrap();
        let edits = format_range(
            &a,
            TextRange::new(line2, line2 + 1),
            &FormatOptions::default(),
        );
        assert_eq!(
            apply_edits(text, &edits),
            "from a\nRUN a \\\n    b \\\n     c\nrun d  \n"
        );
    }

    #[test]
    fn on_type_indents_continuation_lines() {
        let options = FormatOptions::default();
        // Enter after `\` on the instruction's first line: one unit.
        let text = "FROM a\nRUN a \\\n";
        let a = analysis(text);
        assert_eq!(
            format_on_type(&a, text.len(), '\n', &options),
            vec![TextEdit::insert(text.len(), "    ")]
        );
        // On a later continuation line: the previous line's indentation.
        let text = "FROM a\nRUN a \\\n      && b \\\n";
        let a = analysis(text);
        assert_eq!(
            format_on_type(&a, text.len(), '\n', &options),
            vec![TextEdit::insert(text.len(), "      ")]
        );
        // Typing the escape character at the end of a line indents the next line.
        let text = "FROM a\nRUN a \\\nb\n";
        let a = analysis(text);
        let after_escape = text.find('\\').unwrap() + 1;
        let next = text.find("b\n").unwrap();
        assert_eq!(
            format_on_type(&a, after_escape, '\\', &options),
            vec![TextEdit::insert(next, "    ")]
        );
        // Not in comments, heredocs or without continuation.
        let text = "FROM a\nRUN a\n";
        assert!(format_on_type(&analysis(text), text.len(), '\n', &options).is_empty());
        let text = "FROM a\nRUN <<EOF\nx \\\n";
        assert!(format_on_type(&analysis(text), text.len(), '\n', &options).is_empty());
    }

    /// The instruction list as a test sees it: keyword, flags, argument words (shell commands
    /// by shell words), heredoc names and bodies.
    fn instruction_list(tree: &SyntaxTree) -> Vec<String> {
        fn one(inst: &Instruction) -> String {
            let flags: Vec<String> = inst
                .flags
                .iter()
                .map(|f| format!("{}={:?}", f.name, f.value.as_ref().map(|v| &v.text)))
                .collect();
            let args: Vec<String> = match &inst.args {
                Args::OnBuild(inner) => vec![one(inner)],
                Args::Shell(w) => vec![shell_words(&w.text)],
                Args::Healthcheck { kind, command } => {
                    let mut v = vec![kind.text.as_str().to_ascii_uppercase()];
                    match command.as_ref() {
                        Args::Shell(w) => v.push(shell_words(&w.text)),
                        other => v.push(
                            format!("{other:?}")
                                .split("range")
                                .next()
                                .unwrap_or("")
                                .to_string(),
                        ),
                    }
                    v.extend(inst.arg_words().iter().skip(1).map(|w| w.text.to_string()));
                    v
                }
                _ if inst.keyword == Keyword::From => inst
                    .arg_words()
                    .iter()
                    .map(|w| {
                        if w.text.eq_ignore_ascii_case("as") {
                            "AS".to_string()
                        } else {
                            w.text.to_string()
                        }
                    })
                    .collect(),
                _ => inst
                    .arg_words()
                    .iter()
                    .map(|w| w.text.to_string())
                    .collect(),
            };
            let heredocs: Vec<(&str, &str)> = inst
                .heredocs
                .iter()
                .map(|h| (h.name.as_str(), h.content.as_str()))
                .collect();
            format!("{:?} {flags:?} {args:?} {heredocs:?}", inst.keyword)
        }
        tree.instructions.iter().map(one).collect()
    }

    /// Every Dockerfile of the BuildKit corpus that BuildKit accepts, as written and made
    /// messy (lower-case keywords, continuation indentation removed, trailing spaces): the
    /// formatted file means the same and formatting it again changes nothing.
    #[test]
    fn corpus_keeps_meaning_and_is_idempotent() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/buildkit");
        let mut checked = 0;
        let mut changed_files = 0;
        let entries = std::fs::read_dir(root.join("corpus")).unwrap();
        let mut paths: Vec<_> = entries.map(|e| e.unwrap().path()).collect();
        paths.sort();
        for path in paths {
            let stem = path
                .file_stem()
                .unwrap()
                .to_string_lossy()
                .replace(".Dockerfile", "");
            let expected = root.join("expected").join(format!("{stem}.json"));
            let Ok(json) = std::fs::read_to_string(&expected) else {
                continue;
            };
            let json: serde_json::Value = serde_json::from_str(&json).unwrap();
            if json["ok"] != serde_json::Value::Bool(true) {
                continue;
            }
            let Ok(original) = std::fs::read_to_string(&path) else {
                continue;
            };
            let messy = original
                .lines()
                .map(|l| {
                    let t = l.trim_start();
                    let lowered = match t.split_once(' ') {
                        Some((k, rest)) if Keyword::from_text(k) != Keyword::Unknown => {
                            format!("{} {rest}", k.to_ascii_lowercase())
                        }
                        _ => t.to_string(),
                    };
                    format!("{lowered}  ")
                })
                .collect::<Vec<_>>()
                .join("\n");
            for text in [original.clone(), messy] {
                let a = analysis(&text);
                let edits = format_document(&a, &FormatOptions::default());
                let formatted = apply_edits(&text, &edits);
                assert_eq!(
                    instruction_list(&parse(&formatted)),
                    instruction_list(&a.tree),
                    "{}:\n{formatted}",
                    path.display()
                );
                let again = analysis(&formatted);
                assert_eq!(
                    format_document(&again, &FormatOptions::default()),
                    vec![],
                    "not idempotent: {}\n{formatted}",
                    path.display()
                );
                if !edits.is_empty() {
                    changed_files += 1;
                }
                checked += 1;
            }
        }
        assert!(checked > 800, "{checked}");
        // The messy variants all need formatting.
        assert!(changed_files * 2 > checked, "{changed_files} of {checked}");
    }

    #[test]
    fn idempotent_on_generated_files() {
        let text = crate::bench_support::generated_dockerfile(300)
            .replace("FROM ", "from ")
            .replace("\n    ", "\n");
        let once = format(&text);
        assert_ne!(once, text);
        assert_eq!(format(&once), once);
        assert_eq!(meanings(&parse(&once)), meanings(&parse(&text)));
    }
}
