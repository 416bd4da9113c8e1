//! Byte ranges and the conversion between byte offsets and line/column positions.
//!
//! Everything inside Dockside speaks byte offsets into the document text; only the
//! protocol and CLI layers convert to positions, through [`LineIndex`].

/// A half-open byte range `start..end` into a document.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TextRange {
    pub start: u32,
    pub end: u32,
}

impl TextRange {
    pub fn new(start: usize, end: usize) -> Self {
        debug_assert!(start <= end);
        TextRange {
            start: start as u32,
            end: end as u32,
        }
    }
    pub fn empty(at: usize) -> Self {
        Self::new(at, at)
    }
    pub fn start(self) -> usize {
        self.start as usize
    }
    pub fn end(self) -> usize {
        self.end as usize
    }
    pub fn len(self) -> usize {
        (self.end - self.start) as usize
    }
    pub fn is_empty(self) -> bool {
        self.start == self.end
    }
    /// True when `offset` lies inside the range or touches its end (a cursor right after a word).
    pub fn contains_inclusive(self, offset: usize) -> bool {
        self.start() <= offset && offset <= self.end()
    }
    pub fn contains(self, offset: usize) -> bool {
        self.start() <= offset && offset < self.end()
    }
    pub fn cover(self, other: TextRange) -> TextRange {
        TextRange {
            start: self.start.min(other.start),
            end: self.end.max(other.end),
        }
    }
    pub fn as_range(self) -> std::ops::Range<usize> {
        self.start()..self.end()
    }
}

/// Column units of a position: LSP negotiates utf-8 or utf-16; the CLI reports utf-8.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Utf16,
}

/// A zero-based line and column.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct LineCol {
    pub line: u32,
    pub col: u32,
}

