//! Word splitting as BuildKit's line parsers do it, keeping byte offsets.

use std::borrow::Cow;

/// A word of a logical line: its text and its byte offsets in that line. The text is a slice
/// of the line (every splitter here keeps the characters of a word contiguous).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct RawWord<'a> {
    pub text: &'a str,
    pub start: usize,
    pub end: usize,
}

/// BuildKit's `reWhitespace`: `[\t\v\f\r ]+`.
pub(crate) fn is_token_whitespace(c: char) -> bool {
    matches!(c, '\t' | '\u{b}' | '\u{c}' | '\r' | ' ')
}

/// [`is_token_whitespace`] on a byte (the set is ASCII, so a byte of a multi-byte character
/// never matches).
pub(crate) fn is_token_whitespace_byte(b: u8) -> bool {
    matches!(b, b'\t' | 0x0b | 0x0c | b'\r' | b' ')
}

/// `char::is_whitespace` of the character starting at byte `i` of `s`, and its length.
#[inline]
fn whitespace_at(s: &str, i: usize) -> (bool, usize) {
    let b = s.as_bytes()[i];
    if b < 0x80 {
        (matches!(b, b'\t' | b'\n' | 0x0b | 0x0c | b'\r' | b' '), 1)
    } else {
        let c = s[i..].chars().next().unwrap_or('\0');
        (c.is_whitespace(), c.len_utf8())
    }
}

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGH: u64 = 0x8080_8080_8080_8080;

/// The eight bytes at `at` as one word; `None` when fewer remain.
#[inline]
fn word_at(bytes: &[u8], at: usize) -> Option<u64> {
    let chunk = bytes.get(at..at.checked_add(8)?)?;
    let mut word = [0; 8];
    word.copy_from_slice(chunk);
    Some(u64::from_le_bytes(word))
}

/// Whether some byte of `x` is below `n` (`n` at most 0x80).
#[inline]
fn has_less(x: u64, n: u8) -> bool {
    x.wrapping_sub(ONES * u64::from(n)) & !x & HIGH != 0
}

/// Whether some byte of `x` is `b`.
#[inline]
fn has_byte(x: u64, b: u8) -> bool {
    has_less(x ^ (ONES * u64::from(b)), 1)
}

/// From `i`, past whole runs of eight bytes above `' '` (words are long: `mcr.microsoft.com/…`).
/// Where it stops, a byte at most `' '` may follow, or fewer than eight bytes remain.
#[inline]
fn skip_above_space(bytes: &[u8], mut i: usize) -> usize {
    while let Some(x) = word_at(bytes, i) {
        if has_less(x, b' ' + 1) {
            break;
        }
        i += 8;
    }
    i
}

/// From `i`, past whole runs of eight ASCII bytes that [`parse_words`] adds to a word as they
/// are: neither whitespace nor control characters, quotes or `escape`.
#[inline]
pub(crate) fn skip_plain_parse_word_bytes(bytes: &[u8], mut i: usize, escape: u8) -> usize {
    while let Some(x) = word_at(bytes, i) {
        if x & HIGH != 0
            || has_less(x, b' ' + 1)
            || has_byte(x, b'"')
            || has_byte(x, b'\'')
            || has_byte(x, escape)
        {
            break;
        }
        i += 8;
    }
    i
}

/// BuildKit's `parseStringsWhitespaceDelimited`: split on runs of `[\t\v\f\r ]`.
pub(crate) fn split_whitespace_delimited(rest: &str) -> impl Iterator<Item = RawWord<'_>> {
    let bytes = rest.as_bytes();
    let mut i = 0;
    std::iter::from_fn(move || {
        while i < bytes.len() && is_token_whitespace_byte(bytes[i]) {
            i += 1;
        }
        if i == bytes.len() {
            return None;
        }
        let start = i;
        i = skip_above_space(bytes, i);
        while i < bytes.len() && !is_token_whitespace_byte(bytes[i]) {
            i += 1;
        }
        Some(RawWord {
            text: &rest[start..i],
            start,
            end: i,
        })
    })
}

