//! Semantic tokens, full and for a range, with a legend that common themes colour well.
//!
//! Tokens are byte ranges that never overlap, never span a line break and come sorted;
//! [`encode`] turns them into LSP's relative `(deltaLine, deltaStart, length, type,
//! modifiers)` integers in the negotiated position encoding.

use crate::analysis::Analysis;
use crate::ide::index::var_refs_of;
use crate::model::{BaseImage, AUTOMATIC_PLATFORM_ARGS};
use crate::syntax::{Args, Flag, Instruction, Keyword, Word};
use crate::text::{Encoding, LineIndex, TextRange};

/// Token types, in legend order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
#[repr(u32)]
pub enum TokenType {
    /// Instruction keywords, `AS`, HEALTHCHECK `CMD`/`NONE`, heredoc delimiters.
    Keyword = 0,
    Comment = 1,
    /// Flag names (`--from`).
    Parameter = 2,
    /// Keys inside flag values (`type=`, `target=`) and LABEL keys.
    Property = 3,
    /// Stage names.
    Class = 4,
    /// `$VAR` references and ARG/ENV names.
    Variable = 5,
    /// JSON strings, values, heredoc bodies.
    String = 6,
    /// Image references in FROM.
    Type = 7,
    /// Parser directive names.
    Macro = 8,
    /// `=`, `<<`, line continuations.
    Operator = 9,
    /// Ports, numeric flag values.
    Number = 10,
}

/// The legend's token type names (LSP's predefined names).
pub const TOKEN_TYPES: &[&str] = &[
    "keyword",
    "comment",
    "parameter",
    "property",
    "class",
    "variable",
    "string",
    "type",
    "macro",
    "operator",
    "number",
];

/// The legend's modifier names; bit `i` of [`SemanticToken::modifiers`] is `TOKEN_MODIFIERS[i]`.
pub const TOKEN_MODIFIERS: &[&str] = &["declaration", "deprecated", "defaultLibrary"];

pub const MOD_DECLARATION: u32 = 1;
pub const MOD_DEPRECATED: u32 = 2;
pub const MOD_DEFAULT_LIBRARY: u32 = 4;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SemanticToken {
    pub start: u32,
    /// Length in bytes.
    pub len: u32,
    pub token_type: TokenType,
    pub modifiers: u32,
}

impl SemanticToken {
    pub fn start(&self) -> usize {
        self.start as usize
    }
    pub fn range(&self) -> TextRange {
        TextRange {
            start: self.start,
            end: self.start + self.len,
        }
    }
}

struct Collector<'a> {
    text: &'a str,
    /// Tokens of whole syntactic elements (a value string, a heredoc body).
    base: Vec<SemanticToken>,
    /// Tokens inside them (variables, stage names) that cut holes in the base tokens.
    overlay: Vec<SemanticToken>,
}

