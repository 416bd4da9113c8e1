//! Helpers shared by the validation rules: mapping offsets inside a word back to the source,
//! and the flags each instruction accepts. The rules look at ONBUILD triggers too (BuildKit
//! parses a trigger when a child image builds `FROM` this one, so a bad trigger breaks every
//! image built on top): they are called for them by the pass over the instructions, asking
//! for [`crate::rules::Interest::with_triggers`] or [`crate::rules::Interest::flagged`].

use crate::syntax::{Args, Instruction, KeyValue, Keyword, SyntaxTree, Word};
use crate::text::TextRange;

/// The source range of `start..end`, byte offsets into `word.text`. Exact when the word's
/// text is its source (no quotes removed, no continuation inside); otherwise the whole word.
pub fn word_sub_range(source: &str, word: &Word, start: usize, end: usize) -> TextRange {
    let raw = source.get(word.range.as_range()).unwrap_or("");
    if raw == word.text && start <= end && end <= word.text.len() {
        TextRange::new(word.range.start() + start, word.range.start() + end)
    } else {
        word.range
    }
}

/// From the start of a flag (`--`) to the end of its name: `--chwon` in `--chwon=app`.
pub fn flag_name_span(flag: &crate::syntax::Flag) -> TextRange {
    TextRange::new(
        flag.range.start(),
        flag.name_range.end().max(flag.range.start()),
    )
}

/// Whether `# syntax=` selects the labs channel, which accepts experimental flags.
pub fn uses_labs_syntax(tree: &SyntaxTree) -> bool {
    tree.directives
        .iter()
        .any(|d| d.name == "syntax" && d.value.contains("labs"))
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FlagKind {
    /// `--name=value`, at most once.
    String,
    /// `--name`, `--name=true|false`, at most once.
    Bool,
    /// `--name=value`, may repeat.
    Strings,
}

/// The flags BuildKit's stable Dockerfile frontend accepts for an instruction.
pub fn allowed_flags(keyword: Keyword, labs: bool) -> &'static [(&'static str, FlagKind)] {
    use FlagKind::*;
    match keyword {
        Keyword::From => &[("platform", String)],
        Keyword::Copy => &[
            ("from", String),
            ("chown", String),
            ("chmod", String),
            ("link", Bool),
            ("parents", Bool),
            ("exclude", Strings),
        ],
        Keyword::Add => &[
            ("chown", String),
            ("chmod", String),
            ("link", Bool),
            ("checksum", String),
            ("keep-git-dir", Bool),
            ("exclude", Strings),
            ("unpack", Bool),
        ],
        Keyword::Run if labs => &[
            ("mount", Strings),
            ("network", String),
            ("security", String),
            ("device", Strings),
        ],
        Keyword::Run => &[
            ("mount", Strings),
            ("network", String),
            ("security", String),
        ],
        Keyword::Healthcheck => &[
            ("interval", String),
            ("timeout", String),
            ("start-period", String),
            ("start-interval", String),
            ("retries", String),
        ],
        _ => &[],
    }
}

/// The kind of a flag known to the instruction, if it is known.
pub fn flag_kind(keyword: Keyword, labs: bool, name: &str) -> Option<FlagKind> {
    allowed_flags(keyword, labs)
        .iter()
        .find(|(n, _)| *n == name)
        .map(|&(_, kind)| kind)
}

/// Whether `HEALTHCHECK NONE`: BuildKit does not read its flags at all.
pub fn is_healthcheck_none(inst: &Instruction) -> bool {
    matches!(&inst.args, Args::Healthcheck { kind, .. } if kind.text.eq_ignore_ascii_case("none"))
}

/// The text a keyword was written with (`run`, `RUNN`).
pub fn keyword_text<'a>(source: &'a str, inst: &Instruction) -> &'a str {
    source.get(inst.keyword_range.as_range()).unwrap_or("")
}

/// The display name of an instruction: `COPY`, or the text of an unknown keyword.
pub fn instruction_name(source: &str, inst: &Instruction) -> String {
    match inst.keyword {
        Keyword::Unknown => keyword_text(source, inst).to_ascii_uppercase(),
        k => k.as_str().to_string(),
    }
}

/// The keywords of the instructions [`expanded_words`] finds words in.
pub const EXPANDED_KEYWORDS: &[Keyword] = &[
    Keyword::Env,
    Keyword::Label,
    Keyword::Arg,
    Keyword::Workdir,
    Keyword::User,
    Keyword::Stopsignal,
    Keyword::From,
    Keyword::Copy,
    Keyword::Add,
    Keyword::Volume,
    Keyword::Expose,
];

/// The words BuildKit runs through its shell-like word processor (variable substitution and
/// quote removal) before using them, with whether the word is raw Dockerfile text (`false`
/// for JSON strings, which are already unquoted).
pub fn expanded_words(inst: &Instruction) -> impl Iterator<Item = (&Word, bool)> {
    // Pairs (with or without their keys), then plain words.
    let (pairs, keys, words, raw): (&[KeyValue], bool, &[Word], bool) =
        match (&inst.keyword, &inst.args) {
            (Keyword::Env | Keyword::Label, Args::KeyValues { pairs, .. }) => {
                (pairs, true, &[], true)
            }
            (Keyword::Arg, Args::KeyValues { pairs, .. }) => (pairs, false, &[], true),
            (Keyword::Workdir | Keyword::User | Keyword::Stopsignal, Args::String(w)) => {
                (&[], false, std::slice::from_ref(w), true)
            }
            (Keyword::From, Args::Words(words)) => (&[], false, &words[..words.len().min(1)], true),
            (
                Keyword::Copy | Keyword::Add | Keyword::Volume | Keyword::Expose,
                Args::Words(words),
            ) => (&[], false, words, true),
            (Keyword::Copy | Keyword::Add | Keyword::Volume, Args::Exec { elements, .. }) => {
                (&[], false, elements, false)
            }
            _ => (&[], false, &[], true),
        };
    pairs
        .iter()
        .flat_map(move |p| keys.then_some(&p.key).into_iter().chain(p.value.as_ref()))
        .chain(words)
        .map(move |w| (w, raw))
}