/// BuildKit's `parseWords`: space-separated words where quotes group (and are kept) and
/// the escape character escapes the next character (and is kept). An escape character at
/// the very end of the line is dropped from the last word's text (its `end` still covers it).
/// An iterator, so that callers build their own values without an intermediate list.
pub(crate) fn parse_words(rest: &str, escape: char) -> ParseWords<'_> {
    ParseWords {
        rest,
        escape: escape as u32,
        // A non-ASCII escape never matches a byte; `"` is excluded from plain runs anyway.
        plain_escape: u8::try_from(escape)
            .ok()
            .filter(u8::is_ascii)
            .unwrap_or(b'"'),
        i: 0,
    }
}

/// The iterator of [`parse_words`]; cloning it restarts from the same place.
#[derive(Clone)]
pub(crate) struct ParseWords<'a> {
    rest: &'a str,
    escape: u32,
    /// `escape` as the byte that stops a run of plain bytes.
    plain_escape: u8,
    i: usize,
}

impl<'a> Iterator for ParseWords<'a> {
    type Item = RawWord<'a>;

    fn next(&mut self) -> Option<RawWord<'a>> {
        // Every character of a word is kept in order, so a word's text is the slice from its
        // start to the end of the last kept character. Quotes and the escape are ASCII.
        let rest = self.rest;
        let bytes = rest.as_bytes();
        let escape = self.escape;
        let is_escape = |b: u8| b as u32 == escape;
        let len = bytes.len();
        let mut i = self.i;
        loop {
            // Spaces.
            loop {
                if i >= len {
                    self.i = i;
                    return None;
                }
                let (ws, n) = whitespace_at(rest, i);
                if !ws {
                    break;
                }
                i += n;
            }
            let start = i;
            let mut text_end = i;
            let mut blank_ok = false;
            // Word (and quotes inside it).
            loop {
                let plain_end = skip_plain_parse_word_bytes(bytes, i, self.plain_escape);
                if plain_end > i {
                    i = plain_end;
                    text_end = i;
                }
                if i >= len {
                    break;
                }
                let b = bytes[i];
                if b >= 0x80 {
                    let (ws, n) = whitespace_at(rest, i);
                    if ws {
                        break;
                    }
                    i += n;
                    text_end = i;
                    continue;
                }
                if matches!(b, b'\t' | b'\n' | 0x0b | 0x0c | b'\r' | b' ') {
                    break;
                }
                if b == b'\'' || b == b'"' {
                    blank_ok = true;
                    i += 1;
                    text_end = i;
                    // Quote.
                    loop {
                        if i >= len {
                            break;
                        }
                        let c = bytes[i];
                        if c == b {
                            i += 1;
                            text_end = i;
                            break;
                        }
                        if is_escape(c) && b != b'\'' {
                            let Some(end) = escaped_end(rest, i) else {
                                i += 1;
                                break;
                            };
                            i = end;
                            text_end = end;
                            continue;
                        }
                        i += char_len_at(rest, i);
                        text_end = i;
                    }
                    continue;
                }
                if is_escape(b) {
                    let Some(end) = escaped_end(rest, i) else {
                        i += 1;
                        break;
                    };
                    i = end;
                    text_end = end;
                    continue;
                }
                i += 1;
                text_end = i;
            }
            if blank_ok || text_end > start {
                self.i = i;
                return Some(RawWord {
                    text: &rest[start..text_end],
                    start,
                    end: i,
                });
            }
        }
    }
}

#[inline]
/// Where the character escaped by the escape at `i` ends; `None` for an escape at the very
/// end of the text, which BuildKit drops.
fn escaped_end(s: &str, i: usize) -> Option<usize> {
    let next = i + 1;
    (next < s.len()).then(|| next + char_len_at(s, next))
}

fn char_len_at(s: &str, i: usize) -> usize {
    let b = s.as_bytes()[i];
    if b < 0x80 {
        1
    } else if b >= 0xf0 {
        4
    } else if b >= 0xe0 {
        3
    } else {
        2
    }
}

