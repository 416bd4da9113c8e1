//! The line-oriented parser. It mirrors BuildKit's `parser.Parse` step by step (directives,
//! continuation lines, heredocs, `splitCommand`, `extractBuilderFlags` and the per-instruction
//! line parsers) and records byte ranges on the way. Where BuildKit gives up on a file, we
//! record a [`SyntaxError`] and go on.

use super::words::{
    is_token_whitespace, parse_words, shell_words_raw, split_whitespace_delimited,
    unquote_shell_word, RawWord,
};
use super::{
    Args, Directive, Flag, Heredoc, Instruction, KeyValue, Keyword, RestMap, SyntaxError,
    SyntaxErrorKind, SyntaxTree, TextRange, Word,
};

/// BuildKit's scanner refuses lines longer than this (`bufio.MaxScanTokenSize - 1`).
const MAX_LINE_LEN: usize = 64 * 1024 - 1;

/// Parses a Dockerfile. Never fails: see [`SyntaxTree::errors`].
pub fn parse(text: &str) -> SyntaxTree {
    Parser::new(text).run()
}

/// Decodes bytes read from disk (invalid UTF-8 is replaced and reported) and parses them.
pub fn parse_bytes(bytes: &[u8]) -> (String, SyntaxTree) {
    match std::str::from_utf8(bytes) {
        Ok(text) => (text.to_string(), parse(text)),
        Err(e) => {
            let text = String::from_utf8_lossy(bytes).into_owned();
            let mut tree = parse(&text);
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
            (text, tree)
        }
    }
}

/// A physical line: `start..end` without the line break, `next` where the next line starts.
#[derive(Clone, Copy)]
struct Line {
    start: usize,
    end: usize,
}

/// Maps byte offsets of a logical line (continuations removed) back to the source text.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct SegmentMap {
    /// (logical start, source start, length), in order.
    segments: Vec<(usize, usize, usize)>,
}

impl SegmentMap {
    fn push(&mut self, logical_start: usize, source_start: usize, len: usize) {
        self.segments.push((logical_start, source_start, len));
    }

    fn find(&self, logical: usize) -> usize {
        self.segments
            .partition_point(|&(l, _, _)| l <= logical)
            .saturating_sub(1)
    }

    /// Source offset of a logical start offset.
    fn start(&self, logical: usize) -> usize {
        match self.segments.get(self.find(logical)) {
            Some(&(l, s, len)) => s + (logical - l).min(len),
            None => 0,
        }
    }

    /// Source offset of a logical (exclusive) end offset.
    fn end(&self, logical: usize) -> usize {
        if logical == 0 {
            return self.start(0);
        }
        match self.segments.get(self.find(logical - 1)) {
            Some(&(l, s, len)) => s + (logical - l).min(len),
            None => 0,
        }
    }

    pub(crate) fn range(&self, start: usize, end: usize) -> TextRange {
        let s = self.start(start);
        let e = self.end(end).max(s);
        TextRange::new(s, e)
    }
}

struct Parser<'a> {
    text: &'a str,
    lines: Vec<Line>,
    escape: char,
    directives_done: bool,
    tree: SyntaxTree,
}

impl<'a> Parser<'a> {
    fn new(text: &'a str) -> Self {
        let mut lines = Vec::new();
        let mut start = 0;
        let bytes = text.as_bytes();
        while start < bytes.len() {
            let nl = memchr::memchr(b'\n', &bytes[start..]).map(|i| start + i);
            let next = nl.map_or(bytes.len(), |i| i + 1);
            // BuildKit's trimNewline: all trailing \r and \n go.
            let mut end = next;
            while end > start && matches!(bytes[end - 1], b'\n' | b'\r') {
                end -= 1;
            }
            lines.push(Line { start, end });
            start = next;
        }
        Parser {
            text,
            lines,
            escape: '\\',
            directives_done: false,
            tree: SyntaxTree {
                escape: '\\',
                ..Default::default()
            },
        }
    }