/// Line starts of a text, for converting byte offsets to and from positions.
/// Line breaks are `\n`, `\r\n` and a lone `\r`, as in LSP.
#[derive(Clone, Debug)]
pub struct LineIndex {
    line_starts: Vec<u32>,
    len: u32,
    /// One bit per line, set when the line has a character outside ASCII: on the other
    /// lines a UTF-16 column is the byte column, found without reading the line (so that
    /// converting many positions on one very long line stays linear).
    non_ascii_lines: Vec<u64>,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let bytes = text.as_bytes();
        let mut line_starts = Vec::with_capacity(bytes.len() / 32 + 1);
        line_starts.push(0u32);
        for i in memchr::memchr2_iter(b'\n', b'\r', bytes) {
            // `\r\n` counts once, at the `\n`.
            if bytes[i] == b'\r' && bytes.get(i + 1) == Some(&b'\n') {
                continue;
            }
            line_starts.push(i as u32 + 1);
        }
        Self::with_line_starts(text, line_starts)
    }

    /// The index of `text` from line starts found elsewhere (the parser's pass over the
    /// lines): `line_starts` must be what [`LineIndex::new`] would find, or `None`, and then
    /// they are found here.
    pub(crate) fn from_line_starts(text: &str, line_starts: Option<Vec<u32>>) -> Self {
        match line_starts {
            Some(line_starts) => Self::with_line_starts(text, line_starts),
            None => Self::new(text),
        }
    }

    fn with_line_starts(text: &str, line_starts: Vec<u32>) -> Self {
        let bytes = text.as_bytes();
        let mut non_ascii_lines = Vec::new();
        if !bytes.is_ascii() {
            non_ascii_lines = vec![0u64; line_starts.len().div_ceil(64)];
            let ends = line_starts
                .iter()
                .skip(1)
                .copied()
                .chain([bytes.len() as u32]);
            for (line, (start, end)) in line_starts.iter().zip(ends).enumerate() {
                if !bytes[*start as usize..end as usize].is_ascii() {
                    non_ascii_lines[line / 64] |= 1 << (line % 64);
                }
            }
        }
        LineIndex {
            line_starts,
            len: text.len() as u32,
            non_ascii_lines,
        }
    }

    /// Whether `line` holds only ASCII characters.
    fn is_ascii_line(&self, line: usize) -> bool {
        self.non_ascii_lines
            .get(line / 64)
            .is_none_or(|bits| bits & (1 << (line % 64)) == 0)
    }

    /// Whether `line_starts` are this index's (for checks of [`LineIndex::from_line_starts`]).
    pub(crate) fn has_line_starts(&self, line_starts: &[u32]) -> bool {
        self.line_starts == line_starts
    }

    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }

    /// Byte offset where `line` starts (clamped to the end of the text).
    pub fn line_start(&self, line: usize) -> usize {
        self.line_starts.get(line).copied().unwrap_or(self.len) as usize
    }

    /// Byte offset of the end of `line`, before its line break.
    pub fn line_end(&self, text: &str, line: usize) -> usize {
        let next = self.line_starts.get(line + 1).copied().unwrap_or(self.len) as usize;
        let bytes = text.as_bytes();
        let mut end = next.min(bytes.len());
        let start = self.line_start(line);
        if end > start && bytes.get(end - 1) == Some(&b'\n') {
            end -= 1;
        }
        if end > start && bytes.get(end - 1) == Some(&b'\r') {
            end -= 1;
        }
        end
    }

    /// Zero-based line containing `offset` (offsets past the end map to the last line).
    pub fn line_of(&self, offset: usize) -> usize {
        let offset = offset.min(self.len as usize) as u32;
        match self.line_starts.binary_search(&offset) {
            Ok(line) => line,
            Err(next) => next - 1,
        }
    }

    pub fn line_col(&self, text: &str, offset: usize, encoding: Encoding) -> LineCol {
        let offset = clamp_to_char_boundary(text, offset.min(text.len()));
        let line = self.line_of(offset);
        let start = self.line_start(line);
        let col = match encoding {
            Encoding::Utf8 => offset - start,
            Encoding::Utf16 if self.is_ascii_line(line) => offset - start,
            Encoding::Utf16 => text[start..offset].encode_utf16().count(),
        };
        LineCol {
            line: line as u32,
            col: col as u32,
        }
    }

    /// Byte offset of a position; a line past the end clamps to the end of the text, a column
    /// past the end of its line clamps to the line end, and a column inside a character
    /// rounds down to the character's start.
    pub fn offset(&self, text: &str, pos: LineCol, encoding: Encoding) -> usize {
        let line = pos.line as usize;
        if line >= self.line_starts.len() {
            return text.len();
        }
        let start = self.line_start(line);
        let end = self.line_end(text, line);
        let line_text = &text[start..end];
        match encoding {
            Encoding::Utf8 => {
                start + clamp_to_char_boundary(line_text, (pos.col as usize).min(line_text.len()))
            }
            Encoding::Utf16 if self.is_ascii_line(line) => {
                start + (pos.col as usize).min(line_text.len())
            }
            Encoding::Utf16 => {
                let mut units = 0usize;
                for (i, ch) in line_text.char_indices() {
                    let next = units + ch.len_utf16();
                    if next > pos.col as usize {
                        return start + i;
                    }
                    units = next;
                }
                end
            }
        }
    }
}

