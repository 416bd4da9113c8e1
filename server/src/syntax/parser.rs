//! The line-oriented parser. It mirrors BuildKit's `parser.Parse` step by step (directives,
//! continuation lines, heredocs, `splitCommand`, `extractBuilderFlags` and the per-instruction
//! line parsers) and records byte ranges on the way. Where BuildKit gives up on a file, we
//! record a [`SyntaxError`] and go on.

use super::words::{
    is_token_whitespace, is_token_whitespace_byte, parse_words, shell_words_raw,
    skip_plain_parse_word_bytes, split_whitespace_delimited, unquote_shell_word, RawWord,
};
use super::{
    Args, Directive, Flag, Heredoc, Instruction, InstructionKeys, InstructionSink, KeyValue,
    Keyword, KeywordCounts, RestMap, SyntaxError, SyntaxErrorKind, SyntaxTree, TextRange, Word,
};
use crate::text::NextByte;

/// BuildKit's scanner refuses lines longer than this (`bufio.MaxScanTokenSize - 1`).
const MAX_LINE_LEN: usize = 64 * 1024 - 1;

/// Parses a Dockerfile. Never fails: see [`SyntaxTree::errors`].
pub fn parse(text: &str) -> SyntaxTree {
    Parser::new(text).run().0
}

/// [`parse`], plus the start of every line as [`LineIndex`](crate::text::LineIndex) counts
/// them, from the parser's own pass over the lines; `None` when the text has a `\r`, where
/// the two disagree (BuildKit splits lines at `\n` only; LSP also at a lone `\r`).
#[cfg(test)]
pub(crate) fn parse_with_line_starts(text: &str) -> (SyntaxTree, Option<Vec<u32>>) {
    Parser::new(text).run()
}

/// [`parse`], plus the line starts as `parse_with_line_starts` gives them, handing each
/// instruction to `sink` (with its index) as soon as it is read, before it joins the tree:
/// work done per instruction there finds it in cache, which a later pass over a large file's
/// instructions does not.
pub(crate) fn parse_visiting(
    text: &str,
    sink: &mut dyn InstructionSink,
) -> (SyntaxTree, Option<Vec<u32>>) {
    let mut parser = Parser::new(text);
    sink.expect(&parser.estimate);
    parser.sink = Some(sink);
    parser.run()
}

/// Decodes bytes read from disk (invalid UTF-8 is replaced and reported) and parses them.
pub fn parse_bytes(bytes: &[u8]) -> (String, SyntaxTree) {
    let (text, tree, _) = parse_bytes_with_line_starts(bytes);
    (text, tree)
}

/// [`parse_bytes`] with the line starts of [`parse_with_line_starts`].
pub(crate) fn parse_bytes_with_line_starts(bytes: &[u8]) -> (String, SyntaxTree, Option<Vec<u32>>) {
    parse_bytes_visiting(bytes, &mut ())
}

/// [`parse_bytes_with_line_starts`], handing each instruction to `sink` as
/// [`parse_visiting`] does.
pub(crate) fn parse_bytes_visiting(
    bytes: &[u8],
    sink: &mut dyn InstructionSink,
) -> (String, SyntaxTree, Option<Vec<u32>>) {
    match std::str::from_utf8(bytes) {
        Ok(text) => {
            let (tree, line_starts) = parse_visiting(text, sink);
            (text.to_string(), tree, line_starts)
        }
        Err(e) => {
            let text = String::from_utf8_lossy(bytes).into_owned();
            let (mut tree, line_starts) = parse_visiting(&text, sink);
            // Offsets before the first invalid byte are the same in both texts.
            let at = e.valid_up_to();
            let end = crate::text::clamp_to_char_boundary(&text, at + 3).max(at);
            tree.errors.push(SyntaxError {
                range: TextRange::new(at, end.min(text.len())),
                kind: SyntaxErrorKind::InvalidUtf8,
                message: format!(
                    "the file is not valid UTF-8 (first invalid byte at offset {at}); invalid bytes were replaced"
                ),
            });
            (text, tree, line_starts)
        }
    }
}

/// A physical line: `start..end` without the line break; `token` is where its text starts
/// once leading whitespace is trimmed (`end` for a blank line).
#[derive(Clone, Copy)]
struct Line {
    start: usize,
    end: usize,
    token: usize,
}

/// One piece of a logical line: `len` bytes at logical offset `logical` come from source
/// offset `source`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Segment {
    logical: u32,
    source: u32,
    len: u32,
}

impl Segment {
    fn new(logical: usize, source: usize, len: usize) -> Self {
        Segment {
            logical: logical as u32,
            source: source as u32,
            len: len as u32,
        }
    }
}

/// Maps byte offsets of a logical line (continuations removed) back to the source text.
/// Most instructions are one line: one segment, kept inline.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum SegmentMap {
    One(Segment),
    /// The segments in order.
    Many(Box<[Segment]>),
}

impl Default for SegmentMap {
    fn default() -> Self {
        SegmentMap::Many(Box::default())
    }
}

impl SegmentMap {
    fn from_segments(segments: &[Segment]) -> Self {
        match segments {
            [one] => SegmentMap::One(*one),
            many => SegmentMap::Many(many.into()),
        }
    }

    fn segments(&self) -> &[Segment] {
        match self {
            SegmentMap::One(one) => std::slice::from_ref(one),
            SegmentMap::Many(many) => many,
        }
    }