impl Collector<'_> {
    fn base(&mut self, range: TextRange, token_type: TokenType, modifiers: u32) {
        if !range.is_empty() && range.end() <= self.text.len() {
            self.base.push(SemanticToken {
                start: range.start,
                len: range.len() as u32,
                token_type,
                modifiers,
            });
        }
    }
    fn overlay(&mut self, range: TextRange, token_type: TokenType, modifiers: u32) {
        if !range.is_empty() && range.end() <= self.text.len() {
            self.overlay.push(SemanticToken {
                start: range.start,
                len: range.len() as u32,
                token_type,
                modifiers,
            });
        }
    }

    /// Splits at line breaks, cuts overlays out of base tokens and sorts.
    fn finish(mut self) -> Vec<SemanticToken> {
        self.overlay.sort_by_key(|t| t.start);
        // Overlays never overlap one another; keep the first if they do.
        let mut overlays: Vec<SemanticToken> = Vec::with_capacity(self.overlay.len());
        for t in self.overlay {
            if overlays
                .last()
                .is_none_or(|last| last.range().end() <= t.start())
            {
                overlays.push(t);
            }
        }
        self.base
            .sort_by_key(|t| (t.start, std::cmp::Reverse(t.len)));
        let mut out: Vec<SemanticToken> = Vec::with_capacity(self.base.len() + overlays.len());
        let mut covered_to = 0usize;
        // Base tokens come by increasing start, so the first overlay to look at only moves on.
        let mut first = 0usize;
        for t in self.base {
            let range = t.range();
            let mut start = range.start().max(covered_to);
            if start >= range.end() {
                continue;
            }
            while overlays
                .get(first)
                .is_some_and(|o| o.range().end() <= start)
            {
                first += 1;
            }
            for o in &overlays[first..] {
                if o.start() >= range.end() {
                    break;
                }
                if o.start() > start {
                    out.push(SemanticToken {
                        start: start as u32,
                        len: (o.start() - start) as u32,
                        ..t
                    });
                }
                start = start.max(o.range().end());
            }
            if start < range.end() {
                out.push(SemanticToken {
                    start: start as u32,
                    len: (range.end() - start) as u32,
                    ..t
                });
            }
            covered_to = range.end();
        }
        let mut merged = Vec::with_capacity(out.len() + overlays.len());
        let (mut a, mut b) = (out.into_iter().peekable(), overlays.into_iter().peekable());
        loop {
            let take_a = match (a.peek(), b.peek()) {
                (Some(x), Some(y)) => x.start <= y.start,
                (Some(_), None) => true,
                (None, Some(_)) => false,
                (None, None) => break,
            };
            merged.extend(if take_a { a.next() } else { b.next() });
        }
        split_lines(self.text, merged)
    }
}

/// Splits tokens that contain line breaks into one token per line.
fn split_lines(text: &str, tokens: Vec<SemanticToken>) -> Vec<SemanticToken> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(tokens.len());
    for t in tokens {
        let range = t.range();
        let slice = &bytes[range.as_range()];
        if memchr::memchr2(b'\n', b'\r', slice).is_none() {
            out.push(t);
            continue;
        }
        let mut start = range.start();
        let mut i = range.start();
        while i < range.end() {
            if bytes[i] == b'\n' || bytes[i] == b'\r' {
                if i > start {
                    out.push(SemanticToken {
                        start: start as u32,
                        len: (i - start) as u32,
                        ..t
                    });
                }
                start = i + 1;
            }
            i += 1;
        }
        if range.end() > start {
            out.push(SemanticToken {
                start: start as u32,
                len: (range.end() - start) as u32,
                ..t
            });
        }
    }
    out
}

/// Every token of the document.
pub fn semantic_tokens(analysis: &Analysis) -> Vec<SemanticToken> {
    tokens_in(analysis, TextRange::new(0, analysis.text.len()))
}

/// The tokens that intersect `range`.
pub fn semantic_tokens_range(analysis: &Analysis, range: TextRange) -> Vec<SemanticToken> {
    tokens_in(analysis, range)
}

fn intersects(a: TextRange, b: TextRange) -> bool {
    a.start() < b.end() && b.start() < a.end() || (a.is_empty() && b.contains_inclusive(a.start()))
}