    fn error(&mut self, range: TextRange, kind: SyntaxErrorKind, message: impl Into<String>) {
        self.tree.errors.push(SyntaxError {
            range,
            kind,
            message: message.into(),
        });
    }

    fn run(mut self) -> SyntaxTree {
        self.tree.instructions.reserve(self.lines.len() / 2);
        if let Some(pos) = memchr::memchr(0, self.text.as_bytes()) {
            self.error(
                TextRange::new(pos, pos + 1),
                SyntaxErrorKind::NulByte,
                "the file contains a NUL byte; Dockerfiles are text",
            );
        }
        let long_lines: Vec<Line> = self
            .lines
            .iter()
            .copied()
            .filter(|l| l.end - l.start > MAX_LINE_LEN)
            .collect();
        for line in long_lines {
            self.error(
                TextRange::new(line.start, line.end),
                SyntaxErrorKind::LineTooLong,
                format!(
                    "line is {} bytes long; BuildKit accepts at most {MAX_LINE_LEN}",
                    line.end - line.start
                ),
            );
        }
        let mut i = 0;
        while i < self.lines.len() {
            let line = self.lines[i];
            let mut start = line.start;
            if i == 0 && self.text[start..line.end].starts_with('\u{feff}') {
                start += '\u{feff}'.len_utf8();
            }
            let raw = &self.text[start..line.end];
            let trimmed = raw.trim_start();
            let token_start = line.end - trimmed.len();
            self.possible_directive(trimmed, token_start);
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
        let directive_lines: Vec<TextRange> =
            self.tree.directives.iter().map(|d| d.range).collect();
        self.tree
            .comments
            .retain(|c| !directive_lines.iter().any(|d| d.start == c.start));
        if self.tree.instructions.is_empty() {
            let end = self.text.len();
            self.error(
                TextRange::new(end, end),
                SyntaxErrorKind::NoInstructions,
                "file with no instructions",
            );
        }
        self.tree.escape = self.escape;
        self.tree
    }

    /// BuildKit's DirectiveParser: `# name=value` lines at the very top of the file.
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
        let body = line.trim_end_matches([' ', '\t']);
        let without = body.strip_suffix(self.escape)?;
        if without.is_empty() || !without.ends_with(self.escape) {
            Some(without)
        } else {
            None
        }
    }

