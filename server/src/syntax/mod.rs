//! Dockerfile syntax: a lossless, error-tolerant parser that follows BuildKit's rules.
//!
//! [`parse`] never fails. It returns every instruction it could read, with byte ranges for
//! keywords, flags, arguments, JSON elements and heredocs, plus [`SyntaxError`]s for what
//! BuildKit would reject. The argument values are exactly what BuildKit's parser gives
//! (`tests/buildkit_differential.rs` checks this against BuildKit itself).

mod keyword;
mod parser;
pub(crate) mod words;

pub use keyword::Keyword;
#[cfg(test)]
pub(crate) use parser::parse_with_line_starts;
pub use parser::{parse, parse_bytes};
pub(crate) use parser::{parse_bytes_visiting, parse_bytes_with_line_starts, parse_visiting};

/// Receives each instruction as the parser reads it (see [`parse_visiting`]).
pub(crate) trait InstructionSink {
    /// Before the first instruction: an estimate of the counts, from the first word of each
    /// line, so that tables can be sized once.
    fn expect(&mut self, estimate: &KeywordCounts);
    /// Instruction `idx`, before it joins the tree.
    fn push(&mut self, idx: usize, instruction: &Instruction);
}

/// A sink that keeps nothing.
impl InstructionSink for () {
    fn expect(&mut self, _: &KeywordCounts) {}
    fn push(&mut self, _: usize, _: &Instruction) {}
}
pub use words::split_shell_words;

pub use crate::text::TextRange;

/// The result of parsing one Dockerfile.
#[derive(Clone, Debug, Default)]
pub struct SyntaxTree {
    /// The escape character in force: `\` or `` ` `` (from `# escape=`).
    pub escape: char,
    /// Parser directives (`# syntax=`, `# escape=`, `# check=`) from the top of the file.
    pub directives: Vec<Directive>,
    pub instructions: Vec<Instruction>,
    /// Every comment line, including those inside continuations; not the directives.
    pub comments: Vec<TextRange>,
    pub errors: Vec<SyntaxError>,
    /// Counted as the instructions are read, so that later passes can size their tables
    /// without walking the instructions first (a walk that, at tens of thousands of
    /// instructions, costs a cache miss per instruction).
    pub keyword_counts: KeywordCounts,
    /// Per instruction, what the rules' keyword index reads, gathered while the instruction
    /// and its text are in cache (walking 19,000 instructions again costs a miss each).
    pub(crate) keys: InstructionKeys,
}

/// Per instruction, in file order: its keyword, the keywords it runs, whether it has flags,
/// which marks its source holds and how its keyword is written.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct InstructionKeys {
    pub(crate) keywords: Vec<Keyword>,
    /// Bit `1 << keyword` for the instruction's keyword and those of its ONBUILD triggers.
    pub(crate) nested: Vec<u32>,
    /// Whether the instruction or one of its ONBUILD triggers has flags.
    pub(crate) flagged: Vec<bool>,
    /// [`InstructionKeys::DOLLAR`] and [`InstructionKeys::QUOTE`] bits of the instruction's
    /// whole source range.
    pub(crate) marks: Vec<u8>,
    /// [`InstructionKeys::LOWER`] and [`InstructionKeys::UPPER`] bits of the keyword as
    /// written, or [`InstructionKeys::NOT_ASCII`] (left for the reader to work out).
    pub(crate) casings: Vec<u8>,
}

impl InstructionKeys {
    /// The source holds a `$` or a `\`.
    pub(crate) const DOLLAR: u8 = 1;
    /// The source holds a `"` or a `'`.
    pub(crate) const QUOTE: u8 = 2;
    /// The keyword has no upper-case ASCII letter.
    pub(crate) const LOWER: u8 = 1;
    /// The keyword has no lower-case ASCII letter.
    pub(crate) const UPPER: u8 = 2;
    /// The keyword is not ASCII.
    pub(crate) const NOT_ASCII: u8 = 4;

    /// How many instructions are recorded.
    pub(crate) fn len(&self) -> usize {
        self.keywords.len()
    }

    fn reserve(&mut self, additional: usize) {
        self.keywords.reserve(additional);
        self.nested.reserve(additional);
        self.flagged.reserve(additional);
        self.marks.reserve(additional);
        self.casings.reserve(additional);
    }
}

