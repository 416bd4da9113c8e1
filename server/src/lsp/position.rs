//! Every conversion between LSP positions and Dockside's offsets happens here.
//!
//! Incoming edit positions are resolved against the document rope (char indices);
//! outgoing ranges are byte ranges of an [`Analysis`], converted through its
//! [`crate::text::LineIndex`]. Both agree on line breaks: `\n`, `\r\n` and a lone `\r`
//! (ropey's `cr_lines` feature without `unicode_lines`).

use lsp_types::{Position, Range};
use ropey::{Rope, RopeSlice};

use crate::analysis::Analysis;
use crate::text::{Encoding, TextRange};

/// A client position resolved to a char index of the rope.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Resolved {
    pub char_index: usize,
    /// The position lay beyond its line or beyond the document and was moved to the
    /// nearest valid place (the line end, or the document end).
    pub clamped: bool,
}

/// The char index of `pos`. Never panics: a line past the end resolves to the end of the
/// document, a column past the line end to the line end (before its line break), and a
/// column inside a character (UTF-8 continuation byte, UTF-16 low surrogate) to the start
/// of that character.
pub(crate) fn resolve(rope: &Rope, pos: Position, encoding: Encoding) -> Resolved {
    let line = pos.line as usize;
    if line >= rope.len_lines() {
        return Resolved {
            char_index: rope.len_chars(),
            clamped: true,
        };
    }
    let line_start = rope.line_to_char(line);
    let content_end = line_start + content_len_chars(rope.line(line));
    let column = pos.character as usize;
    let (char_index, clamped) = match encoding {
        Encoding::Utf8 => {
            let start = rope.char_to_byte(line_start);
            let end = rope.char_to_byte(content_end);
            let wanted = start.saturating_add(column);
            (rope.byte_to_char(wanted.min(end)), wanted > end)
        }
        Encoding::Utf16 => {
            let start = rope.char_to_utf16_cu(line_start);
            let end = rope.char_to_utf16_cu(content_end);
            let wanted = start.saturating_add(column);
            (rope.utf16_cu_to_char(wanted.min(end)), wanted > end)
        }
    };
    Resolved {
        char_index,
        clamped,
    }
}

/// Length in chars of a rope line without its line break.
fn content_len_chars(line: RopeSlice<'_>) -> usize {
    let mut len = line.len_chars();
    if len > 0 && line.char(len - 1) == '\n' {
        len -= 1;
    }
    if len > 0 && line.char(len - 1) == '\r' {
        len -= 1;
    }
    len
}

pub(crate) fn to_lsp_position(analysis: &Analysis, offset: usize, encoding: Encoding) -> Position {
    let at = analysis
        .line_index
        .line_col(&analysis.text, offset, encoding);
    Position::new(at.line, at.col)
}

pub(crate) fn to_lsp_range(analysis: &Analysis, range: TextRange, encoding: Encoding) -> Range {
    Range::new(
        to_lsp_position(analysis, range.start(), encoding),
        to_lsp_position(analysis, range.end(), encoding),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(rope: &Rope, line: u32, character: u32, encoding: Encoding) -> (usize, bool) {
        let r = resolve(rope, Position::new(line, character), encoding);
        (r.char_index, r.clamped)
    }

    #[test]
    fn columns_count_in_the_negotiated_unit() {
        let rope = Rope::from_str("ab\n日🐳z\r\nend");
        // Line 1 starts at char 3: `日` is char 3, `🐳` char 4, `z` char 5.
        assert_eq!(at(&rope, 1, 2, Encoding::Utf8), (3, false)); // inside 日: rounds down
        assert_eq!(at(&rope, 1, 3, Encoding::Utf8), (4, false));
        assert_eq!(at(&rope, 1, 7, Encoding::Utf8), (5, false));
        assert_eq!(at(&rope, 1, 1, Encoding::Utf16), (4, false));
        assert_eq!(at(&rope, 1, 2, Encoding::Utf16), (4, false)); // inside the surrogate pair
        assert_eq!(at(&rope, 1, 3, Encoding::Utf16), (5, false));
        assert_eq!(at(&rope, 2, 3, Encoding::Utf16), (11, false));
    }

    #[test]
    fn out_of_range_positions_clamp_instead_of_panicking() {
        let rope = Rope::from_str("ab\r\ncd\rx");
        // Past the end of line 0: before its `\r\n`.
        assert_eq!(at(&rope, 0, 99, Encoding::Utf16), (2, true));
        assert_eq!(at(&rope, 0, u32::MAX, Encoding::Utf8), (2, true));
        // A lone `\r` ends line 1.
        assert_eq!(at(&rope, 1, 5, Encoding::Utf8), (6, true));
        assert_eq!(at(&rope, 2, 1, Encoding::Utf8), (8, false));
        assert_eq!(at(&rope, 3, 0, Encoding::Utf8), (8, true));
        assert_eq!(at(&rope, u32::MAX, u32::MAX, Encoding::Utf16), (8, true));
        let empty = Rope::new();
        assert_eq!(at(&empty, 0, 0, Encoding::Utf16), (0, false));
        assert_eq!(at(&empty, 0, 1, Encoding::Utf8), (0, true));
    }

    #[test]
    fn unicode_line_separators_are_not_line_breaks() {
        // LSP only breaks lines at \n, \r\n and \r; U+2028 and U+0085 are ordinary characters.
        let rope = Rope::from_str("a\u{2028}b\u{85}c\nd");
        assert_eq!(rope.len_lines(), 2);
        assert_eq!(at(&rope, 1, 0, Encoding::Utf8), (6, false));
    }
}