    /// Reads one instruction starting at physical line `first`; returns the next line index.
    fn instruction(&mut self, first: usize, token_start: usize) -> usize {
        let mut map = SegmentMap::default();
        let mut logical = String::new();
        let first_line = self.lines[first];
        let first_text = &self.text[token_start..first_line.end];
        let (segment, mut continues) = match self.strip_continuation(first_text) {
            Some(s) => (s, true),
            None => (first_text, false),
        };
        map.push(0, token_start, segment.len());
        logical.push_str(segment);
        let mut last = first;
        let mut empty_lines = Vec::new();
        while continues && last + 1 < self.lines.len() {
            last += 1;
            let line = self.lines[last];
            let raw = &self.text[line.start..line.end];
            let trimmed = raw.trim_start();
            if trimmed.starts_with('#') {
                self.tree
                    .comments
                    .push(TextRange::new(line.end - trimmed.len(), line.end));
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
            map.push(logical.len(), line.start, segment.len());
            logical.push_str(segment);
        }
        let mut end = self.lines[last].end;

        let mut node = self.node(&logical, 0, &map);
        let mut next_line = last + 1;
        if heredoc_allowed(&node) && logical.contains("<<") {
            let mut heredocs = self.heredoc_tokens(&logical, &map);
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
        let keyword_start = node.keyword_range.start();
        node.range = TextRange::new(keyword_start, end.max(keyword_start));
        node.start_line = first as u32;
        node.end_line = (next_line - 1) as u32;
        node.empty_continuation_lines = empty_lines;
        if let Args::OnBuild(inner) = &mut node.args {
            inner.range = TextRange::new(inner.keyword_range.start(), node.range.end());
            inner.start_line = node.start_line;
            inner.end_line = node.end_line;
        }
        self.tree.instructions.push(node);
        next_line
    }

    /// BuildKit's `heredocsFromLine`: every shell word of the line shaped `[n]<<[-]NAME`.
    fn heredoc_tokens(&mut self, logical: &str, map: &SegmentMap) -> Vec<Heredoc> {
        let Some(words) = shell_words_raw(logical) else {
            return Vec::new();
        };
        let mut heredocs = Vec::new();
        for word in words {
            let text = word.text.as_str();
            let digits = text.bytes().take_while(u8::is_ascii_digit).count();
            let Some(after) = text[digits..].strip_prefix("<<") else {
                continue;
            };
            let (chomp, rest) = match after.strip_prefix('-') {
                Some(r) => (true, r),
                None => (false, after),
            };
            if rest.is_empty() || rest.contains('<') {
                continue;
            }
            let Some(inner_words) = shell_words_raw(rest) else {
                continue;
            };
            if inner_words.len() != 1 {
                continue;
            }
            let Some(name) = unquote_shell_word(rest).filter(|n| !n.is_empty()) else {
                continue;
            };
            let quotes = |s: &str| s.chars().filter(|&c| c == '\'' || c == '"').count();
            let expand = quotes(&name) == quotes(rest);
            let name_start = word.end - rest.len();
            heredocs.push(Heredoc {
                range: map.range(word.start, word.end),
                name,
                name_range: map.range(name_start, word.end),
                chomp,
                expand,
                file_descriptor: text[..digits].parse().unwrap_or(0),
                content: String::new(),
                body_range: TextRange::default(),
                terminator_range: None,
            });
        }
        heredocs
    }

    /// BuildKit's `newNodeFromLine` on the logical line `line`, which starts at logical
    /// offset `base`.
    fn node(&mut self, line: &str, base: usize, map: &SegmentMap) -> Instruction {
        let trimmed_start = line.len() - line.trim_start().len();
        let body = line.trim();
        let kw_len = body.find(is_token_whitespace).unwrap_or(body.len());
        let kw_start = base + trimmed_start;
        let keyword_text = &body[..kw_len];
        let keyword = Keyword::from_text(keyword_text);
        let after_kw = &body[kw_len..];
        let rest_offset = kw_start + kw_len;
        let (flags, args_start) = self.extract_flags(after_kw, rest_offset, map);
        let args_raw = &after_kw[args_start - rest_offset..];
        let args_trimmed = args_raw.trim();
        let args_base = args_start + (args_raw.len() - args_raw.trim_start().len());
        let rest = Word {
            text: args_trimmed.to_string(),
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
                map: map.clone(),
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
            let range = map.range(base + word_start, base + end);
            let (name, name_end, value) = match eq_at {
                Some((idx, at)) => {
                    let value_start = base + at + 1;
                    (
                        word[2..idx].to_string(),
                        base + at,
                        Some(Word {
                            text: word[idx + 1..].to_string(),
                            range: map.range(value_start, (base + end).max(value_start)),
                        }),
                    )
                }
                None => (word.get(2..).unwrap_or("").to_string(), base + end, None),
            };
            flags.push(Flag {
                range,
                name,
                name_range: map.range(base + word_start + 2, name_end.max(base + word_start + 2)),
                value,
            });
        }
    }

    fn args(&mut self, keyword: Keyword, rest: &str, base: usize, map: &SegmentMap) -> Args {
        let word = |w: RawWord| Word {
            text: w.text,
            range: map.range(base + w.start, base + w.end),
        };
        let whole = || Word {
            text: rest.to_string(),
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
                    .into_iter()
                    .map(|w| split_key_value(w, base, map, true))
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
                    .find(|c: char| c.is_ascii_whitespace() || c == '\u{b}' || c == '\u{c}')
                    .unwrap_or(rest.len());
                if sep == 0 {
                    return Args::Empty;
                }
                let kind = Word {
                    text: rest[..sep].to_string(),
                    range: map.range(base, base + sep),
                };
                let after = &rest[sep..];
                let cmd = after.trim_start();
                let cmd_base = base + sep + (after.len() - cmd.len());
                let command = if cmd.is_empty() {
                    Args::Empty
                } else {
                    self.maybe_json(cmd, cmd_base, map).unwrap_or_else(|| {
                        Args::Shell(Word {
                            text: cmd.to_string(),
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
                let inner = self.node(rest, base, map);
                Args::OnBuild(Box::new(inner))
            }
        }
    }

    /// BuildKit's `parseNameVal` for ENV and LABEL.
    fn name_values(&mut self, keyword: Keyword, rest: &str, base: usize, map: &SegmentMap) -> Args {
        let words = parse_words(rest, self.escape);
        let Some(first) = words.first() else {
            return Args::Empty;
        };
        if !first.text.contains('=') {
            // Legacy `ENV key value`: the value is the raw rest of the line.
            let key_end = rest.find(is_token_whitespace).unwrap_or(rest.len());
            let after = &rest[key_end..];
            let value = after.trim_start_matches(is_token_whitespace);
            let value_start = key_end + (after.len() - value.len());
            let key = Word {
                text: rest[..key_end].to_string(),
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
                text: value.to_string(),
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
            if !w.text.contains('=') {
                self.error(
                    map.range(base + w.start, base + w.end),
                    SyntaxErrorKind::InvalidKeyValue,
                    format!(
                        "Syntax error - can't find = in {:?}. Must be of the form: name=value",
                        w.text
                    ),
                );
            }
            pairs.push(split_key_value(w, base, map, false));
        }
        Args::KeyValues {
            pairs,
            legacy: false,
        }
    }

    /// BuildKit's `parseJSON`: `Some` when `rest` is a JSON array (of strings, or an error).
    fn maybe_json(&mut self, rest: &str, base: usize, map: &SegmentMap) -> Option<Args> {
        let trimmed = rest.trim_start();
        if !trimmed.starts_with('[') {
            return None;
        }
        // BuildKit decodes the first JSON value with a streaming decoder: text after the
        // array is ignored (`CMD ["a"] extra` is exec form).
        let mut stream =
            serde_json::Deserializer::from_str(trimmed).into_iter::<Vec<serde_json::Value>>();
        let values = stream.next()?.ok()?;
        let array_len = stream.byte_offset();
        let offset = base + (rest.len() - trimmed.len());
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
                text: v.as_str().unwrap_or_default().to_string(),
                range: map.range(offset + s, offset + e),
            })
            .collect();
        Some(Args::Exec {
            range: array_range,
            elements,
        })
    }
}

fn words_or_empty(words: Vec<RawWord>, word: impl Fn(RawWord) -> Word) -> Args {
    if words.is_empty() {
        Args::Empty
    } else {
        Args::Words(words.into_iter().map(word).collect())
    }
}

/// `KEY=value` -> key and value words. For ARG a word without `=` is a bare name.
fn split_key_value(w: RawWord, base: usize, map: &SegmentMap, bare_ok: bool) -> KeyValue {
    let range = map.range(base + w.start, base + w.end);
    match w.text.find('=') {
        Some(eq) => {
            // The word's text may differ in length from the source (none of the parse_words
            // transforms drop characters before the first `=`, so offsets hold up to it).
            let value_start = (w.start + eq + 1).min(w.end);
            KeyValue {
                range,
                key: Word {
                    text: w.text[..eq].to_string(),
                    range: map.range(base + w.start, base + w.start + eq),
                },
                value: Some(Word {
                    text: w.text[eq + 1..].to_string(),
                    range: map.range(base + value_start, base + w.end),
                }),
            }
        }
        None => {
            let _ = bare_ok;
            KeyValue {
                range,
                key: Word {
                    text: w.text,
                    range,
                },
                value: None,
            }
        }
    }
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

/// Whether BuildKit looks for heredocs in this instruction (RUN, COPY, ADD, also under
/// ONBUILD; never in JSON form).
fn heredoc_allowed(node: &Instruction) -> bool {
    let target = match &node.args {
        Args::OnBuild(inner) => inner.as_ref(),
        _ => node,
    };
    target.keyword.can_contain_heredoc() && !target.is_exec_form()
}
