//! Small helpers to look at the text around a byte offset.

use crate::syntax::{Instruction, SyntaxTree};
use crate::text::TextRange;

/// The index of the instruction whose range contains `offset` (touching its end counts).
pub(crate) fn instruction_index_at(tree: &SyntaxTree, offset: usize) -> Option<usize> {
    let idx = tree
        .instructions
        .partition_point(|i| i.range.end() < offset);
    tree.instructions
        .get(idx)
        .filter(|i| i.range.contains_inclusive(offset))
        .map(|_| idx)
}

/// Start and end (before the line break) of the line containing `offset`.
pub(crate) fn line_bounds(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let bytes = text.as_bytes();
    let start = bytes[..offset]
        .iter()
        .rposition(|&b| b == b'\n' || b == b'\r')
        .map_or(0, |i| i + 1);
    let end = bytes[offset..]
        .iter()
        .position(|&b| b == b'\n' || b == b'\r')
        .map_or(text.len(), |i| offset + i);
    (start, end)
}

/// The range of the run of characters accepted by `is_word` around `offset`.
pub(crate) fn word_around(text: &str, offset: usize, is_word: impl Fn(char) -> bool) -> TextRange {
    let offset = crate::text::clamp_to_char_boundary(text, offset);
    let start = text[..offset]
        .char_indices()
        .rev()
        .take_while(|&(_, c)| is_word(c))
        .last()
        .map_or(offset, |(i, _)| i);
    let end = text[offset..]
        .char_indices()
        .find(|&(_, c)| !is_word(c))
        .map_or(text.len(), |(i, _)| offset + i);
    TextRange::new(start, end)
}

/// The start of the run of characters accepted by `is_word` that ends at `offset`.
pub(crate) fn word_start_before(
    text: &str,
    offset: usize,
    is_word: impl Fn(char) -> bool,
) -> usize {
    let offset = crate::text::clamp_to_char_boundary(text, offset);
    text[..offset]
        .char_indices()
        .rev()
        .take_while(|&(_, c)| is_word(c))
        .last()
        .map_or(offset, |(i, _)| i)
}

/// The source text of `start..end` as one logical line: continuation characters with their
/// line breaks and the comment lines inside a continuation removed, as BuildKit joins lines.
/// Callers look at the tail of the result, which ends where `end` is in the source.
pub(crate) fn logical_text(text: &str, start: usize, end: usize, escape: char) -> String {
    let end = end.min(text.len());
    let start = start.min(end);
    let slice = &text[start..end];
    let mut out = String::with_capacity(slice.len());
    let lines = slice.split_inclusive('\n');
    let mut first = true;
    for line in lines {
        let body = line.trim_end_matches(['\n', '\r']);
        let has_break = body.len() != line.len();
        if !first && body.trim_start().starts_with('#') && has_break {
            continue;
        }
        first = false;
        if has_break {
            let trimmed = body.trim_end_matches([' ', '\t']);
            match trimmed.strip_suffix(escape) {
                Some(without) => out.push_str(without),
                // A line break without continuation: keep it, callers look at the last line.
                None => {
                    out.push_str(body);
                    out.push('\n');
                }
            }
        } else {
            out.push_str(body);
        }
    }
    out
}

/// Whether `offset` is where an instruction keyword is typed: at the start of a line that is
/// not a continuation, or inside an instruction's keyword.
pub(crate) fn at_keyword_position(tree: &SyntaxTree, text: &str, offset: usize) -> bool {
    let (line_start, _) = line_bounds(text, offset);
    let before = &text[line_start..offset];
    let inst = instruction_index_at(tree, offset).and_then(|i| tree.instructions.get(i));
    if let Some(inst) = inst.filter(|i| i.keyword == crate::syntax::Keyword::Onbuild) {
        // `ONBUILD ‸`: the trigger's keyword.
        let word_start = word_start_before(text, offset, |c| c.is_ascii_alphabetic());
        let keyword_end = inst.keyword_range.end();
        if keyword_end < word_start
            && text[keyword_end..word_start]
                .chars()
                .all(char::is_whitespace)
        {
            return true;
        }
    }
    if !before
        .chars()
        .all(|c| c.is_ascii_alphabetic() || c == ' ' || c == '\t')
    {
        return false;
    }
    if before.trim_start().contains([' ', '\t']) {
        return false;
    }
    match inst {
        Some(inst) => {
            inst.keyword_range.contains_inclusive(offset)
                || trigger_keyword_range(inst).is_some_and(|r| r.contains_inclusive(offset))
        }
        None => true,
    }
}

/// The keyword range of an ONBUILD trigger.
pub(crate) fn trigger_keyword_range(inst: &Instruction) -> Option<TextRange> {
    match &inst.args {
        crate::syntax::Args::OnBuild(inner) => Some(inner.keyword_range),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn logical_text_joins_continuations_and_drops_comment_lines() {
        let text = "RUN a \\\n  # note\n  b \\  \r\n  c";
        assert_eq!(logical_text(text, 4, text.len(), '\\'), "a   b   c");
        assert_eq!(logical_text("x\ny", 0, 3, '\\'), "x\ny");
    }

    #[test]
    fn words_and_lines() {
        let text = "FROM abc AS x\nRUN y";
        assert_eq!(line_bounds(text, 16), (14, 19));
        assert_eq!(
            word_around(text, 6, |c| c.is_alphanumeric()),
            TextRange::new(5, 8)
        );
        assert_eq!(word_start_before(text, 7, |c| c.is_alphanumeric()), 5);
    }
}