/// Shell words as BuildKit's lexer splits a line when it looks for heredocs: quotes and
/// escapes are kept raw. Each word goes to `word` as it is read; `false` when a quote is
/// left open (BuildKit then finds no heredoc, so callers drop what they collected).
pub(crate) fn shell_words_raw<'a>(line: &'a str, mut word: impl FnMut(RawWord<'a>)) -> bool {
    let bytes = line.as_bytes();
    let len = bytes.len();
    let mut i = 0;
    let mut current: Option<usize> = None;
    while i < len {
        let (ws, n) = whitespace_at(line, i);
        if ws {
            if let Some(start) = current.take() {
                word(RawWord {
                    text: &line[start..i],
                    start,
                    end: i,
                });
            }
            i += n;
            continue;
        }
        current.get_or_insert(i);
        let ch = bytes[i];
        i += n;
        match ch {
            b'\\' if i < len => i += char_len_at(line, i),
            b'\'' => loop {
                if i >= len {
                    return false;
                }
                let c = bytes[i];
                i += char_len_at(line, i);
                if c == b'\'' {
                    break;
                }
            },
            b'"' => loop {
                if i >= len {
                    return false;
                }
                let c = bytes[i];
                i += char_len_at(line, i);
                if c == b'\\' {
                    if i < len {
                        i += char_len_at(line, i);
                    }
                } else if c == b'"' {
                    break;
                }
            },
            b'$' if bytes.get(i) == Some(&b'{') => {
                let mut depth = 0;
                while i < len {
                    let c = bytes[i];
                    i += char_len_at(line, i);
                    if c == b'{' {
                        depth += 1;
                    } else if c == b'}' {
                        depth -= 1;
                        if depth == 0 {
                            break;
                        }
                    }
                }
            }
            _ => {}
        }
    }
    if let Some(start) = current {
        word(RawWord {
            text: &line[start..],
            start,
            end: len,
        });
    }
    true
}

/// A word with shell quoting removed: `E"O"F` -> `EOF`. `None` for an open quote.
pub(crate) fn unquote_shell_word(word: &str) -> Option<String> {
    if !word
        .as_bytes()
        .iter()
        .any(|&b| matches!(b, b'\\' | b'\'' | b'"'))
    {
        return Some(word.to_string());
    }
    let mut out = String::with_capacity(word.len());
    let mut chars = word.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                if let Some(n) = chars.next() {
                    out.push(n);
                }
            }
            '\'' => loop {
                match chars.next()? {
                    '\'' => break,
                    x => out.push(x),
                }
            },
            '"' => loop {
                match chars.next()? {
                    '"' => break,
                    '\\' => {
                        if let Some(n) = chars.next() {
                            out.push(n);
                        }
                    }
                    x => out.push(x),
                }
            },
            _ => out.push(c),
        }
    }
    Some(out)
}

/// Splits a shell command into words for analysis (`dotnet publish -c Release`): quotes are
/// removed, escapes applied; operators such as `&&`, `;` and `|` become words of their own.
pub fn split_shell_words(command: &str) -> Vec<String> {
    let mut out = Vec::new();
    shell_command_words(command, |w, _, _| out.push(w.into_owned()));
    out
}

/// Like [`split_shell_words`], with each word's byte offsets in `command`.
pub fn split_shell_words_with_offsets(command: &str) -> Vec<(String, usize, usize)> {
    let mut out = Vec::new();
    shell_command_words(command, |w, s, e| out.push((w.into_owned(), s, e)));
    out
}

/// The words of [`split_shell_words_with_offsets`], borrowed from `command` where they are
/// written without quotes or escapes.
pub(crate) fn split_shell_words_borrowed(command: &str) -> Vec<(Cow<'_, str>, usize, usize)> {
    let mut out = Vec::with_capacity(command.len() / 8 + 4);
    shell_command_words(command, |w, s, e| out.push((w, s, e)));
    out
}

/// The word being read by [`shell_command_words`]: a slice of the command while its text
/// reads as written there (`apt-get`, or the inside of `"src/App.csproj"`), a copy once quotes
/// or escapes make it differ.
struct PendingWord {
    start: usize,
    text: PendingText,
}

enum PendingText {
    Source(std::ops::Range<usize>),
    Owned(String),
}

impl PendingWord {
    fn new(start: usize) -> Self {
        PendingWord {
            start,
            text: PendingText::Source(start..start),
        }
    }

    /// Appends `command[from..to]`.
    fn push(&mut self, command: &str, from: usize, to: usize) {
        if from >= to {
            return;
        }
        match &mut self.text {
            PendingText::Source(range) if range.start == range.end => *range = from..to,
            PendingText::Source(range) if range.end == from => range.end = to,
            PendingText::Source(range) => {
                let before = &command[range.clone()];
                let mut owned = String::with_capacity(before.len() + (to - from));
                owned.push_str(before);
                owned.push_str(&command[from..to]);
                self.text = PendingText::Owned(owned);
            }
            PendingText::Owned(text) => text.push_str(&command[from..to]),
        }
    }
}