/// How many instructions run each keyword.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct KeywordCounts {
    /// Per keyword, the instructions whose [`Instruction::effective`] has it.
    effective: [u32; Keyword::Unknown as usize + 1],
    /// The instructions but FROM whose [`Instruction::effective`] has flags.
    flagged: u32,
}

impl KeywordCounts {
    /// The instructions that run `keyword`, themselves or as an ONBUILD trigger.
    pub fn of(&self, keyword: Keyword) -> usize {
        self.effective[keyword as usize] as usize
    }

    /// The instructions but FROM that have flags, themselves or in their ONBUILD trigger.
    pub fn flagged(&self) -> usize {
        self.flagged as usize
    }

    /// Counts a line starting with `keyword` into an estimate (see
    /// [`InstructionSink::expect`]); each COPY, ADD and RUN is assumed to have flags.
    fn estimate_line(&mut self, keyword: Keyword) {
        self.effective[keyword as usize] += 1;
        if matches!(keyword, Keyword::Copy | Keyword::Add | Keyword::Run) {
            self.flagged += 1;
        }
    }

    pub(crate) fn count(&mut self, instruction: &Instruction) {
        let effective = instruction.effective();
        self.effective[effective.keyword as usize] += 1;
        if instruction.keyword != Keyword::From && !effective.flags.is_empty() {
            self.flagged += 1;
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Directive {
    pub range: TextRange,
    /// Lower-cased name: `syntax`, `escape` or `check`.
    pub name: String,
    pub name_range: TextRange,
    pub value: String,
    pub value_range: TextRange,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SyntaxError {
    pub range: TextRange,
    pub kind: SyntaxErrorKind,
    pub message: String,
}

/// What BuildKit would reject; each kind is reported under its own rule name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SyntaxErrorKind {
    /// `ENV X`, `LABEL x`, `ENV a=1 b`: a key without a value.
    InvalidKeyValue,
    /// A JSON array with elements that are not strings (BuildKit rejects the file).
    JsonNotStringArray,
    UnterminatedHeredoc,
    /// `# escape=x` with something other than `\` or `` ` ``.
    InvalidEscapeDirective,
    DuplicateDirective,
    /// A file with no instruction at all.
    NoInstructions,
    /// `ONBUILD` with `ONBUILD`, `FROM` or `MAINTAINER`, or with nothing.
    InvalidOnbuild,
    /// A line longer than BuildKit's scanner accepts.
    LineTooLong,
    /// Bytes that are not UTF-8 (replaced before parsing).
    InvalidUtf8,
    /// A NUL byte in the text.
    NulByte,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Instruction {
    /// From the keyword to the end of the last line that belongs to the instruction
    /// (continuation lines and heredoc bodies with their terminators), without the final
    /// line break.
    pub range: TextRange,
    pub keyword: Keyword,
    pub keyword_range: TextRange,
    pub flags: Vec<Flag>,
    pub args: Args,
    pub heredocs: Vec<Heredoc>,
    /// Zero-based first and last line of `range`.
    pub start_line: u32,
    pub end_line: u32,
    /// The logical line after the flags, continuations removed (BuildKit's `rest`).
    pub rest: Word,
    /// Comment lines and empty lines inside the continuation (the latter are
    /// BuildKit's NoEmptyContinuation warning).
    pub empty_continuation_lines: Vec<TextRange>,
    pub(crate) rest_map: RestMap,
}

/// Maps offsets in [`Instruction::rest`]'s text back to the source.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct RestMap {
    pub(crate) map: parser::SegmentMap,
    pub(crate) offset: usize,
}

/// A flag such as `--from=build` or `--link`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Flag {
    pub range: TextRange,
    /// The name without dashes: `from`, `link`.
    pub name: String,
    pub name_range: TextRange,
    pub value: Option<Word>,
}

/// A piece of text with the source range it came from. `text` is the value as BuildKit
/// gives it (quotes kept where BuildKit keeps them, JSON strings unescaped).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Word {
    pub text: compact_str::CompactString,
    pub range: TextRange,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeyValue {
    pub range: TextRange,
    pub key: Word,
    /// `None` for `ARG NAME` without a default.
    pub value: Option<Word>,
}

/// The arguments of an instruction, shaped by BuildKit's per-instruction rules.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Args {
    Empty,
    /// JSON (exec) form: `["dotnet", "App.dll"]`; `range` covers the brackets.
    Exec {
        range: TextRange,
        elements: Vec<Word>,
    },
    /// Shell form of RUN, CMD, ENTRYPOINT, SHELL: the whole logical line.
    Shell(Word),
    /// Whitespace-separated words: FROM, EXPOSE, COPY, ADD, VOLUME (non-JSON).
    Words(Vec<Word>),
    /// One string: USER, WORKDIR, MAINTAINER, STOPSIGNAL and unknown instructions.
    String(Word),
    /// `ENV`/`LABEL` pairs (`k=v` or the legacy `k v`) and `ARG` names with optional defaults.
    KeyValues {
        pairs: Vec<KeyValue>,
        /// The legacy `ENV key value` form.
        legacy: bool,
    },
    /// `HEALTHCHECK NONE` or `HEALTHCHECK CMD ...`.
    Healthcheck {
        kind: Word,
        command: Box<Args>,
    },
    /// `ONBUILD <instruction>`.
    OnBuild(Box<Instruction>),
}

/// A heredoc such as `<<EOF` or `<<-"EOT"`, with its body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Heredoc {
    /// The `<<EOF` token in the instruction line.
    pub range: TextRange,
    /// The delimiter name without quotes.
    pub name: String,
    pub name_range: TextRange,
    /// `<<-`: leading tabs are stripped.
    pub chomp: bool,
    /// Unquoted delimiters expand variables in the body.
    pub expand: bool,
    /// A file-descriptor prefix, as in `2<<EOF`.
    pub file_descriptor: u32,
    /// The body lines as BuildKit gives them (each with its line break).
    pub content: String,
    pub body_range: TextRange,
    /// The terminator line; `None` when the heredoc runs to the end of the file.
    pub terminator_range: Option<TextRange>,
}