    /// The segment containing logical offset `logical` (the last one starting at or before it).
    fn find(&self, logical: usize) -> Option<&Segment> {
        let segments = self.segments();
        let idx = segments
            .partition_point(|s| s.logical as usize <= logical)
            .saturating_sub(1);
        segments.get(idx)
    }

    /// Source offset of a logical start offset.
    fn start(&self, logical: usize) -> usize {
        match self.find(logical) {
            Some(s) => s.source as usize + (logical - s.logical as usize).min(s.len as usize),
            None => 0,
        }
    }

    /// Source offset of a logical (exclusive) end offset.
    fn end(&self, logical: usize) -> usize {
        if logical == 0 {
            return self.start(0);
        }
        match self.find(logical - 1) {
            Some(s) => s.source as usize + (logical - s.logical as usize).min(s.len as usize),
            None => 0,
        }
    }

    #[inline]
    pub(crate) fn range(&self, start: usize, end: usize) -> TextRange {
        let segments = match self {
            SegmentMap::One(one) => {
                // `one.logical` is 0: both ends clamp to the one segment.
                let len = one.len as usize;
                let source = one.source as usize;
                let s = source + start.min(len);
                let e = (source + end.min(len)).max(s);
                return TextRange::new(s, e);
            }
            SegmentMap::Many(many) => many,
        };
        // Most ranges are words inside one physical line: one search finds the segment of
        // both ends (that of `end - 1`, as `Self::end` looks it up, is the same when the next
        // segment starts after it).
        let idx = segments
            .partition_point(|s| s.logical as usize <= start)
            .saturating_sub(1);
        if let Some(seg) = segments.get(idx) {
            let next_starts_after_end = segments
                .get(idx + 1)
                .is_none_or(|next| next.logical as usize >= end);
            if end > start && next_starts_after_end {
                let logical = seg.logical as usize;
                let source = seg.source as usize;
                let len = seg.len as usize;
                let s = source + (start - logical.min(start)).min(len);
                let e = (source + (end - logical.min(end)).min(len)).max(s);
                return TextRange::new(s, e);
            }
        }
        self.range_by_search(start, end)
    }

    /// [`Self::range`] with a search for each end.
    pub(crate) fn range_by_search(&self, start: usize, end: usize) -> TextRange {
        let s = self.start(start);
        let e = self.end(end).max(s);
        TextRange::new(s, e)
    }
}

struct Parser<'a> {
    text: &'a str,
    /// Given each instruction before it joins the tree (see [`parse_visiting`]).
    sink: Option<&'a mut dyn InstructionSink>,
    /// Counts of the lines starting with the keywords a sink sizes its tables for.
    estimate: KeywordCounts,
    lines: Vec<Line>,
    /// Lines that are neither blank nor comments: an upper bound of the instructions.
    instruction_lines: usize,
    /// Lines longer than BuildKit's scanner accepts.
    long_lines: Vec<Line>,
    escape: char,
    directives_done: bool,
    tree: SyntaxTree,
    /// Reused buffers for the logical line of a continued instruction and its segments.
    logical: String,
    segments: Vec<Segment>,
    /// Where the next `$` or `\\`, and the next quote, stand, for [`InstructionKeys::marks`].
    dollars: NextByte,
    quotes: NextByte,
}

impl<'a> Parser<'a> {
    fn new(text: &'a str) -> Self {
        let bytes = text.as_bytes();
        let mut lines = Vec::with_capacity(bytes.len() / 24 + 1);
        let mut instruction_lines = 0;
        let mut estimate = KeywordCounts::default();
        let mut long_lines = Vec::new();
        // One pass over the lines finds their ends and what `run` needs to know up front.
        let mut start = 0;
        while start < bytes.len() {
            let next =
                memchr::memchr(b'\n', &bytes[start..]).map_or(bytes.len(), |p| start + p + 1);
            // BuildKit's trimNewline: all trailing \r and \n go (the line's only \n is its last
            // byte).
            let mut end = next;
            if bytes[end - 1] == b'\n' {
                end -= 1;
            }
            while end > start && bytes[end - 1] == b'\r' {
                end -= 1;
            }
            // `trim_start` of the line, reading bytes while they are ASCII.
            let mut token = start;
            while token < end && matches!(bytes[token], b' ' | b'\t' | 0x0b | 0x0c | b'\r') {
                token += 1;
            }
            if token < end && bytes[token] >= 0x80 {
                token = end - text[token..end].trim_start().len();
            }
            let line = Line { start, end, token };
            if end - start > MAX_LINE_LEN {
                long_lines.push(line);
            }
            // Neither blank nor a comment: an upper bound of the instructions.
            if token < end && bytes[token] != b'#' {
                instruction_lines += 1;
                if let Some(keyword) = sized_keyword(&bytes[token..end]) {
                    estimate.estimate_line(keyword);
                }
            }
            lines.push(line);
            start = next;
        }
        Parser {
            text,
            sink: None,
            estimate,
            lines,
            instruction_lines,
            long_lines,
            escape: '\\',
            directives_done: false,
            tree: SyntaxTree {
                escape: '\\',
                ..Default::default()
            },
            logical: String::new(),
            segments: Vec::new(),
            dollars: NextByte::new(b'$', b'\\'),
            quotes: NextByte::new(b'"', b'\''),
        }
    }

    fn error(&mut self, range: TextRange, kind: SyntaxErrorKind, message: impl Into<String>) {
        self.tree.errors.push(SyntaxError {
            range,
            kind,
            message: message.into(),
        });
    }