/// An ASCII byte that [`shell_command_words`] adds to a word as it is.
#[inline]
fn is_plain_word_byte(b: u8) -> bool {
    PLAIN_WORD_BYTES[b as usize]
}

/// [`is_plain_word_byte`] as a table: one load per byte in the scanning loop.
static PLAIN_WORD_BYTES: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 0x80 {
        table[b] = !matches!(
            b as u8,
            b'\n' | b'\t' | 0x0b | 0x0c | b'\r' | b' ' | b'&' | b'|' | b';' | b'\\' | b'\'' | b'"'
        );
        b += 1;
    }
    table
};

fn shell_command_words<'a>(command: &'a str, mut emit: impl FnMut(Cow<'a, str>, usize, usize)) {
    let bytes = command.as_bytes();
    let len = bytes.len();
    let mut current: Option<PendingWord> = None;
    // A macro, not a closure taking `&mut dyn FnMut`: `emit` stays a direct, inlined call.
    macro_rules! flush {
        ($end:expr) => {
            if let Some(w) = current.take() {
                let end = $end;
                let text = match w.text {
                    PendingText::Owned(s) => Cow::Owned(s),
                    PendingText::Source(range) => Cow::Borrowed(&command[range]),
                };
                emit(text, w.start, end);
            }
        };
    }
    let mut i = 0;
    while i < len {
        let b = bytes[i];
        match b {
            b'\n' => {
                flush!(i);
                emit(Cow::Borrowed(";"), i, i + 1);
                i += 1;
            }
            b'\t' | 0x0b | 0x0c | b'\r' | b' ' => {
                flush!(i);
                i += 1;
                // Continuation lines leave long runs of indentation.
                while i < len && matches!(bytes[i], b'\t' | 0x0b | 0x0c | b'\r' | b' ') {
                    i += 1;
                }
            }
            b'&' | b'|' | b';' => {
                flush!(i);
                let doubled = b != b';' && bytes.get(i + 1) == Some(&b);
                let n = if doubled { 2 } else { 1 };
                emit(Cow::Borrowed(&command[i..i + n]), i, i + n);
                i += n;
            }
            b'\\' => {
                let w = current.get_or_insert(PendingWord::new(i));
                i += 1;
                if i < len {
                    let n = char_len_at(command, i);
                    if bytes[i] != b'\n' {
                        w.push(command, i, i + n);
                    }
                    i += n;
                }
            }
            b'\'' => {
                let w = current.get_or_insert(PendingWord::new(i));
                i += 1;
                let close = memchr::memchr(b'\'', &bytes[i..]).map_or(len, |p| i + p);
                w.push(command, i, close);
                i = (close + 1).min(len);
            }
            b'"' => {
                let w = current.get_or_insert(PendingWord::new(i));
                i += 1;
                // The runs between escapes at once (`"` and `\` are ASCII, so every run ends
                // on a character boundary).
                while i < len {
                    let Some(p) = memchr::memchr2(b'"', b'\\', &bytes[i..]) else {
                        w.push(command, i, len);
                        i = len;
                        break;
                    };
                    let at = i + p;
                    w.push(command, i, at);
                    i = at + 1;
                    if bytes[at] == b'"' {
                        break;
                    }
                    if i < len {
                        let n = char_len_at(command, i);
                        w.push(command, i, i + n);
                        i += n;
                    }
                }
            }
            _ if b < 0x80 => {
                // A run of plain ASCII characters.
                let run_end = bytes[i..]
                    .iter()
                    .position(|&c| !is_plain_word_byte(c))
                    .map_or(len, |p| i + p);
                current
                    .get_or_insert(PendingWord::new(i))
                    .push(command, i, run_end);
                i = run_end;
            }
            _ => {
                let (ws, n) = whitespace_at(command, i);
                if ws {
                    flush!(i);
                } else {
                    current
                        .get_or_insert(PendingWord::new(i))
                        .push(command, i, i + n);
                }
                i += n;
            }
        }
    }
    flush!(len);
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn bytes_near_the_edges() -> impl Strategy<Value = Vec<u8>> {
        proptest::collection::vec(
            prop_oneof![
                Just(b' '),
                Just(b'!'),
                Just(b'\t'),
                Just(b'"'),
                Just(b'\''),
                Just(b'\\'),
                Just(b'`'),
                Just(0x7f_u8),
                Just(0x80_u8),
                Just(0x1f_u8),
                b'a'..=b'z',
                any::<u8>(),
            ],
            0..40,
        )
    }

    proptest! {
        /// The skips pass only bytes that the byte loops after them would pass too, and
        /// pass whole runs of eight such bytes.
        #[test]
        fn skips_pass_exactly_the_plain_runs(bytes in bytes_near_the_edges(), from in 0usize..40) {
            let from = from.min(bytes.len());
            let above_space = |b: u8| b > b' ';
            let to = skip_above_space(&bytes, from);
            prop_assert!(bytes[from..to].iter().all(|&b| above_space(b)));
            prop_assert!(to + 8 > bytes.len() || !bytes[to..to + 8].iter().all(|&b| above_space(b)));
            for escape in [b'\\', b'`', b'"'] {
                let plain = |b: u8| b > b' ' && b < 0x80 && b != b'"' && b != b'\'' && b != escape;
                let to = skip_plain_parse_word_bytes(&bytes, from, escape);
                prop_assert!(bytes[from..to].iter().all(|&b| plain(b)));
                prop_assert!(to + 8 > bytes.len() || !bytes[to..to + 8].iter().all(|&b| plain(b)));
            }
        }
    }

    fn texts<'a>(words: impl IntoIterator<Item = RawWord<'a>>) -> Vec<&'a str> {
        words.into_iter().map(|w| w.text).collect()
    }

    #[test]
    fn parse_words_keeps_quotes_and_escapes() {
        assert_eq!(
            texts(parse_words(r#"A=1 B="2 3" C=a\ b"#, '\\')),
            vec!["A=1", "B=\"2 3\"", "C=a\\ b"]
        );
        assert_eq!(texts(parse_words("X='' ", '\\')), vec!["X=''"]);
    }

    #[test]
    fn shell_words_find_heredocs() {
        let mut words = Vec::new();
        assert!(shell_words_raw(r#"RUN cat <<EOF > "a b""#, |w| words.push(w)));
        assert_eq!(texts(words), vec!["RUN", "cat", "<<EOF", ">", "\"a b\""]);
        assert!(!shell_words_raw("RUN echo \"open", |_| {}));
        assert_eq!(unquote_shell_word("E\"O\"F").as_deref(), Some("EOF"));
    }

    #[test]
    fn shell_command_words_unquote_and_borrow_what_reads_as_written() {
        let cases: &[(&str, &[&str])] = &[
            (r#""a b"c"#, &["a bc"]),
            (r#"x"a"'b'\ c"#, &["xab c"]),
            (r#""" ''"#, &["", ""]),
            ("\\\nab", &["ab"]),
            ("a\\\nb", &["ab"]),
            (r#""a\"b" 'c"#, &["a\"b", "c"]),
            ("\"open", &["open"]),
            ("é\"ü\" \u{a0}x", &["éü", "x"]),
            (
                "a;b&&c|d\ne",
                &["a", ";", "b", "&&", "c", "|", "d", ";", "e"],
            ),
            ("''ab ''", &["ab", ""]),
            ("x\\", &["x"]),
        ];
        for (command, expected) in cases {
            assert_eq!(split_shell_words(command), *expected, "{command:?}");
        }
        let words = split_shell_words_borrowed(r#"dotnet restore "src/A.csproj" 'x' a"b""#);
        let borrowed: Vec<bool> = words
            .iter()
            .map(|(w, _, _)| matches!(w, Cow::Borrowed(_)))
            .collect();
        assert_eq!(borrowed, [true, true, true, true, false]);
        assert_eq!((words[2].1, words[2].2), (15, 29));
    }

    #[test]
    fn shell_command_words() {
        assert_eq!(
            split_shell_words(r#"dotnet restore "src/My App.csproj"&&dotnet publish -c Release"#),
            vec![
                "dotnet",
                "restore",
                "src/My App.csproj",
                "&&",
                "dotnet",
                "publish",
                "-c",
                "Release"
            ]
        );
    }
}