fn tokens_in(analysis: &Analysis, range: TextRange) -> Vec<SemanticToken> {
    let (text, tree, model) = (analysis.text.as_str(), &analysis.tree, &analysis.model);
    let mut c = Collector {
        text,
        base: Vec::new(),
        overlay: Vec::new(),
    };
    for d in &tree.directives {
        if !intersects(d.range, range) {
            continue;
        }
        c.base(
            TextRange::new(d.range.start(), d.name_range.start()),
            TokenType::Comment,
            0,
        );
        c.base(d.name_range, TokenType::Macro, 0);
        if let Some(eq) = text
            .get(d.name_range.end()..d.value_range.start())
            .and_then(|s| s.find('='))
        {
            let at = d.name_range.end() + eq;
            c.base(TextRange::new(at, at + 1), TokenType::Operator, 0);
        }
        c.base(d.value_range, TokenType::String, 0);
    }
    // Comments and instructions in source order, each instruction's tokens sorted as they
    // are added, so that the final sort only has to confirm the order.
    let mut comments = tree.comments[tree.comments.partition_point(|r| r.end() < range.start())..]
        .iter()
        .take_while(|r| r.start() <= range.end())
        .peekable();
    let first = tree
        .instructions
        .partition_point(|i| i.range.end() < range.start());
    for idx in first..tree.instructions.len() {
        let inst = &tree.instructions[idx];
        if inst.range.start() > range.end() {
            break;
        }
        while let Some(comment) = comments.next_if(|r| r.start() < inst.range.start()) {
            c.base(*comment, TokenType::Comment, 0);
        }
        let from = c.base.len();
        instruction_tokens(&mut c, analysis, idx, inst);
        // Comment lines inside a continuation.
        while let Some(comment) = comments.next_if(|r| r.start() <= inst.range.end()) {
            c.base(*comment, TokenType::Comment, 0);
        }
        c.base[from..].sort_unstable_by_key(|t| (t.start, std::cmp::Reverse(t.len)));
        for r in var_refs_of(text, tree, idx) {
            let modifiers = if AUTOMATIC_PLATFORM_ARGS.contains(&r.name.as_str()) {
                MOD_DEFAULT_LIBRARY
            } else {
                0
            };
            c.overlay(r.range, TokenType::Variable, modifiers);
        }
    }
    for comment in comments {
        c.base(*comment, TokenType::Comment, 0);
    }
    let first_ref = model
        .stage_refs
        .partition_point(|r| r.range.end() < range.start());
    for r in &model.stage_refs[first_ref..] {
        if r.range.start() > range.end() {
            break;
        }
        if !r.name.contains('$') {
            c.overlay(r.range, TokenType::Class, 0);
        }
    }
    let mut tokens = c.finish();
    if range.start() > 0 || range.end() < text.len() {
        tokens.retain(|t| intersects(t.range(), range));
    }
    tokens
}

fn instruction_tokens(c: &mut Collector, analysis: &Analysis, idx: usize, inst: &Instruction) {
    let text = analysis.text.as_str();
    let modifiers = if inst.keyword == Keyword::Maintainer {
        MOD_DEPRECATED
    } else {
        0
    };
    c.base(inst.keyword_range, TokenType::Keyword, modifiers);
    continuation_tokens(c, analysis, inst);
    let eff = match &inst.args {
        Args::OnBuild(inner) => {
            c.base(inner.keyword_range, TokenType::Keyword, 0);
            inner.as_ref()
        }
        _ => inst,
    };
    for flag in &eff.flags {
        flag_tokens(c, text, flag);
    }
    match &eff.args {
        Args::Words(words) if eff.keyword == Keyword::From => {
            let stage = crate::ide::index::stage_starting_at(&analysis.model, idx);
            if let Some(image) = words.first() {
                let is_stage = stage.is_some_and(|s| matches!(s.base, BaseImage::Stage(_)));
                if !is_stage {
                    c.base(image.range, TokenType::Type, 0);
                }
            }
            if let Some(as_kw) = words.get(1).filter(|w| w.text.eq_ignore_ascii_case("as")) {
                c.base(as_kw.range, TokenType::Keyword, 0);
                if let Some(name) = words.get(2) {
                    c.base(name.range, TokenType::Class, MOD_DECLARATION);
                }
            }
        }
        Args::Words(words) if eff.keyword == Keyword::Expose => {
            for w in words {
                let digits = w
                    .text
                    .bytes()
                    .take_while(|b| b.is_ascii_digit() || *b == b'-')
                    .count();
                if digits > 0 && w.range.len() == w.text.len() {
                    c.base(
                        TextRange::new(w.range.start(), w.range.start() + digits),
                        TokenType::Number,
                        0,
                    );
                }
            }
        }
        Args::String(w) if eff.keyword == Keyword::Stopsignal => {
            let kind = if w.text.bytes().all(|b| b.is_ascii_digit()) {
                TokenType::Number
            } else {
                TokenType::String
            };
            c.base(w.range, kind, 0);
        }
        Args::Exec { elements, .. } => strings(c, elements),
        Args::KeyValues { pairs, .. } => {
            let (key_type, key_mod) = match eff.keyword {
                Keyword::Label => (TokenType::Property, 0),
                _ => (TokenType::Variable, MOD_DECLARATION),
            };
            for pair in pairs {
                c.base(pair.key.range, key_type, key_mod);
                if let Some(value) = &pair.value {
                    let between = TextRange::new(pair.key.range.end(), value.range.start());
                    if text.get(between.as_range()) == Some("=") {
                        c.base(between, TokenType::Operator, 0);
                    }
                    c.base(value.range, TokenType::String, 0);
                }
            }
        }
        Args::Healthcheck { kind, command } => {
            c.base(kind.range, TokenType::Keyword, 0);
            if let Args::Exec { elements, .. } = command.as_ref() {
                strings(c, elements);
            }
        }
        _ => {}
    }
    for heredoc in &eff.heredocs {
        let name_start = heredoc.name_range.start();
        c.base(
            TextRange::new(heredoc.range.start(), name_start),
            TokenType::Operator,
            0,
        );
        c.base(heredoc.name_range, TokenType::Keyword, 0);
        c.base(heredoc.body_range, TokenType::String, 0);
        if let Some(t) = heredoc.terminator_range {
            c.base(t, TokenType::Keyword, 0);
        }
    }
}