    fn run(mut self) -> (SyntaxTree, Option<Vec<u32>>) {
        self.tree.instructions.reserve(self.instruction_lines);
        self.tree.keys.reserve(self.instruction_lines);
        if let Some(pos) = memchr::memchr(0, self.text.as_bytes()) {
            self.error(
                TextRange::new(pos, pos + 1),
                SyntaxErrorKind::NulByte,
                "the file contains a NUL byte; Dockerfiles are text",
            );
        }
        for line in std::mem::take(&mut self.long_lines) {
            self.error(
                TextRange::new(line.start, line.end),
                SyntaxErrorKind::LineTooLong,
                format!(
                    "line is {} bytes long; BuildKit accepts at most {MAX_LINE_LEN}",
                    line.end - line.start
                ),
            );
        }
        let text = self.text;
        let mut i = 0;
        while i < self.lines.len() {
            let line = self.lines[i];
            let mut token_start = line.token;
            if i == 0 && text[line.start..line.end].starts_with('\u{feff}') {
                let start = line.start + '\u{feff}'.len_utf8();
                token_start = line.end - trim_start(&text[start..line.end]).len();
            }
            let trimmed = &text[token_start..line.end];
            if !self.directives_done {
                self.possible_directive(trimmed, token_start);
            }
            if trimmed.starts_with('#') {
                self.tree
                    .comments
                    .push(TextRange::new(token_start, line.end));
                i += 1;
                continue;
            }
            if trimmed.is_empty() {
                i += 1;
                continue;
            }
            i = self.instruction(i, token_start);
        }
        // Directive lines are comments too, but they are listed apart.
        if !self.tree.directives.is_empty() {
            let directive_lines: Vec<TextRange> =
                self.tree.directives.iter().map(|d| d.range).collect();
            self.tree
                .comments
                .retain(|c| !directive_lines.iter().any(|d| d.start == c.start));
        }
        if self.tree.instructions.is_empty() {
            let end = self.text.len();
            self.error(
                TextRange::new(end, end),
                SyntaxErrorKind::NoInstructions,
                "file with no instructions",
            );
        }
        self.tree.escape = self.escape;
        let line_starts = self.line_starts();
        (self.tree, line_starts)
    }

    /// The LSP line starts, when they are the starts of the parser's lines: the text has no
    /// `\r` (so `\n` alone breaks lines in both) and fits `u32` offsets. A text that ends
    /// with a line break has one more, empty, line.
    fn line_starts(&self) -> Option<Vec<u32>> {
        let bytes = self.text.as_bytes();
        if u32::try_from(bytes.len()).is_err() || memchr::memchr(b'\r', bytes).is_some() {
            return None;
        }
        let mut starts = Vec::with_capacity(self.lines.len() + 2);
        starts.push(0);
        starts.extend(self.lines.iter().skip(1).map(|line| line.start as u32));
        if bytes.last() == Some(&b'\n') {
            starts.push(bytes.len() as u32);
        }
        Some(starts)
    }

    fn possible_directive(&mut self, token: &str, token_start: usize) {
        if self.directives_done {
            return;
        }
        let Some(after_hash) = token.strip_prefix('#') else {
            self.directives_done = true;
            return;
        };
        let body = after_hash.trim_start();
        let body_start = token_start + (token.len() - body.len());
        let name_len = body
            .char_indices()
            .take_while(|&(i, c)| {
                if i == 0 {
                    c.is_ascii_alphabetic()
                } else {
                    c.is_ascii_alphanumeric()
                }
            })
            .count();
        let after_name = &body[name_len..];
        let after_ws = after_name.trim_start();
        let valid_shape = name_len > 0 && after_ws.starts_with('=');
        // BuildKit's `=\s*(.+?)\s*$`: the value is trimmed, but a value made only of
        // whitespace is its last character (the greedy `\s*` gives one back).
        let value_raw = match after_ws.get(1..) {
            Some(v) if valid_shape && !v.is_empty() && v.trim().is_empty() => {
                let last = v.chars().next_back().map_or(0, char::len_utf8);
                &v[v.len() - last..]
            }
            Some(v) if valid_shape => v.trim(),
            _ => "",
        };
        if !valid_shape || value_raw.is_empty() {
            self.directives_done = true;
            return;
        }
        let name = body[..name_len].to_ascii_lowercase();
        if !matches!(name.as_str(), "syntax" | "escape" | "check") {
            self.directives_done = true;
            return;
        }
        // `value_raw` is a slice of the source text.
        let value_start = value_raw.as_ptr() as usize - self.text.as_ptr() as usize;
        let range = TextRange::new(token_start, token_start + token.len());
        let directive = Directive {
            range,
            name: name.clone(),
            name_range: TextRange::new(body_start, body_start + name_len),
            value: value_raw.to_string(),
            value_range: TextRange::new(value_start, value_start + value_raw.len()),
        };
        if self.tree.directives.iter().any(|d| d.name == name) {
            self.error(
                range,
                SyntaxErrorKind::DuplicateDirective,
                format!("only one {name} parser directive can be used"),
            );
            return;
        }
        if name == "escape" {
            match value_raw {
                "\\" => self.escape = '\\',
                "`" => self.escape = '`',
                other => self.error(
                    directive.value_range,
                    SyntaxErrorKind::InvalidEscapeDirective,
                    format!("invalid escape token '{other}' does not match ` or \\"),
                ),
            }
        }
        self.tree.directives.push(directive);
    }