/// The largest char boundary at or before `offset`.
pub fn clamp_to_char_boundary(text: &str, mut offset: usize) -> usize {
    if offset >= text.len() {
        return text.len();
    }
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// The next position of either of two bytes in a text, carried from one instruction to the
/// next: the text is searched once from a marked instruction to the next occurrence, and an
/// instruction ending before that occurrence needs no search at all (most instructions are
/// shorter than a search call's set-up).
pub(crate) struct NextByte {
    needles: (u8, u8),
    /// `next` is the first occurrence at or after `searched_from`.
    searched_from: usize,
    next: Option<usize>,
}

impl NextByte {
    pub(crate) fn new(a: u8, b: u8) -> NextByte {
        NextByte {
            needles: (a, b),
            searched_from: usize::MAX,
            next: None,
        }
    }

    /// Whether `bytes[range]` holds one of the bytes; `range` must lie inside `bytes`.
    pub(crate) fn within(&mut self, bytes: &[u8], range: std::ops::Range<usize>) -> bool {
        let stale = range.start < self.searched_from || self.next.is_some_and(|n| n < range.start);
        if stale {
            let (a, b) = self.needles;
            self.searched_from = range.start;
            self.next = bytes
                .get(range.start..)
                .and_then(|rest| memchr::memchr2(a, b, rest))
                .map(|p| range.start + p);
        }
        self.next.is_some_and(|n| n < range.end)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_parsers_line_starts_are_the_texts() {
        let texts = [
            "",
            "\n",
            "FROM a",
            "FROM a\n",
            "FROM a\n\n\nRUN b \\\n  c\n# done",
            "\u{feff}FROM a\nLABEL x=\"日本🐳\"\n",
            "RUN <<EOF\nx\nEOF\n\n",
            "FROM a\r\nRUN b\r\n",
            "FROM a\rRUN b",
        ];
        for text in texts {
            let (_, line_starts) = crate::syntax::parse_with_line_starts(text);
            assert_eq!(line_starts.is_some(), !text.contains('\r'), "{text:?}");
            let scanned = LineIndex::new(text);
            if let Some(starts) = &line_starts {
                assert!(scanned.has_line_starts(starts), "{text:?}: {starts:?}");
            }
            let from_parser = LineIndex::from_line_starts(text, line_starts);
            assert_eq!(from_parser.line_starts, scanned.line_starts, "{text:?}");
            assert_eq!(
                from_parser.non_ascii_lines, scanned.non_ascii_lines,
                "{text:?}"
            );
        }
    }

    #[test]
    fn positions_round_trip_in_both_encodings() {
        let text = "FROM a\r\nLABEL x=\"日本🐳\" z\rRUN b\n";
        let index = LineIndex::new(text);
        assert_eq!(index.line_count(), 4);
        let z = text.find(" z").unwrap() + 1;
        assert_eq!(
            index.line_col(text, z, Encoding::Utf8),
            LineCol { line: 1, col: 21 }
        );
        assert_eq!(
            index.line_col(text, z, Encoding::Utf16),
            LineCol { line: 1, col: 15 }
        );
        for enc in [Encoding::Utf8, Encoding::Utf16] {
            let pos = index.line_col(text, z, enc);
            assert_eq!(index.offset(text, pos, enc), z);
        }
        assert_eq!(index.line_of(text.find("RUN").unwrap()), 2);
    }

    #[test]
    fn ascii_and_wide_lines_convert_alike_in_utf16() {
        let text = "FROM a\n\u{1F433}\u{65E5}x y\r\nRUN b c\rLABEL \u{e9}=1\n";
        let index = LineIndex::new(text);
        for (offset, _) in text.char_indices().chain([(text.len(), ' ')]) {
            let line = index.line_of(offset);
            let start = index.line_start(line);
            let expected = text[start..offset.max(start)].encode_utf16().count() as u32;
            let at = index.line_col(text, offset, Encoding::Utf16);
            assert_eq!(at.line as usize, line);
            if offset <= index.line_end(text, line) {
                assert_eq!(at.col, expected, "offset {offset}");
                assert_eq!(index.offset(text, at, Encoding::Utf16), offset);
            }
        }
        assert_eq!(
            index.offset(text, LineCol { line: 2, col: 99 }, Encoding::Utf16),
            text.find("\rLABEL").unwrap()
        );
    }

    #[test]
    fn out_of_range_positions_clamp() {
        let text = "ab\ncd";
        let index = LineIndex::new(text);
        assert_eq!(
            index.offset(text, LineCol { line: 0, col: 99 }, Encoding::Utf16),
            2
        );
        assert_eq!(
            index.offset(text, LineCol { line: 9, col: 0 }, Encoding::Utf8),
            5
        );
        // A UTF-16 column inside a surrogate pair rounds down to the character.
        let text = "🐳x";
        let index = LineIndex::new(text);
        assert_eq!(
            index.offset(text, LineCol { line: 0, col: 1 }, Encoding::Utf16),
            0
        );
    }
}