fn strings(c: &mut Collector, elements: &[Word]) {
    for e in elements {
        c.base(e.range, TokenType::String, 0);
    }
}

fn flag_tokens(c: &mut Collector, text: &str, flag: &Flag) {
    c.base(
        TextRange::new(flag.range.start(), flag.name_range.end()),
        TokenType::Parameter,
        0,
    );
    let Some(value) = &flag.value else { return };
    let eq = TextRange::new(flag.name_range.end(), value.range.start());
    if text.get(eq.as_range()) == Some("=") {
        c.base(eq, TokenType::Operator, 0);
    }
    let Some(src) = text.get(value.range.as_range()) else {
        return;
    };
    if flag.name.eq_ignore_ascii_case("mount") && src.len() == value.text.len() {
        let mut start = value.range.start();
        for field in src.split(',') {
            match field.split_once('=') {
                Some((key, v)) => {
                    c.base(
                        TextRange::new(start, start + key.len()),
                        TokenType::Property,
                        0,
                    );
                    c.base(
                        TextRange::new(start + key.len(), start + key.len() + 1),
                        TokenType::Operator,
                        0,
                    );
                    let v_start = start + key.len() + 1;
                    c.base(
                        TextRange::new(v_start, v_start + v.len()),
                        TokenType::String,
                        0,
                    );
                }
                None => c.base(
                    TextRange::new(start, start + field.len()),
                    TokenType::Property,
                    0,
                ),
            }
            start += field.len() + 1;
        }
        return;
    }
    let kind = if !src.is_empty() && src.bytes().all(|b| b.is_ascii_digit()) {
        TokenType::Number
    } else {
        TokenType::String
    };
    c.base(value.range, kind, 0);
}

/// The escape characters that continue the instruction's lines.
fn continuation_tokens(c: &mut Collector, analysis: &Analysis, inst: &Instruction) {
    if inst.start_line == inst.end_line {
        return;
    }
    let text = analysis.text.as_str();
    let escape = analysis.tree.escape;
    let index = &analysis.line_index;
    let eff = inst.effective();
    let header_end = eff.heredocs.first().map_or(inst.range.end(), |h| {
        h.body_range.start().min(inst.range.end())
    });
    let last_line = index.line_of(header_end.saturating_sub(1).max(inst.range.start()));
    for line in inst.start_line as usize..=last_line {
        let start = index.line_start(line);
        let end = index.line_end(text, line);
        let Some(line_text) = text.get(start..end) else {
            continue;
        };
        if line_text.trim_start().starts_with('#') {
            continue;
        }
        let trimmed = line_text.trim_end_matches([' ', '\t']);
        if trimmed.ends_with(escape) {
            let at = start + trimmed.len() - escape.len_utf8();
            c.base(
                TextRange::new(at, at + escape.len_utf8()),
                TokenType::Operator,
                0,
            );
        }
    }
}