    /// BuildKit's continuation regex: the escape character at the end of a line (spaces and
    /// tabs may follow) that is not itself escaped, or alone on its line. Returns the line
    /// without it, or `None` when the line does not continue.
    fn strip_continuation<'s>(&self, line: &'s str) -> Option<&'s str> {
        // Bytes: the escape character is `\\` or `` ` ``, both ASCII, so the cut is on a
        // character boundary.
        let bytes = line.as_bytes();
        let escape = self.escape as u32;
        let mut end = bytes.len();
        while end > 0 && matches!(bytes[end - 1], b' ' | b'\t') {
            end -= 1;
        }
        if end == 0 || u32::from(bytes[end - 1]) != escape {
            return None;
        }
        let without = end - 1;
        if without == 0 || u32::from(bytes[without - 1]) != escape {
            Some(&line[..without])
        } else {
            None
        }
    }

    /// Reads one instruction starting at physical line `first`; returns the next line index.
    /// Reads one instruction starting at physical line `first`; returns the next line index.
    fn instruction(&mut self, first: usize, token_start: usize) -> usize {
        let text = self.text;
        let first_line = self.lines[first];
        let first_text = &text[token_start..first_line.end];
        let (segment, mut continues) = match self.strip_continuation(first_text) {
            Some(s) => (s, true),
            None => (first_text, false),
        };
        let mut segments = std::mem::take(&mut self.segments);
        let mut logical = std::mem::take(&mut self.logical);
        segments.clear();
        logical.clear();
        segments.push(Segment::new(0, token_start, segment.len()));
        if continues {
            logical.push_str(segment);
        }
        let mut last = first;
        let mut empty_lines = Vec::new();
        while continues && last + 1 < self.lines.len() {
            last += 1;
            let line = self.lines[last];
            let raw = &text[line.start..line.end];
            let trimmed = &text[line.token..line.end];
            if trimmed.starts_with('#') {
                self.tree
                    .comments
                    .push(TextRange::new(line.token, line.end));
                continue;
            }
            if trimmed.is_empty() {
                empty_lines.push(TextRange::new(line.start, line.end));
                continue;
            }
            let segment = match self.strip_continuation(raw) {
                Some(s) => s,
                None => {
                    continues = false;
                    raw
                }
            };
            segments.push(Segment::new(logical.len(), line.start, segment.len()));
            logical.push_str(segment);
        }
        let mut end = self.lines[last].end;
        let map = SegmentMap::from_segments(&segments);
        // A one-line instruction is its own logical line.
        let line: &str = if segments.len() == 1 {
            segment
        } else {
            &logical
        };

        let mut node = self.node(line, 0, &map);
        let mut next_line = last + 1;
        if heredoc_allowed(&node) && has_double_lt(line.as_bytes()) {
            let mut heredocs = heredoc_tokens(line, &map);
            for heredoc in &mut heredocs {
                let body_start = self
                    .lines
                    .get(next_line)
                    .map_or(self.text.len(), |l| l.start);
                let mut body_end = body_start;
                let mut terminated = false;
                while next_line < self.lines.len() {
                    let line = self.lines[next_line];
                    next_line += 1;
                    let content = &self.text[line.start..line.end];
                    let candidate = if heredoc.chomp {
                        content.trim_start_matches('\t')
                    } else {
                        content
                    };
                    end = line.end;
                    if candidate == heredoc.name {
                        heredoc.terminator_range = Some(TextRange::new(line.start, line.end));
                        terminated = true;
                        break;
                    }
                    body_end = self
                        .lines
                        .get(next_line)
                        .map_or(self.text.len(), |l| l.start);
                }
                heredoc.content = self.text[body_start..body_end].to_string();
                heredoc.body_range = TextRange::new(body_start, body_end);
                if !terminated {
                    self.error(
                        heredoc.range,
                        SyntaxErrorKind::UnterminatedHeredoc,
                        format!(
                            "unterminated heredoc: no line `{}` ends it before the end of the file",
                            heredoc.name
                        ),
                    );
                }
            }
            match &mut node.args {
                Args::OnBuild(inner) => inner.heredocs = heredocs,
                _ => node.heredocs = heredocs,
            }
        }
        self.segments = segments;
        self.logical = logical;
        let keyword_start = node.keyword_range.start();
        node.range = TextRange::new(keyword_start, end.max(keyword_start));
        node.start_line = first as u32;
        node.end_line = (next_line - 1) as u32;
        node.empty_continuation_lines = empty_lines;
        node.rest_map.map = map;
        if let Args::OnBuild(inner) = &mut node.args {
            inner.range = TextRange::new(inner.keyword_range.start(), node.range.end());
            inner.start_line = node.start_line;
            inner.end_line = node.end_line;
        }
        self.tree.keyword_counts.count(&node);
        self.record_keys(&node);
        if let Some(sink) = self.sink.as_mut() {
            sink.push(self.tree.instructions.len(), &node);
        }
        self.tree.instructions.push(node);
        next_line
    }

    /// Adds `node`'s entry to [`SyntaxTree::keys`].
    fn record_keys(&mut self, node: &Instruction) {
        let mut nested = 1u32 << node.keyword as u32;
        let mut flagged = !node.flags.is_empty();
        let mut args = &node.args;
        while let Args::OnBuild(inner) = args {
            nested |= 1 << inner.keyword as u32;
            flagged |= !inner.flags.is_empty();
            args = &inner.args;
        }
        let text = self.text;
        let range = node.range.as_range();
        // Without its source every mark is assumed.
        let marks = match text.get(range.clone()) {
            None => u8::MAX,
            Some(_) => {
                let mut marks = 0;
                if self.dollars.within(text.as_bytes(), range.clone()) {
                    marks |= InstructionKeys::DOLLAR;
                }
                if self.quotes.within(text.as_bytes(), range) {
                    marks |= InstructionKeys::QUOTE;
                }
                marks
            }
        };
        let keyword = text
            .as_bytes()
            .get(node.keyword_range.as_range())
            .unwrap_or(b"");
        let (mut has_upper, mut has_lower, mut all) = (false, false, 0u8);
        for &b in keyword {
            has_upper |= b.is_ascii_uppercase();
            has_lower |= b.is_ascii_lowercase();
            all |= b;
        }
        let casing = if !all.is_ascii() {
            InstructionKeys::NOT_ASCII
        } else {
            let lower = if has_upper { 0 } else { InstructionKeys::LOWER };
            let upper = if has_lower { 0 } else { InstructionKeys::UPPER };
            lower | upper
        };
        let keys = &mut self.tree.keys;
        keys.keywords.push(node.keyword);
        keys.nested.push(nested);
        keys.flagged.push(flagged);
        keys.marks.push(marks);
        keys.casings.push(casing);
    }

    /// BuildKit's `newNodeFromLine` on the logical line `line`, which starts at logical
    /// offset `base`. The instruction's `rest_map` is left for the caller to fill in.
    fn node(&mut self, line: &str, base: usize, map: &SegmentMap) -> Instruction {
        let trimmed_start = line.len() - trim_start(line).len();
        let body = trim_end(&line[trimmed_start..]);
        let kw_len = body
            .bytes()
            .position(is_token_whitespace_byte)
            .unwrap_or(body.len());
        let kw_start = base + trimmed_start;
        let keyword_text = &body[..kw_len];
        let keyword = Keyword::from_text(keyword_text);
        let after_kw = &body[kw_len..];
        let rest_offset = kw_start + kw_len;
        let (flags, args_start) = self.extract_flags(after_kw, rest_offset, map);
        let args_raw = &after_kw[args_start - rest_offset..];
        let args_lead = args_raw.len() - trim_start(args_raw).len();
        let args_trimmed = trim_end(&args_raw[args_lead..]);
        let args_base = args_start + args_lead;
        let rest = Word {
            text: args_trimmed.into(),
            range: map.range(args_base, args_base + args_trimmed.len()),
        };
        let args = self.args(keyword, args_trimmed, args_base, map);
        Instruction {
            range: TextRange::default(),
            keyword,
            keyword_range: map.range(kw_start, kw_start + kw_len),
            flags,
            args,
            heredocs: Vec::new(),
            start_line: 0,
            end_line: 0,
            rest,
            empty_continuation_lines: Vec::new(),
            rest_map: RestMap {
                map: SegmentMap::default(),
                offset: args_base,
            },
        }
    }

    /// BuildKit's `extractBuilderFlags`: leading `--name[=value]` words. Returns the flags and
    /// the logical offset where the arguments start.
    fn extract_flags(&self, s: &str, base: usize, map: &SegmentMap) -> (Vec<Flag>, usize) {
        let bytes = s.as_bytes();
        let mut flags = Vec::new();
        let mut pos = 0;
        loop {
            while pos < bytes.len() && (bytes[pos] as char).is_ascii_whitespace() {
                pos += 1;
            }
            if pos >= bytes.len() {
                return (flags, base + bytes.len());
            }
            if !(bytes[pos] == b'-' && bytes.get(pos + 1) == Some(&b'-')) {
                return (flags, base + pos);
            }
            let word_start = pos;
            // A flag without quotes, escapes or non-ASCII characters is its own text.
            let plain_from = skip_plain_parse_word_bytes(bytes, pos, b'\\');
            let plain_end = bytes[plain_from..]
                .iter()
                .position(|&b| {
                    matches!(
                        b,
                        b'\t' | b'\n' | 0x0b | 0x0c | b'\r' | b' ' | b'\'' | b'"' | b'\\'
                    ) || b >= 0x80
                })
                .map_or(bytes.len(), |i| plain_from + i);
            if bytes
                .get(plain_end)
                .is_none_or(|&b| matches!(b, b'\t' | b'\n' | 0x0b | 0x0c | b'\r' | b' '))
            {
                let word = &s[pos..plain_end];
                let eq_at = find_eq(word).map(|i| (i, pos + i));
                pos = plain_end;
                if word == "--" {
                    return (flags, base + pos);
                }
                flags.push(flag(word, eq_at, base, word_start, plain_end, map));
                continue;
            }
            let mut word = String::new();
            let mut quote: Option<u8> = None;
            let mut eq_at: Option<(usize, usize)> = None; // (index in word, logical offset)
            let mut chars = s[pos..].char_indices();
            let mut end = bytes.len();
            while let Some((off, ch)) = chars.next() {
                let at = pos + off;
                match quote {
                    None => {
                        if ch.is_whitespace() {
                            end = at;
                            break;
                        }
                        if ch == '\'' || ch == '"' {
                            quote = Some(ch as u8);
                            continue;
                        }
                        if ch == '\\' {
                            match chars.next() {
                                Some((_, n)) => word.push(n),
                                None => continue,
                            }
                            continue;
                        }
                        if ch == '=' && eq_at.is_none() {
                            eq_at = Some((word.len(), at));
                        }
                        word.push(ch);
                    }
                    Some(q) => {
                        if ch as u32 == q as u32 {
                            quote = None;
                            continue;
                        }
                        if ch == '\\' {
                            match chars.next() {
                                Some((_, n)) => word.push(n),
                                None => quote = None,
                            }
                            continue;
                        }
                        word.push(ch);
                    }
                }
            }
            pos = end;
            if word == "--" {
                return (flags, base + pos);
            }
            flags.push(flag(&word, eq_at, base, word_start, end, map));
        }
    }

    fn args(&mut self, keyword: Keyword, rest: &str, base: usize, map: &SegmentMap) -> Args {
        let word = |w: RawWord| Word {
            text: w.text.into(),
            range: map.range(base + w.start, base + w.end),
        };
        let whole = || Word {
            text: rest.into(),
            range: map.range(base, base + rest.len()),
        };
        match keyword {
            Keyword::Run | Keyword::Cmd | Keyword::Entrypoint | Keyword::Shell => {
                if rest.is_empty() {
                    return Args::Empty;
                }
                self.maybe_json(rest, base, map)
                    .unwrap_or_else(|| Args::Shell(whole()))
            }
            Keyword::Add | Keyword::Copy | Keyword::Volume => self
                .maybe_json(rest, base, map)
                .unwrap_or_else(|| words_or_empty(split_whitespace_delimited(rest), word)),
            Keyword::From | Keyword::Expose => {
                words_or_empty(split_whitespace_delimited(rest), word)
            }
            Keyword::Maintainer | Keyword::Stopsignal | Keyword::User | Keyword::Workdir => {
                if rest.is_empty() {
                    Args::Empty
                } else {
                    Args::String(whole())
                }
            }
            Keyword::Unknown => {
                if rest.is_empty() {
                    Args::Empty
                } else {
                    Args::String(whole())
                }
            }
            Keyword::Arg => {
                let pairs: Vec<KeyValue> = parse_words(rest, self.escape)
                    .map(|w| split_key_value(w, base, map))
                    .collect();
                if pairs.is_empty() {
                    Args::Empty
                } else {
                    Args::KeyValues {
                        pairs,
                        legacy: false,
                    }
                }
            }
            Keyword::Env | Keyword::Label => self.name_values(keyword, rest, base, map),
            Keyword::Healthcheck => {
                let sep = rest
                    .bytes()
                    .position(|b| b.is_ascii_whitespace() || b == 0x0b || b == 0x0c)
                    .unwrap_or(rest.len());
                if sep == 0 {
                    return Args::Empty;
                }
                let kind = Word {
                    text: rest[..sep].into(),
                    range: map.range(base, base + sep),
                };
                let after = &rest[sep..];
                let cmd = trim_start(after);
                let cmd_base = base + sep + (after.len() - cmd.len());
                let command = if cmd.is_empty() {
                    Args::Empty
                } else {
                    self.maybe_json(cmd, cmd_base, map).unwrap_or_else(|| {
                        Args::Shell(Word {
                            text: cmd.into(),
                            range: map.range(cmd_base, cmd_base + cmd.len()),
                        })
                    })
                };
                Args::Healthcheck {
                    kind,
                    command: Box::new(command),
                }
            }
            Keyword::Onbuild => {
                if rest.is_empty() {
                    return Args::Empty;
                }
                let mut inner = self.node(rest, base, map);
                inner.rest_map.map = map.clone();
                Args::OnBuild(Box::new(inner))
            }
        }
    }

    /// BuildKit's `parseNameVal` for ENV and LABEL.
    fn name_values(&mut self, keyword: Keyword, rest: &str, base: usize, map: &SegmentMap) -> Args {
        let words = parse_words(rest, self.escape);
        let Some(first) = words.clone().next() else {
            return Args::Empty;
        };
        if find_eq(first.text).is_none() {
            // Legacy `ENV key value`: the value is the raw rest of the line.
            let key_end = rest
                .bytes()
                .position(is_token_whitespace_byte)
                .unwrap_or(rest.len());
            let after = &rest[key_end..];
            let value = after.trim_start_matches(is_token_whitespace);
            let value_start = key_end + (after.len() - value.len());
            let key = Word {
                text: rest[..key_end].into(),
                range: map.range(base, base + key_end),
            };
            if value.is_empty() {
                self.error(
                    map.range(base, base + rest.len()),
                    SyntaxErrorKind::InvalidKeyValue,
                    format!("{} must have two arguments", keyword.as_str()),
                );
            }
            let value_word = (!value.is_empty()).then(|| Word {
                text: value.into(),
                range: map.range(base + value_start, base + rest.len()),
            });
            return Args::KeyValues {
                pairs: vec![KeyValue {
                    range: map.range(base, base + rest.len()),
                    key,
                    value: value_word,
                }],
                legacy: true,
            };
        }
        let mut pairs = Vec::new();
        for w in words {
            if find_eq(w.text).is_none() {
                self.error(
                    map.range(base + w.start, base + w.end),
                    SyntaxErrorKind::InvalidKeyValue,
                    format!(
                        "Syntax error - can't find = in {:?}. Must be of the form: name=value",
                        w.text
                    ),
                );
            }
            pairs.push(split_key_value(w, base, map));
        }
        Args::KeyValues {
            pairs,
            legacy: false,
        }
    }

    /// BuildKit's `parseJSON`: `Some` when `rest` is a JSON array (of strings, or an error).
    fn maybe_json(&mut self, rest: &str, base: usize, map: &SegmentMap) -> Option<Args> {
        let trimmed = trim_start(rest);
        if !trimmed.starts_with('[') {
            return None;
        }
        let offset = base + (rest.len() - trimmed.len());
        // Most arrays are plain strings: read them directly.
        let mut elements = Vec::new();
        let plain = plain_json_string_array(trimmed, |s, e| {
            elements.push(Word {
                text: trimmed[s + 1..e - 1].into(),
                range: map.range(offset + s, offset + e),
            })
        });
        if let Some(array_len) = plain {
            return Some(Args::Exec {
                range: map.range(offset, offset + array_len),
                elements,
            });
        }
        // BuildKit decodes the first JSON value with a streaming decoder: text after the
        // array is ignored (`CMD ["a"] extra` is exec form).
        let mut stream =
            serde_json::Deserializer::from_str(trimmed).into_iter::<Vec<serde_json::Value>>();
        let values = stream.next()?.ok()?;
        let array_len = stream.byte_offset();
        let array_range = map.range(offset, offset + array_len);
        if values.iter().any(|v| !v.is_string()) {
            self.error(
                array_range,
                SyntaxErrorKind::JsonNotStringArray,
                "when using JSON array syntax, arrays must be comprised of strings only",
            );
            return Some(Args::Exec {
                range: array_range,
                elements: Vec::new(),
            });
        }
        let spans = json_string_spans(&trimmed[..array_len]);
        let elements = values
            .into_iter()
            .zip(spans)
            .map(|(v, (s, e))| Word {
                text: match v {
                    serde_json::Value::String(s) => s.into(),
                    _ => Default::default(),
                },
                range: map.range(offset + s, offset + e),
            })
            .collect();
        Some(Args::Exec {
            range: array_range,
            elements,
        })
    }
}