impl SyntaxTree {
    /// The instruction whose range contains `offset` (touching its end counts).
    pub fn instruction_at(&self, offset: usize) -> Option<&Instruction> {
        let idx = self
            .instructions
            .partition_point(|i| i.range.end() < offset);
        self.instructions
            .get(idx)
            .filter(|i| i.range.contains_inclusive(offset))
    }
}

impl Instruction {
    pub fn flag(&self, name: &str) -> Option<&Flag> {
        self.flags
            .iter()
            .find(|f| f.name.eq_ignore_ascii_case(name))
    }

    /// The flag value, if the flag is present with a value.
    pub fn flag_value(&self, name: &str) -> Option<&Word> {
        self.flag(name).and_then(|f| f.value.as_ref())
    }

    /// The instruction that runs: itself, or the trigger of an ONBUILD.
    pub fn effective(&self) -> &Instruction {
        match &self.args {
            Args::OnBuild(inner) => inner.effective(),
            _ => self,
        }
    }

    /// Argument words in order, whatever the form (exec elements, words, or the one string).
    pub fn arg_words(&self) -> Vec<&Word> {
        match &self.args {
            Args::Empty | Args::OnBuild(_) => vec![],
            Args::Exec { elements, .. } => elements.iter().collect(),
            Args::Words(words) => words.iter().collect(),
            Args::Shell(w) | Args::String(w) => vec![w],
            Args::KeyValues { pairs, .. } => pairs
                .iter()
                .flat_map(|p| std::iter::once(&p.key).chain(p.value.iter()))
                .collect(),
            Args::Healthcheck { kind, command } => {
                let mut v = vec![kind];
                if let Args::Exec { elements, .. } = command.as_ref() {
                    v.extend(elements.iter());
                } else if let Args::Shell(w) = command.as_ref() {
                    v.push(w);
                }
                v
            }
        }
    }

    /// The source range of `start..end`, byte offsets into `self.rest.text` (which has the
    /// continuation characters and comment lines removed).
    pub fn rest_range(&self, start: usize, end: usize) -> TextRange {
        let base = self.rest_map.offset;
        self.rest_map.map.range(base + start, base + end.max(start))
    }

    pub fn is_exec_form(&self) -> bool {
        matches!(self.args, Args::Exec { .. })
    }
}

#[cfg(test)]
mod tests;