/// LSP's relative encoding of sorted, single-line tokens: `deltaLine`, `deltaStart` (from
/// the previous token's start when on the same line), `length`, `tokenType`,
/// `tokenModifiers`, with columns and lengths in `encoding` units.
pub fn encode(
    text: &str,
    index: &LineIndex,
    tokens: &[SemanticToken],
    encoding: Encoding,
) -> Vec<u32> {
    let mut out = Vec::with_capacity(tokens.len() * 5);
    let (mut prev_line, mut prev_col) = (0u32, 0u32);
    let (mut line, mut next_line_start) = (0usize, index.line_start(1));
    // Units are counted from the previous token, not from the line start each time.
    let (mut col_at, mut col) = (0usize, 0u32);
    let units = |s: &str| -> u32 {
        match encoding {
            Encoding::Utf8 => s.len() as u32,
            Encoding::Utf16 if s.is_ascii() => s.len() as u32,
            Encoding::Utf16 => s.chars().map(char::len_utf16).sum::<usize>() as u32,
        }
    };
    for t in tokens {
        let start = t.start();
        let end = start + t.len as usize;
        if end > text.len() || !text.is_char_boundary(start) || !text.is_char_boundary(end) {
            continue;
        }
        if start < col_at || start >= next_line_start && line + 1 < index.line_count() {
            line = index.line_of(start);
            next_line_start = index.line_start(line + 1);
            col_at = index.line_start(line);
            col = 0;
        }
        col += units(&text[col_at..start]);
        col_at = start;
        let length = units(&text[start..end]);
        let line_u32 = line as u32;
        let delta_line = line_u32.saturating_sub(prev_line);
        let delta_start = if delta_line == 0 {
            col.saturating_sub(prev_col)
        } else {
            col
        };
        out.extend_from_slice(&[
            delta_line,
            delta_start,
            length,
            t.token_type as u32,
            t.modifiers,
        ]);
        prev_line = line_u32;
        prev_col = col;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ide::test_support::analysis;

    fn render(text: &str, tokens: &[SemanticToken]) -> Vec<String> {
        tokens
            .iter()
            .map(|t| {
                let mods = match t.modifiers {
                    0 => String::new(),
                    m => format!("+{m}"),
                };
                format!("{:?}{mods} {}", t.token_type, &text[t.range().as_range()])
            })
            .collect()
    }

    fn check_invariants(text: &str, tokens: &[SemanticToken]) {
        for pair in tokens.windows(2) {
            assert!(
                pair[0].range().end() <= pair[1].start(),
                "overlap or unsorted: {pair:?}"
            );
        }
        for t in tokens {
            assert!(t.len > 0);
            assert!(!text[t.range().as_range()].contains(['\n', '\r']), "{t:?}");
        }
    }

    #[test]
    fn tokens_of_a_dotnet_dockerfile() {
        let text = "# syntax=docker/dockerfile:1\n# build stage\nARG V=9.0\nFROM --platform=$BUILDPLATFORM mcr.microsoft.com/dotnet/sdk:$V AS build\nRUN --mount=type=cache,target=/root/.nuget/packages \\\n    dotnet restore -a $TARGETARCH\nCOPY --from=build --chmod=755 [\"/a b\", \"./\"]\nLABEL org.title=\"App\"\nEXPOSE 8080/tcp\nMAINTAINER me\n";
        let a = analysis(text);
        let tokens = semantic_tokens(&a);
        check_invariants(text, &tokens);
        assert_eq!(
            render(text, &tokens),
            [
                "Comment # ",
                "Macro syntax",
                "Operator =",
                "String docker/dockerfile:1",
                "Comment # build stage",
                "Keyword ARG",
                "Variable+1 V",
                "Operator =",
                "String 9.0",
                "Keyword FROM",
                "Parameter --platform",
                "Operator =",
                "Variable+4 $BUILDPLATFORM",
                "Type mcr.microsoft.com/dotnet/sdk:",
                "Variable $V",
                "Keyword AS",
                "Class+1 build",
                "Keyword RUN",
                "Parameter --mount",
                "Operator =",
                "Property type",
                "Operator =",
                "String cache",
                "Property target",
                "Operator =",
                "String /root/.nuget/packages",
                "Operator \\",
                "Variable+4 $TARGETARCH",
                "Keyword COPY",
                "Parameter --from",
                "Operator =",
                "Class build",
                "Parameter --chmod",
                "Operator =",
                "Number 755",
                "String \"/a b\"",
                "String \"./\"",
                "Keyword LABEL",
                "Property org.title",
                "Operator =",
                "String \"App\"",
                "Keyword EXPOSE",
                "Number 8080",
                "Keyword+2 MAINTAINER",
            ]
        );
    }

    #[test]
    fn heredoc_bodies_are_strings_split_per_line() {
        let text = "FROM a AS base\nFROM base\nRUN <<-EOF\n\techo $HOME\n\tdone\n\tEOF\n";
        let a = analysis(text);
        let tokens = semantic_tokens(&a);
        check_invariants(text, &tokens);
        assert_eq!(
            render(text, &tokens),
            [
                "Keyword FROM",
                "Type a",
                "Keyword AS",
                "Class+1 base",
                "Keyword FROM",
                "Class base",
                "Keyword RUN",
                "Operator <<-",
                "Keyword EOF",
                "String \techo ",
                "Variable $HOME",
                "String \tdone",
                "Keyword \tEOF",
            ]
        );
    }

    #[test]
    fn range_requests_return_the_intersecting_tokens() {
        let text = "FROM a\nENV X=1\nRUN echo $X\n";
        let a = analysis(text);
        let start = text.find("RUN").unwrap();
        let tokens = semantic_tokens_range(&a, TextRange::new(start, text.len()));
        assert_eq!(render(text, &tokens), ["Keyword RUN", "Variable $X"]);
    }

    #[test]
    fn encoding_in_utf8_and_utf16_with_non_ascii_text() {
        let text = "FROM a\nLABEL 日本語=\"🐳\" k=v\nENV X=🐳$HOME\n";
        let a = analysis(text);
        let tokens = semantic_tokens(&a);
        check_invariants(text, &tokens);
        assert_eq!(
            render(text, &tokens),
            [
                "Keyword FROM",
                "Type a",
                "Keyword LABEL",
                "Property 日本語",
                "Operator =",
                "String \"🐳\"",
                "Property k",
                "Operator =",
                "String v",
                "Keyword ENV",
                "Variable+1 X",
                "Operator =",
                "String 🐳",
                "Variable $HOME",
            ]
        );
        let utf16 = encode(text, &a.line_index, &tokens, Encoding::Utf16);
        #[rustfmt::skip]
        assert_eq!(utf16, [
            0, 0, 4, 0, 0,
            0, 5, 1, 7, 0,
            1, 0, 5, 0, 0,
            0, 6, 3, 3, 0,
            0, 3, 1, 9, 0,
            0, 1, 4, 6, 0,
            0, 5, 1, 3, 0,
            0, 1, 1, 9, 0,
            0, 1, 1, 6, 0,
            1, 0, 3, 0, 0,
            0, 4, 1, 5, 1,
            0, 1, 1, 9, 0,
            0, 1, 2, 6, 0,
            0, 2, 5, 5, 0,
        ]);
        let utf8 = encode(text, &a.line_index, &tokens, Encoding::Utf8);
        #[rustfmt::skip]
        assert_eq!(utf8, [
            0, 0, 4, 0, 0,
            0, 5, 1, 7, 0,
            1, 0, 5, 0, 0,
            0, 6, 9, 3, 0,
            0, 9, 1, 9, 0,
            0, 1, 6, 6, 0,
            0, 7, 1, 3, 0,
            0, 1, 1, 9, 0,
            0, 1, 1, 6, 0,
            1, 0, 3, 0, 0,
            0, 4, 1, 5, 1,
            0, 1, 1, 9, 0,
            0, 1, 4, 6, 0,
            0, 4, 5, 5, 0,
        ]);
    }

    #[test]
    fn generated_file_has_valid_tokens() {
        let text = crate::bench_support::generated_dockerfile(300);
        let a = analysis(&text);
        let tokens = semantic_tokens(&a);
        check_invariants(&text, &tokens);
        assert_eq!(tokens.len(), 831);
        let data = encode(&text, &a.line_index, &tokens, Encoding::Utf16);
        assert_eq!(data.len(), tokens.len() * 5);
    }
}