/// The keyword `line` starts with, when it is one a sink sizes its tables for (FROM, RUN,
/// ARG, ENV, COPY or ADD, in any case). An estimate: a continuation or heredoc line starting
/// with such a word counts too, an ONBUILD trigger does not.
fn sized_keyword(line: &[u8]) -> Option<Keyword> {
    // Byte comparisons, not `Keyword::from_text`: this runs for every line of the file.
    let is = |word: &[u8]| {
        line.get(..word.len())
            .is_some_and(|head| head.eq_ignore_ascii_case(word))
            && line
                .get(word.len())
                .is_none_or(|&b| is_token_whitespace_byte(b))
    };
    match line.first()? | 0x20 {
        b'f' if is(b"from") => Some(Keyword::From),
        b'r' if is(b"run") => Some(Keyword::Run),
        b'a' if is(b"arg") => Some(Keyword::Arg),
        b'a' if is(b"add") => Some(Keyword::Add),
        b'e' if is(b"env") => Some(Keyword::Env),
        b'c' if is(b"copy") => Some(Keyword::Copy),
        _ => None,
    }
}

/// `str::trim_start` (Unicode whitespace), without decoding characters while they are ASCII.
#[inline]
fn trim_start(s: &str) -> &str {
    let bytes = s.as_bytes();
    let mut i = 0;
    while i < bytes.len() && matches!(bytes[i], b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r') {
        i += 1;
    }
    if i < bytes.len() && bytes[i] >= 0x80 {
        return s[i..].trim_start();
    }
    &s[i..]
}

/// `str::trim_end` (Unicode whitespace), without decoding characters while they are ASCII.
#[inline]
fn trim_end(s: &str) -> &str {
    let bytes = s.as_bytes();
    let mut i = bytes.len();
    while i > 0 && matches!(bytes[i - 1], b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r') {
        i -= 1;
    }
    if i > 0 && bytes[i - 1] >= 0x80 {
        return s[..i].trim_end();
    }
    &s[..i]
}

/// A JSON array of strings without escapes or control characters, as `[ "a", "b" ]`:
/// the length of the array text; `element` gets each element's span (quotes included). `None` for
/// anything else, which the full JSON decoder then reads (it accepts all these arrays).
fn plain_json_string_array(json: &str, mut element: impl FnMut(usize, usize)) -> Option<usize> {
    let bytes = json.as_bytes();
    let skip_ws = |i: &mut usize| {
        while *i < bytes.len() && matches!(bytes[*i], b' ' | b'\t' | b'\n' | b'\r') {
            *i += 1;
        }
    };
    if bytes.first() != Some(&b'[') {
        return None;
    }
    let mut i = 1;
    skip_ws(&mut i);
    if bytes.get(i) == Some(&b']') {
        return Some(i + 1);
    }
    loop {
        if bytes.get(i) != Some(&b'"') {
            return None;
        }
        let start = i;
        let close = i + 1 + memchr::memchr2(b'"', b'\\', &bytes[i + 1..])?;
        if bytes[close] != b'"' || bytes[i + 1..close].iter().any(|&b| b < 0x20) {
            return None;
        }
        i = close + 1;
        element(start, i);
        skip_ws(&mut i);
        match *bytes.get(i)? {
            b',' => {
                i += 1;
                skip_ws(&mut i);
            }
            b']' => return Some(i + 1),
            _ => return None,
        }
    }
}

/// A flag from its text (`--name[=value]`, quotes removed) and where it stands: `eq_at` is
/// the first `=` (index in `word`, logical offset), `word_start..end` the logical range
/// relative to `base`.
fn flag(
    word: &str,
    eq_at: Option<(usize, usize)>,
    base: usize,
    word_start: usize,
    end: usize,
    map: &SegmentMap,
) -> Flag {
    let range = map.range(base + word_start, base + end);
    let (name, name_end, value) = match eq_at {
        Some((idx, at)) => {
            let value_start = base + at + 1;
            (
                word[2..idx].to_string(),
                base + at,
                Some(Word {
                    text: word[idx + 1..].into(),
                    range: map.range(value_start, (base + end).max(value_start)),
                }),
            )
        }
        None => (word.get(2..).unwrap_or("").to_string(), base + end, None),
    };
    Flag {
        range,
        name,
        name_range: map.range(base + word_start + 2, name_end.max(base + word_start + 2)),
        value,
    }
}

fn words_or_empty<'a>(
    words: impl Iterator<Item = RawWord<'a>>,
    word: impl Fn(RawWord) -> Word,
) -> Args {
    let words: Vec<Word> = words.map(word).collect();
    if words.is_empty() {
        Args::Empty
    } else {
        Args::Words(words)
    }
}

/// `KEY=value` -> key and value words. For ARG a word without `=` is a bare name.
fn split_key_value(w: RawWord, base: usize, map: &SegmentMap) -> KeyValue {
    let range = map.range(base + w.start, base + w.end);
    match find_eq(w.text) {
        Some(eq) => {
            // The word's text may differ in length from the source (none of the parse_words
            // transforms drop characters before the first `=`, so offsets hold up to it).
            let value_start = (w.start + eq + 1).min(w.end);
            KeyValue {
                range,
                key: Word {
                    text: w.text[..eq].into(),
                    range: map.range(base + w.start, base + w.start + eq),
                },
                value: Some(Word {
                    text: w.text[eq + 1..].into(),
                    range: map.range(base + value_start, base + w.end),
                }),
            }
        }
        None => KeyValue {
            range,
            key: Word {
                text: w.text.into(),
                range,
            },
            value: None,
        },
    }
}

/// The first `=` of a short word: a byte loop costs less than a search call.
#[inline]
fn find_eq(word: &str) -> Option<usize> {
    word.bytes().position(|b| b == b'=')
}

/// Byte spans (including quotes) of the string elements of a valid JSON array of strings.
fn json_string_spans(json: &str) -> Vec<(usize, usize)> {
    let bytes = json.as_bytes();
    let mut spans = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'"' {
            let start = i;
            i += 1;
            while i < bytes.len() && bytes[i] != b'"' {
                if bytes[i] == b'\\' {
                    i += 1;
                }
                i += 1;
            }
            spans.push((start, (i + 1).min(bytes.len())));
        }
        i += 1;
    }
    spans
}

/// BuildKit's `heredocsFromLine`: every shell word of the line shaped `[n]<<[-]NAME`.
fn heredoc_tokens(logical: &str, map: &SegmentMap) -> Vec<Heredoc> {
    let mut heredocs = Vec::new();
    let closed = shell_words_raw(logical, |word| {
        if let Some(heredoc) = heredoc_token(word, map) {
            heredocs.push(heredoc);
        }
    });
    if !closed {
        heredocs.clear();
    }
    heredocs
}

/// The heredoc that the shell word `word` starts, if it is shaped `[n]<<[-]NAME`.
fn heredoc_token(word: RawWord, map: &SegmentMap) -> Option<Heredoc> {
    let text = word.text;
    let digits = text.bytes().take_while(u8::is_ascii_digit).count();
    let after = text[digits..].strip_prefix("<<")?;
    let (chomp, rest) = match after.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, after),
    };
    if rest.is_empty() || rest.contains('<') {
        return None;
    }
    let mut inner_words = 0;
    if !shell_words_raw(rest, |_| inner_words += 1) || inner_words != 1 {
        return None;
    }
    let name = unquote_shell_word(rest).filter(|n| !n.is_empty())?;
    let quotes = |s: &str| s.chars().filter(|&c| c == '\'' || c == '"').count();
    let expand = quotes(&name) == quotes(rest);
    let name_start = word.end - rest.len();
    Some(Heredoc {
        range: map.range(word.start, word.end),
        name,
        name_range: map.range(name_start, word.end),
        chomp,
        expand,
        file_descriptor: text[..digits].parse().unwrap_or(0),
        content: String::new(),
        body_range: TextRange::default(),
        terminator_range: None,
    })
}

/// Whether `<<` occurs in `bytes` (a heredoc is possible). Lines are short: finding `<`
/// with `memchr` is cheaper than setting up a substring search for each line.
fn has_double_lt(bytes: &[u8]) -> bool {
    memchr::memchr_iter(b'<', bytes).any(|i| bytes.get(i + 1) == Some(&b'<'))
}

/// Whether BuildKit looks for heredocs in this instruction (RUN, COPY, ADD, also under
/// ONBUILD; never in JSON form).
fn heredoc_allowed(node: &Instruction) -> bool {
    let target = match &node.args {
        Args::OnBuild(inner) => inner.as_ref(),
        _ => node,
    };
    target.keyword.can_contain_heredoc() && !target.is_exec_form()
}
