//! What BuildKit's checks share: its variable lexer, its suggestion search, the build
//! arguments it predefines, a replay of its stage dispatch (which variables each instruction
//! sees), image reference and platform parsing, and Go's `%q` quoting for messages.

use std::borrow::Cow;
use std::rc::Rc;

use rustc_hash::{FxHashMap, FxHashSet};

use crate::model::vars::VarLookup;
use crate::model::{expand, BaseImage, Stage};
use crate::rules::RuleContext;
use crate::syntax::{Args, Instruction, KeyValue, Keyword, Word};
use crate::text::TextRange;

/// The platform BuildKit builds for when none is given. Dockside assumes a Linux amd64
/// builder; the values only matter for checks that expand `$TARGETARCH` and friends.
const DEFAULT_OS: &str = "linux";
const DEFAULT_ARCH: &str = "amd64";

/// Build arguments BuildKit defines for FROM lines (`defaultArgs` in dockerfile2llb).
pub(crate) fn platform_args(target_stage: &str) -> Vec<(String, Option<String>)> {
    let platform = format!("{DEFAULT_OS}/{DEFAULT_ARCH}");
    [
        ("BUILDPLATFORM", platform.as_str()),
        ("BUILDOS", DEFAULT_OS),
        ("BUILDOSVERSION", ""),
        ("BUILDARCH", DEFAULT_ARCH),
        ("BUILDVARIANT", ""),
        ("TARGETPLATFORM", platform.as_str()),
        ("TARGETOS", DEFAULT_OS),
        ("TARGETOSVERSION", ""),
        ("TARGETARCH", DEFAULT_ARCH),
        ("TARGETVARIANT", ""),
        ("TARGETSTAGE", target_stage),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), Some(v.to_string())))
    .collect()
}

/// Build arguments BuildKit never reports as undefined (`nonEnvArgs`).
const NON_ENV_ARGS: &[&str] = &["BUILDKIT_SBOM_SCAN_CONTEXT", "BUILDKIT_SBOM_SCAN_STAGE"];

/// `text == text.to_lowercase()`, without building the lower-case copy.
pub(crate) fn is_lower(text: &str) -> bool {
    if text.is_ascii() {
        return !text.bytes().any(|b| b.is_ascii_uppercase());
    }
    text.chars()
        .all(|c| c.to_lowercase().eq(std::iter::once(c)))
}

/// `text == text.to_uppercase()`, without building the upper-case copy.
pub(crate) fn is_upper(text: &str) -> bool {
    if text.is_ascii() {
        return !text.bytes().any(|b| b.is_ascii_lowercase());
    }
    text.chars()
        .all(|c| c.to_uppercase().eq(std::iter::once(c)))
}

/// Go's `%q` (`strconv.Quote`): the text in double quotes with Go escapes.
pub(crate) fn go_quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{7}' => out.push_str("\\a"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\u{b}' => out.push_str("\\v"),
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                out.push_str(&format!("\\x{:02x}", c as u32));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// BuildKit's `suggest.Search`: the candidate at the smallest Levenshtein distance below 3,
/// the first one on ties; nothing when the name itself is a candidate.
pub(crate) fn suggest<'a>(
    name: &str,
    candidates: impl IntoIterator<Item = &'a str>,
    case_sensitive: bool,
) -> Option<&'a str> {
    let normalize = |s: &str| {
        if case_sensitive {
            s.to_string()
        } else {
            s.to_lowercase()
        }
    };
    let wanted = normalize(name);
    let mut best: Option<&'a str> = None;
    let mut best_distance = 3;
    for candidate in candidates {
        let normalized = normalize(candidate);
        if normalized == wanted {
            return None;
        }
        let distance = strsim::levenshtein(&wanted, &normalized);
        if distance < best_distance {
            best = Some(candidate);
            best_distance = distance;
        }
    }
    best
}

/// A variable reference as BuildKit's shell lexer sees it: `$NAME`, `${NAME}` or
/// `${NAME<modifier>word}`, with byte offsets of the whole reference.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct ExpansionRef<'t> {
    /// A slice of the text the reference was read from.
    pub name: &'t str,
    pub start: usize,
    pub end: usize,
}

/// Every variable BuildKit's lexer looks up while expanding `text` (its `ProcessWord`),
/// including those inside `${A:-$B}` defaults. `process_quotes` is false for heredoc bodies
/// (BuildKit's `SkipProcessQuotes`), where single quotes do not stop expansion.
pub(crate) fn expansion_refs(
    text: &str,
    escape: char,
    process_quotes: bool,
) -> Vec<ExpansionRef<'_>> {
    // Only `$` starts a reference.
    if !text.contains('$') {
        return Vec::new();
    }
    let mut lexer = Lexer::<[(String, Option<String>)]>::new(text, escape, process_quotes, None);
    lexer.word_until(None);
    let mut refs = lexer.refs;
    refs.sort_by_key(|r| r.start);
    refs
}

/// BuildKit's `ProcessWord`: `text` with variables substituted, quotes removed and escapes
/// applied. A variable missing from `vars` expands to nothing, as in BuildKit; `None` when a
/// variable's value is unknown (or the expansion would fail), so the result is too.
pub(crate) fn process_word<V: VarLookup + ?Sized>(
    text: &str,
    vars: &V,
    escape: char,
) -> Option<String> {
    process_word_borrowed(text, vars, escape).map(Cow::into_owned)
}

/// [`process_word`], borrowing `text` when the lexer would copy it as it is.
pub(crate) fn process_word_borrowed<'t, V: VarLookup + ?Sized>(
    text: &'t str,
    vars: &V,
    escape: char,
) -> Option<Cow<'t, str>> {
    // Without variables, quotes or escapes the lexer copies the text as it is.
    if !text.contains(['$', '\'', '"', escape]) {
        return Some(Cow::Borrowed(text));
    }
    let mut lexer = Lexer::new(text, escape, true, Some(vars));
    let (word, _) = lexer.word_until(None);
    (!lexer.unknown).then_some(Cow::Owned(word))
}

struct Lexer<'a, V: ?Sized> {
    text: &'a str,
    pos: usize,
    escape: char,
    process_quotes: bool,
    vars: Option<&'a V>,
    refs: Vec<ExpansionRef<'a>>,
    /// A variable without a known value was used, or the expansion is an error.
    unknown: bool,
}

/// What a variable looks up to.
enum Lookup<'a> {
    Unset,
    Value(&'a str),
    Unknown,
}

impl<'a, V: VarLookup + ?Sized> Lexer<'a, V> {
    fn new(text: &'a str, escape: char, process_quotes: bool, vars: Option<&'a V>) -> Self {
        Lexer {
            text,
            pos: 0,
            escape,
            process_quotes,
            vars,
            refs: Vec::new(),
            unknown: false,
        }
    }

    fn peek(&self) -> Option<char> {
        match self.text.as_bytes().get(self.pos) {
            Some(&b) if b.is_ascii() => Some(b as char),
            Some(_) => self.text.get(self.pos..).and_then(|s| s.chars().next()),
            None => None,
        }
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.pos += c.len_utf8();
        Some(c)
    }

    /// BuildKit's `processStopOn`: the processed text up to `stop`, and whether `stop` was
    /// found (always true without one).
    fn word_until(&mut self, stop: Option<char>) -> (String, bool) {
        let mut out = String::new();
        while let Some(c) = self.peek() {
            if Some(c) == stop {
                self.bump();
                return (out, true);
            }
            match c {
                '$' => {
                    let value = self.dollar();
                    out.push_str(&value);
                }
                '\'' if self.process_quotes => {
                    let value = self.single_quote();
                    out.push_str(&value);
                }
                '"' if self.process_quotes => {
                    let value = self.double_quote();
                    out.push_str(&value);
                }
                c if c == self.escape => {
                    self.bump();
                    out.extend(self.bump());
                }
                _ => {
                    // A run of plain characters is copied at once (and only looked at when
                    // the lexer only collects references).
                    let rest = &self.text[self.pos..];
                    let plain = rest
                        .char_indices()
                        .skip(1)
                        .find(|&(_, ch)| {
                            Some(ch) == stop
                                || ch == '$'
                                || ch == self.escape
                                || (self.process_quotes && (ch == '\'' || ch == '"'))
                        })
                        .map_or(rest.len(), |(i, _)| i);
                    if self.vars.is_some() {
                        out.push_str(&rest[..plain]);
                    }
                    self.pos += plain;
                }
            }
        }
        (out, stop.is_none())
    }

    fn single_quote(&mut self) -> String {
        self.bump();
        let mut out = String::new();
        while let Some(c) = self.bump() {
            if c == '\'' {
                return out;
            }
            out.push(c);
        }
        self.unknown = true;
        out
    }

    fn double_quote(&mut self) -> String {
        self.bump();
        let mut out = String::new();
        while let Some(c) = self.peek() {
            match c {
                '"' => {
                    self.bump();
                    return out;
                }
                '$' => {
                    let value = self.dollar();
                    out.push_str(&value);
                }
                c if c == self.escape => {
                    self.bump();
                    match self.peek() {
                        Some(n) if n == '"' || n == '$' || n == self.escape => {
                            self.bump();
                            out.push(n);
                        }
                        Some(_) => out.push(c),
                        None => {}
                    }
                }
                c => {
                    self.bump();
                    out.push(c);
                }
            }
        }
        self.unknown = true;
        out
    }

    /// BuildKit's `processName`: digits, one special parameter, or a run of letters, digits
    /// and underscores.
    fn name(&mut self) -> &'a str {
        let start = self.pos;
        match self.peek() {
            Some(c) if c.is_ascii_digit() => {
                while matches!(self.peek(), Some(c) if c.is_ascii_digit()) {
                    self.bump();
                }
            }
            Some('@' | '*' | '#' | '?' | '-' | '$' | '!') => {
                self.bump();
            }
            _ => {
                while matches!(self.peek(), Some(c) if c.is_alphanumeric() || c == '_') {
                    self.bump();
                }
            }
        }
        let text = self.text;
        &text[start..self.pos]
    }

    fn lookup(&self, name: &str) -> Lookup<'a> {
        match self.vars.and_then(|vars| vars.lookup(name)) {
            None => Lookup::Unset,
            Some(Some(value)) => Lookup::Value(value),
            Some(None) => Lookup::Unknown,
        }
    }

    /// Records the reference and gives its plain value (empty when unset).
    fn resolve(&mut self, name: &'a str, start: usize) -> Lookup<'a> {
        let found = self.lookup(name);
        self.refs.push(ExpansionRef {
            name,
            start,
            end: self.pos,
        });
        if matches!(found, Lookup::Unknown) {
            self.unknown = true;
        }
        found
    }

    /// Stops the expansion where BuildKit reports an error.
    fn fail(&mut self) -> String {
        self.unknown = true;
        self.pos = self.text.len();
        String::new()
    }

    fn dollar(&mut self) -> String {
        let start = self.pos;
        self.bump();
        if self.peek() != Some('{') {
            let name = self.name();
            if name.is_empty() {
                return "$".to_string();
            }
            return match self.resolve(name, start) {
                Lookup::Value(v) => v.to_string(),
                _ => String::new(),
            };
        }
        self.bump();
        if matches!(self.peek(), None | Some('{' | '}' | ':')) {
            // "bad substitution"
            return self.fail();
        }
        let name = self.name();
        let (modifier, null_is_unset) = match self.bump() {
            Some('}') => {
                return match self.resolve(name, start) {
                    Lookup::Value(v) => v.to_string(),
                    _ => String::new(),
                };
            }
            Some(':') => (self.bump(), true),
            Some('/') => {
                if self.peek() == Some('/') {
                    self.bump();
                }
                let found_slash = self.word_until(Some('/')).1;
                let found_brace = found_slash && self.word_until(Some('}')).1;
                if !found_brace {
                    return self.fail();
                }
                // Pattern replacement is not evaluated: the value is unknown.
                self.resolve(name, start);
                self.unknown = true;
                return String::new();
            }
            other => (other, false),
        };
        let Some(op @ ('+' | '-' | '?' | '#' | '%')) = modifier else {
            // BuildKit looks the name up, then fails on the unsupported modifier.
            let (_, closed) = self.word_until(Some('}'));
            if closed {
                self.resolve(name, start);
            }
            return self.fail();
        };
        let (word, closed) = self.word_until(Some('}'));
        if !closed {
            return self.fail();
        }
        let found = self.resolve(name, start);
        let value = match found {
            Lookup::Unset => None,
            Lookup::Value(v) => Some(v),
            Lookup::Unknown => return String::new(),
        };
        let empty_counts_as_unset = |v: &str| null_is_unset && v.is_empty();
        match op {
            '-' => match value {
                Some(v) if !empty_counts_as_unset(v) => v.to_string(),
                _ => word,
            },
            '+' => match value {
                Some(v) if !empty_counts_as_unset(v) => word,
                _ => String::new(),
            },
            '?' => match value {
                Some(v) if !empty_counts_as_unset(v) => v.to_string(),
                _ => self.fail(),
            },
            // Prefix and suffix trimming are not evaluated: the value is unknown.
            _ => {
                self.unknown = true;
                String::new()
            }
        }
    }
}

/// The source range of `start..end`, byte offsets into `word.text`; the whole word when
/// its text is not a verbatim copy of the source (JSON escapes, line continuations).
pub(crate) fn sub_range(ctx: &RuleContext, word: &Word, start: usize, end: usize) -> TextRange {
    let verbatim = ctx.text.get(word.range.as_range()) == Some(word.text.as_str());
    if verbatim && start <= end && end <= word.text.len() {
        TextRange::new(word.range.start() + start, word.range.start() + end)
    } else {
        word.range
    }
}

/// The keyword as written (`from`, `From`, `FROM`).
pub(crate) fn keyword_text<'a>(ctx: &RuleContext<'a>, inst: &Instruction) -> &'a str {
    ctx.text.get(inst.keyword_range.as_range()).unwrap_or("")
}

/// The words of a FROM instruction: image, `AS`, name.
pub(crate) fn from_words(inst: &Instruction) -> &[Word] {
    match &inst.args {
        Args::Words(words) => words,
        _ => &[],
    }
}

/// Variables with their values, in declaration order (the last one wins); `None` is a
/// variable that is set to a value Dockside does not know.
pub(crate) type Vars = Vec<(String, Option<String>)>;

/// The global scope of FROM lines: BuildKit's platform arguments and the ARGs before the
/// first FROM, evaluated with their defaults only (no `--build-arg`).
pub(crate) struct GlobalArgs {
    pub vars: Vars,
    /// Names declared by a global ARG, with or without a default.
    pub declared: Vec<String>,
}

impl GlobalArgs {
    /// The global scope of the analysis, computed once.
    pub(crate) fn of<'c>(ctx: &'c RuleContext) -> &'c GlobalArgs {
        ctx.global_args.get_or_init(|| GlobalArgs::new(ctx))
    }

    fn new(ctx: &RuleContext) -> GlobalArgs {
        let target = ctx
            .model
            .final_stage()
            .and_then(|s| s.normalized_name())
            .unwrap_or_default();
        let mut vars = platform_args(&target);
        let mut declared = Vec::new();
        for decl in &ctx.model.global_args {
            declared.push(decl.name.to_string());
            if let Some(value) = &decl.value {
                // Undefined variables expand to nothing, as in BuildKit.
                let expanded = process_word(&value.text, &vars[..], ctx.tree.escape);
                set_var(&mut vars, &decl.name, Some(expanded.unwrap_or_default()));
            }
        }
        GlobalArgs { vars, declared }
    }

    pub(crate) fn value(&self, name: &str) -> Option<&str> {
        lookup(&self.vars, name).flatten()
    }
}

fn lookup<'a>(vars: &'a Vars, name: &str) -> Option<Option<&'a str>> {
    vars.iter()
        .rev()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.as_deref())
}

fn set_var(vars: &mut Vars, name: &str, value: Option<String>) {
    match vars.iter_mut().find(|(n, _)| n == name) {
        Some(slot) => slot.1 = value,
        None => vars.push((name.to_string(), value)),
    }
}

/// A persistent list, newest first. Copies share their tails: copying costs nothing, and
/// adding to one copy leaves the others as they were.
pub(crate) struct Chain<T>(Option<Rc<Link<T>>>);

struct Link<T> {
    item: T,
    next: Option<Rc<Link<T>>>,
}

impl<T> Chain<T> {
    fn push(&mut self, item: T) {
        let next = self.0.take();
        self.0 = Some(Rc::new(Link { item, next }));
    }

    /// Newest first.
    fn iter(&self) -> impl Iterator<Item = &T> {
        std::iter::successors(self.0.as_deref(), |link| link.next.as_deref()).map(|l| &l.item)
    }
}

impl<T> Clone for Chain<T> {
    fn clone(&self) -> Self {
        Chain(self.0.clone())
    }
}

impl<T> Default for Chain<T> {
    fn default() -> Self {
        Chain(None)
    }
}

impl<T: std::fmt::Debug> std::fmt::Debug for Chain<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl<T> Drop for Link<T> {
    /// Unlinks the tail one link at a time: a long list would overflow the stack otherwise.
    fn drop(&mut self) {
        let mut next = self.next.take();
        while let Some(link) = next {
            match Rc::try_unwrap(link) {
                Ok(mut link) => next = link.next.take(),
                Err(_) => break,
            }
        }
    }
}

/// A stage's variable settings, newest first: a name's newest setting is its value, and its
/// oldest one its place among the names.
type StageVars = Chain<(Rc<str>, Option<Rc<str>>)>;

fn stage_lookup<'a>(vars: &'a StageVars, name: &str) -> Option<Option<&'a str>> {
    vars.iter()
        .find(|(n, _)| **n == *name)
        .map(|(_, v)| v.as_deref())
}

/// The names and values a replay sets, each kept once: a large file sets the same ARGs in
/// stage after stage, and a copy of each text per stage is an allocation per setting.
#[derive(Default)]
pub(crate) struct SharedTexts(FxHashSet<Rc<str>>);

impl SharedTexts {
    fn get(&mut self, text: &str) -> Rc<str> {
        if let Some(shared) = self.0.get(text) {
            return shared.clone();
        }
        let shared: Rc<str> = Rc::from(text);
        self.0.insert(shared.clone());
        shared
    }
}

/// Returns the name as the settings share it.
fn set_stage_var(
    vars: &mut StageVars,
    name: &str,
    value: Option<Rc<str>>,
    texts: &mut SharedTexts,
) -> Rc<str> {
    // The name of an earlier setting is shared.
    let name = match vars.iter().find(|(n, _)| **n == *name) {
        Some((shared, _)) => shared.clone(),
        None => texts.get(name),
    };
    vars.push((name.clone(), value));
    name
}

/// What a stage has set up before one of its instructions, as BuildKit's dispatch sees it.
/// Cheap to clone: the variables are shared until one of the copies changes them.
#[derive(Clone, Debug)]
pub(crate) struct StageState {
    /// The environment: the base image's, ENV, and ARGs that have a value.
    vars: StageVars,
    /// ARG names declared in the stage or its parent stages (BuildKit's `buildArgs`), each once.
    declared_args: Chain<Rc<str>>,
    /// False when the base image is not known, so its environment is not either.
    pub env_known: bool,
    /// A WORKDIR ran in this stage or a parent stage.
    pub workdir_set: bool,
    /// A SHELL ran in this stage or a parent stage.
    pub shell_set: bool,
    /// The stage builds a Windows image (paths like `C:\app` are absolute).
    pub windows: bool,
    /// The Dockerfile's escape character.
    pub escape: char,
}

/// The variables [`StageState::expand`] sees: an ARG declared without a value may be set with
/// `--build-arg`, so its value is unknown rather than empty.
impl VarLookup for StageState {
    fn lookup(&self, name: &str) -> Option<Option<&str>> {
        stage_lookup(&self.vars, name).or_else(|| {
            self.declared_args
                .iter()
                .any(|a| **a == *name)
                .then_some(None)
        })
    }
}

impl StageState {
    /// Whether BuildKit's UndefinedVar accepts `name` here.
    pub(crate) fn is_defined(&self, name: &str) -> bool {
        stage_lookup(&self.vars, name).is_some()
            || self.declared_args.iter().any(|a| **a == *name)
            || NON_ENV_ARGS.contains(&name)
    }

    /// The names BuildKit offers as suggestions (the environment's keys), in the order they
    /// were first set.
    pub(crate) fn env_names(&self) -> impl Iterator<Item = &str> {
        let mut names: Vec<&str> = self.vars.iter().map(|(n, _)| &**n).collect();
        names.reverse();
        let mut seen = FxHashSet::default();
        names.retain(|n| seen.insert(*n));
        names.into_iter()
    }

    /// The value of a word after substitution and quote removal, when every variable in it
    /// has a known value.
    /// An ARG declared without a value may be set with `--build-arg`: its value is unknown
    /// rather than empty.
    pub(crate) fn expand(&self, raw: &str) -> Option<String> {
        process_word(raw, self, self.escape)
    }

    /// [`StageState::expand`], borrowing `raw` when it is its own value.
    pub(crate) fn expand_borrowed<'t>(&self, raw: &'t str) -> Option<Cow<'t, str>> {
        process_word_borrowed(raw, self, self.escape)
    }

    fn value_of(&self, raw: &str, texts: &mut SharedTexts) -> Option<Rc<str>> {
        self.expand_borrowed(raw).map(|value| texts.get(&value))
    }

    /// ENV: every pair is expanded with the environment from before the instruction.
    fn apply_env(&mut self, pairs: &[KeyValue], texts: &mut SharedTexts) {
        let values: Vec<(&str, Option<Rc<str>>)> = pairs
            .iter()
            .map(|p| {
                let value = p.value.as_ref().and_then(|v| self.value_of(&v.text, texts));
                (p.key.text.as_str(), value)
            })
            .collect();
        for (name, value) in values {
            set_stage_var(&mut self.vars, name, value, texts);
        }
    }

    /// One `name[=default]` of an ARG; the pairs of one ARG apply one after the other.
    pub(crate) fn apply_arg(&mut self, pair: &KeyValue, globals: &GlobalArgs) {
        self.apply_arg_sharing(pair, globals, &mut SharedTexts::default());
    }

    /// [`StageState::apply_arg`], sharing the texts it sets with other states.
    fn apply_arg_sharing(
        &mut self,
        pair: &KeyValue,
        globals: &GlobalArgs,
        texts: &mut SharedTexts,
    ) {
        let name = pair.key.text.as_str();
        let shared_name = match &pair.value {
            Some(default) => {
                let value = self.value_of(&default.text, texts);
                Some(set_stage_var(&mut self.vars, name, value, texts))
            }
            None => lookup(&globals.vars, name).map(|global| {
                let value = global.map(|g| texts.get(g));
                set_stage_var(&mut self.vars, name, value, texts)
            }),
        };
        if !self.declared_args.iter().any(|a| **a == *name) {
            // The variable's name is shared when the ARG set it.
            self.declared_args
                .push(shared_name.unwrap_or_else(|| texts.get(name)));
        }
    }

    /// Whether [`StageState::apply`] may change the state for an instruction with `keyword`.
    fn changed_by(keyword: Keyword) -> bool {
        matches!(
            keyword,
            Keyword::Env | Keyword::Arg | Keyword::Workdir | Keyword::Shell
        )
    }

    fn apply(&mut self, inst: &Instruction, globals: &GlobalArgs, texts: &mut SharedTexts) {
        match (&inst.keyword, &inst.args) {
            (Keyword::Env, Args::KeyValues { pairs, .. }) => self.apply_env(pairs, texts),
            (Keyword::Arg, Args::KeyValues { pairs, .. }) => {
                for pair in pairs {
                    self.apply_arg_sharing(pair, globals, texts);
                }
            }
            (Keyword::Workdir, _) => self.workdir_set = true,
            (Keyword::Shell, _) => self.shell_set = true,
            _ => {}
        }
    }
}

/// BuildKit's dispatch of every stage, replayed once per analysis: the state before each
/// instruction after a FROM. Instructions between two state changes share one state.
pub(crate) struct StageWalk {
    /// In file order.
    steps: Vec<Step>,
    states: Vec<StageState>,
    /// The indices in `steps` grouped by keyword, each group in file order: a walk over one
    /// or two keywords reads its steps only instead of testing all of them.
    by_keyword: Vec<u32>,
    /// The steps of keyword `k` are `by_keyword[keyword_starts[k]..keyword_starts[k + 1]]`.
    keyword_starts: [u32; KEYWORD_COUNT + 1],
}

const KEYWORD_COUNT: usize = Keyword::Unknown as usize + 1;

/// An instruction after a FROM, with what a walk needs to find it and its state.
struct Step {
    stage: u32,
    instruction: u32,
    /// Index in `StageWalk::states`.
    state: u32,
    /// So that a walk reads the steps it wants only.
    keyword: Keyword,
}

/// A set of keywords as bits.
fn keyword_mask(keywords: &[Keyword]) -> u32 {
    keywords.iter().fold(0, |mask, &k| mask | keyword_bit(k))
}

fn keyword_bit(keyword: Keyword) -> u32 {
    1 << (keyword as u32)
}

impl StageWalk {
    fn replay(ctx: &RuleContext) -> StageWalk {
        let globals = GlobalArgs::of(ctx);
        let keywords = ctx.keywords();
        let mut finals: Vec<StageState> = Vec::with_capacity(ctx.model.stages.len());
        let mut steps = Vec::with_capacity(ctx.tree.instructions.len());
        let mut states = Vec::with_capacity(ctx.model.stages.len() * 2);
        // The state of each base image, computed once per image name, and whether a
        // `--platform` value names Windows, once per value.
        let mut images: FxHashMap<&str, StageState> = FxHashMap::default();
        let mut windows_platforms: FxHashMap<&str, bool> = FxHashMap::default();
        let mut texts = SharedTexts::default();
        for stage in &ctx.model.stages {
            let platform_windows = stage.platform.as_ref().is_some_and(|p| {
                *windows_platforms.entry(&p.text).or_insert_with(|| {
                    expand(&p.text, &globals.vars[..])
                        .text
                        .to_ascii_lowercase()
                        .starts_with("windows")
                })
            });
            let mut state = initial_state(stage, &finals, &mut images);
            state.windows |= platform_windows;
            state.escape = ctx.tree.escape;
            // The index in `states` of a copy of `state`, while it is unchanged.
            let mut saved: Option<usize> = None;
            for idx in stage.instructions.clone() {
                if idx == stage.from {
                    continue;
                }
                // The keywords say which instructions change the state: only those are read.
                let Some(&keyword) = keywords.get(idx) else {
                    continue;
                };
                let slot = *saved.get_or_insert_with(|| {
                    states.push(state.clone());
                    states.len() - 1
                });
                // Indices fit: a file has fewer than 4 billion instructions.
                steps.push(Step {
                    stage: stage.index as u32,
                    instruction: idx as u32,
                    state: slot as u32,
                    keyword,
                });
                if StageState::changed_by(keyword) {
                    if let Some(inst) = ctx.tree.instructions.get(idx) {
                        state.apply(inst, globals, &mut texts);
                    }
                    saved = None;
                }
            }
            finals.push(state);
        }
        let (by_keyword, keyword_starts) = group_by_keyword(&steps);
        StageWalk {
            steps,
            states,
            by_keyword,
            keyword_starts,
        }
    }

    /// The steps with a keyword of `mask`, in file order.
    fn steps_of(&self, mask: u32) -> impl Iterator<Item = &Step> {
        let mut groups = (0..KEYWORD_COUNT)
            .filter(|&k| mask & (1 << k) != 0)
            .map(|k| self.group(k));
        let (first, second) = (groups.next(), groups.next());
        let few = groups.next().is_none();
        let (first, second) = match (first, second) {
            (Some(a), b) if few => (a, b.unwrap_or(&[])),
            // Many keywords: most steps are wanted, and testing each costs less than merging.
            _ => (&[][..], &[][..]),
        };
        let all = if few { &[][..] } else { &self.steps[..] };
        let merged = MergeSteps {
            steps: &self.steps,
            first,
            second,
        };
        let filtered = all
            .iter()
            .filter(move |step| mask & keyword_bit(step.keyword) != 0);
        merged.chain(filtered)
    }

    fn group(&self, keyword: usize) -> &[u32] {
        let start = self.keyword_starts.get(keyword).copied().unwrap_or(0) as usize;
        let end = self.keyword_starts.get(keyword + 1).copied().unwrap_or(0) as usize;
        self.by_keyword.get(start..end).unwrap_or(&[])
    }
}

/// The indices of `steps` grouped by keyword (a counting sort, so each group keeps file
/// order), with where each group starts.
fn group_by_keyword(steps: &[Step]) -> (Vec<u32>, [u32; KEYWORD_COUNT + 1]) {
    let mut starts = [0u32; KEYWORD_COUNT + 1];
    for step in steps {
        starts[step.keyword as usize + 1] += 1;
    }
    for k in 1..starts.len() {
        starts[k] += starts[k - 1];
    }
    let mut next = starts;
    let mut grouped = vec![0u32; steps.len()];
    for (n, step) in steps.iter().enumerate() {
        let slot = &mut next[step.keyword as usize];
        grouped[*slot as usize] = n as u32;
        *slot += 1;
    }
    (grouped, starts)
}

/// Two groups of step indices, each in file order, merged into file order.
struct MergeSteps<'w> {
    steps: &'w [Step],
    first: &'w [u32],
    second: &'w [u32],
}

impl<'w> Iterator for MergeSteps<'w> {
    type Item = &'w Step;

    fn next(&mut self) -> Option<&'w Step> {
        let take_first = match (self.first.first(), self.second.first()) {
            (Some(a), Some(b)) => a < b,
            (Some(_), None) => true,
            (None, Some(_)) => false,
            (None, None) => return None,
        };
        let list = if take_first {
            &mut self.first
        } else {
            &mut self.second
        };
        let (&n, rest) = list.split_first()?;
        *list = rest;
        self.steps.get(n as usize)
    }
}

/// Replays BuildKit's dispatch of every stage in order, calling `visit` with each instruction
/// with one of `keywords` after FROM and the state just before it. A stage built `FROM` an
/// earlier stage starts with that stage's final state. The global scope is [`GlobalArgs::of`].
pub(crate) fn walk_stages(
    ctx: &RuleContext,
    keywords: &[Keyword],
    mut visit: impl FnMut(&Stage, usize, &Instruction, &StageState),
) {
    let walk = ctx.stage_walk.get_or_init(|| StageWalk::replay(ctx));
    let mask = keyword_mask(keywords);
    for step in walk.steps_of(mask) {
        let idx = step.instruction as usize;
        let (Some(stage), Some(inst), Some(state)) = (
            ctx.model.stages.get(step.stage as usize),
            ctx.tree.instructions.get(idx),
            walk.states.get(step.state as usize),
        ) else {
            continue;
        };
        visit(stage, idx, inst, state);
    }
}

/// The state a stage starts with, its platform aside.
fn initial_state<'m>(
    stage: &'m Stage,
    finals: &[StageState],
    images: &mut FxHashMap<&'m str, StageState>,
) -> StageState {
    match &stage.base {
        BaseImage::Stage(parent) => match finals.get(*parent) {
            Some(parent_state) => parent_state.clone(),
            None => image_state(None),
        },
        BaseImage::Image { word, resolved } => {
            let name = if resolved.is_complete() {
                resolved.text.as_str()
            } else {
                word.text.as_str()
            };
            images
                .entry(name)
                .or_insert_with(|| image_state(Some(name)))
                .clone()
        }
        BaseImage::Scratch | BaseImage::Missing => image_state(None),
    }
}

/// The repository of an image reference, lower-cased, without registry defaults, tag or
/// digest: `mcr.microsoft.com/dotnet/aspnet:10.0` -> `mcr.microsoft.com/dotnet/aspnet`,
/// `docker.io/library/node:22` -> `node`.
pub(crate) fn repository(image: &str) -> String {
    let without_digest = image.split('@').next().unwrap_or(image);
    let last_slash = without_digest.rfind('/').map_or(0, |i| i + 1);
    let without_tag = match without_digest[last_slash..].find(':') {
        Some(colon) => &without_digest[..last_slash + colon],
        None => without_digest,
    };
    let lower = without_tag.to_ascii_lowercase();
    let short = lower
        .strip_prefix("docker.io/")
        .or_else(|| lower.strip_prefix("index.docker.io/"))
        .unwrap_or(&lower);
    short.strip_prefix("library/").unwrap_or(short).to_string()
}

/// Variables Microsoft's .NET images set (runtime-deps, runtime, aspnet and sdk); BuildKit
/// learns them by pulling the image, Dockside knows them statically.
const DOTNET_IMAGE_ENV: &[(&str, Option<&str>)] = &[
    ("APP_UID", Some("1654")),
    ("ASPNETCORE_HTTP_PORTS", Some("8080")),
    ("DOTNET_RUNNING_IN_CONTAINER", Some("true")),
    ("DOTNET_VERSION", None),
    ("ASPNET_VERSION", None),
    ("DOTNET_SDK_VERSION", None),
    ("DOTNET_USE_POLLING_FILE_WATCHER", Some("true")),
    ("NUGET_XMLDOC_MODE", Some("skip")),
    ("POWERSHELL_DISTRIBUTION_CHANNEL", None),
    ("DOTNET_GENERATE_ASPNET_CERTIFICATE", Some("false")),
    ("DOTNET_NOLOGO", Some("true")),
    ("HOME", None),
];

/// Variables some popular official images set, so that UndefinedVar does not report them.
/// Approximate: images add variables between versions.
const OFFICIAL_IMAGE_ENV: &[(&str, &[&str])] = &[
    ("golang", &["GOLANG_VERSION", "GOPATH", "GOTOOLCHAIN"]),
    ("node", &["NODE_VERSION", "YARN_VERSION"]),
    (
        "python",
        &["PYTHON_VERSION", "PYTHON_SHA256", "GPG_KEY", "LANG"],
    ),
    ("rust", &["RUSTUP_HOME", "CARGO_HOME", "RUST_VERSION"]),
    (
        "nginx",
        &[
            "NGINX_VERSION",
            "NJS_VERSION",
            "NJS_RELEASE",
            "PKG_RELEASE",
            "DYNPKG_RELEASE",
        ],
    ),
    (
        "eclipse-temurin",
        &["JAVA_HOME", "JAVA_VERSION", "LANG", "LANGUAGE", "LC_ALL"],
    ),
    (
        "openjdk",
        &["JAVA_HOME", "JAVA_VERSION", "LANG", "LANGUAGE", "LC_ALL"],
    ),
    (
        "maven",
        &[
            "MAVEN_HOME",
            "MAVEN_CONFIG",
            "JAVA_HOME",
            "JAVA_VERSION",
            "LANG",
        ],
    ),
    (
        "gradle",
        &["GRADLE_HOME", "GRADLE_VERSION", "JAVA_HOME", "JAVA_VERSION"],
    ),
];

/// The state a stage starts with when built from an image (`None`: scratch or no image).
fn image_state(image: Option<&str>) -> StageState {
    // BuildKit sets PATH when the image does not.
    let mut vars = StageVars::default();
    let mut texts = SharedTexts::default();
    vars.push(("PATH".into(), None));
    let mut env_known = true;
    let mut windows = false;
    if let Some(image) = image {
        let repo = repository(image);
        windows = ["nanoserver", "servercore", "windows"]
            .iter()
            .any(|w| image.to_ascii_lowercase().contains(w));
        if repo.starts_with("mcr.microsoft.com/dotnet/") {
            for (name, value) in DOTNET_IMAGE_ENV {
                set_stage_var(&mut vars, name, value.map(Rc::from), &mut texts);
            }
        } else if repo.contains('$') {
            env_known = false;
        } else if let Some((_, names)) = OFFICIAL_IMAGE_ENV.iter().find(|(r, _)| *r == repo) {
            for name in *names {
                set_stage_var(&mut vars, name, None, &mut texts);
            }
        }
    }
    StageState {
        vars,
        declared_args: Chain::default(),
        env_known,
        workdir_set: false,
        shell_set: false,
        windows,
        escape: '\\',
    }
}

/// Whether `path` is absolute for the stage's OS (BuildKit's `system.IsAbs`): on Windows a
/// leading `C:` is dropped (other drives make the path invalid) and `\` counts as `/`.
pub(crate) fn is_absolute_path(path: &str, windows: bool) -> bool {
    if !windows {
        return path.starts_with('/');
    }
    let bytes = path.as_bytes();
    let rest = if bytes.len() >= 2 && bytes[1] == b':' {
        if !bytes[0].eq_ignore_ascii_case(&b'c') {
            return false;
        }
        &path[2..]
    } else {
        path
    };
    rest.starts_with('/') || rest.starts_with('\\')
}

/// An OS and architecture as containerd's `platforms.Parse` reads them (`linux/amd64`,
/// `linux/arm64/v8`, `windows`); `None` when BuildKit would reject the specifier.
pub(crate) fn parse_platform(spec: &str) -> Option<(String, String)> {
    let parts: Vec<&str> = spec.split('/').collect();
    let valid = |p: &str| {
        !p.is_empty()
            && p.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'))
    };
    if !parts.iter().all(|p| valid(p)) {
        return None;
    }
    match parts.as_slice() {
        [one] => {
            let os = normalize_os(one);
            if KNOWN_OS.contains(&os.as_str()) {
                Some((os, DEFAULT_ARCH.to_string()))
            } else {
                let arch = normalize_arch(one);
                KNOWN_ARCH
                    .contains(&arch.as_str())
                    .then(|| (DEFAULT_OS.to_string(), arch))
            }
        }
        [os, arch] | [os, arch, _] => Some((normalize_os(os), normalize_arch(arch))),
        _ => None,
    }
}

const KNOWN_OS: &[&str] = &[
    "aix",
    "android",
    "darwin",
    "dragonfly",
    "freebsd",
    "hurd",
    "illumos",
    "ios",
    "js",
    "linux",
    "nacl",
    "netbsd",
    "openbsd",
    "plan9",
    "solaris",
    "wasip1",
    "windows",
    "zos",
];

const KNOWN_ARCH: &[&str] = &[
    "386",
    "amd64",
    "amd64p32",
    "arm",
    "armbe",
    "arm64",
    "arm64be",
    "loong64",
    "mips",
    "mipsle",
    "mips64",
    "mips64le",
    "mips64p32",
    "mips64p32le",
    "ppc",
    "ppc64",
    "ppc64le",
    "riscv",
    "riscv64",
    "s390",
    "s390x",
    "sparc",
    "sparc64",
    "wasm",
];

fn normalize_os(os: &str) -> String {
    let lower = os.to_ascii_lowercase();
    if lower == "macos" {
        "darwin".to_string()
    } else {
        lower
    }
}

fn normalize_arch(arch: &str) -> String {
    let lower = arch.to_ascii_lowercase();
    match lower.as_str() {
        "i386" => "386".to_string(),
        "x86_64" | "x86-64" | "amd64" => "amd64".to_string(),
        "aarch64" | "arm64" => "arm64".to_string(),
        "armhf" | "armel" | "arm" => "arm".to_string(),
        _ => lower,
    }
}

/// Whether `name` is a reference BuildKit accepts as a base image: the distribution
/// library's `ParseNormalizedNamed` (a lower-case repository, an optional registry host and
/// port, an optional tag and an optional valid digest).
pub(crate) fn is_valid_image_reference(name: &str) -> bool {
    if name.len() == 64
        && name
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    {
        return false;
    }
    let (domain, remainder) = split_docker_domain(name);
    let remote_name = remainder.split(':').next().unwrap_or("");
    if !is_lower(remote_name) {
        return false;
    }
    let (name_and_tag, digest) = match remainder.split_once('@') {
        Some((n, d)) => (n, Some(d)),
        None => (remainder.as_str(), None),
    };
    let (path, tag) = match name_and_tag.rsplit_once(':') {
        Some((p, t)) => (p, Some(t)),
        None => (name_and_tag, None),
    };
    if domain.len() + 1 + path.len() > 255 {
        return false;
    }
    is_valid_domain(&domain)
        && !path.is_empty()
        && path.split('/').all(is_valid_path_component)
        && tag.is_none_or(is_valid_tag)
        && digest.is_none_or(is_valid_digest)
}

fn split_docker_domain(name: &str) -> (String, String) {
    let (mut domain, mut remainder) = match name.find('/') {
        Some(i)
            if name[..i].contains(['.', ':'])
                || &name[..i] == "localhost"
                || !is_lower(&name[..i]) =>
        {
            (name[..i].to_string(), name[i + 1..].to_string())
        }
        _ => ("docker.io".to_string(), name.to_string()),
    };
    if domain == "index.docker.io" {
        domain = "docker.io".to_string();
    }
    if domain == "docker.io" && !remainder.contains('/') {
        remainder = format!("library/{remainder}");
    }
    (domain, remainder)
}

fn is_valid_domain(domain: &str) -> bool {
    let (host, port) = if let Some(bracketed) = domain.strip_prefix('[') {
        let Some((inside, after)) = bracketed.split_once(']') else {
            return false;
        };
        if inside.is_empty() || !inside.chars().all(|c| c.is_ascii_hexdigit() || c == ':') {
            return false;
        }
        (None, after)
    } else {
        match domain.find(':') {
            Some(i) => (Some(&domain[..i]), &domain[i..]),
            None => (Some(domain), ""),
        }
    };
    let port_ok = port.is_empty()
        || port
            .strip_prefix(':')
            .is_some_and(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
    port_ok && host.is_none_or(|h| h.split('.').all(is_valid_domain_component))
}

fn is_valid_domain_component(c: &str) -> bool {
    let bytes = c.as_bytes();
    match (bytes.first(), bytes.last()) {
        (Some(first), Some(last)) => {
            first.is_ascii_alphanumeric()
                && last.is_ascii_alphanumeric()
                && bytes
                    .iter()
                    .all(|b| b.is_ascii_alphanumeric() || *b == b'-')
        }
        _ => false,
    }
}

/// `[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*`
fn is_valid_path_component(c: &str) -> bool {
    let alnum = |b: u8| b.is_ascii_lowercase() || b.is_ascii_digit();
    let bytes = c.as_bytes();
    let mut i = 0;
    let mut expect_alnum = true;
    while i < bytes.len() {
        if expect_alnum {
            if !alnum(bytes[i]) {
                return false;
            }
            while i < bytes.len() && alnum(bytes[i]) {
                i += 1;
            }
            expect_alnum = false;
        } else {
            let sep_start = i;
            match bytes[i] {
                b'.' => i += 1,
                b'_' => {
                    i += 1;
                    if bytes.get(i) == Some(&b'_') {
                        i += 1;
                    }
                }
                b'-' => {
                    while bytes.get(i) == Some(&b'-') {
                        i += 1;
                    }
                }
                _ => return false,
            }
            if i == sep_start {
                return false;
            }
            expect_alnum = true;
        }
    }
    !bytes.is_empty() && !expect_alnum
}

/// `[\w][\w.-]{0,127}`
fn is_valid_tag(tag: &str) -> bool {
    let word = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    let bytes = tag.as_bytes();
    !bytes.is_empty()
        && bytes.len() <= 128
        && word(bytes[0])
        && bytes.iter().all(|&b| word(b) || b == b'.' || b == b'-')
}

/// A digest with an algorithm BuildKit knows and an encoded part of the right length.
fn is_valid_digest(digest: &str) -> bool {
    let Some((algorithm, encoded)) = digest.split_once(':') else {
        return false;
    };
    let expected = match algorithm {
        "sha256" => 64,
        "sha384" => 96,
        "sha512" => 128,
        _ => return false,
    };
    encoded.len() == expected
        && encoded
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// The comment BuildKit attaches to an instruction as its description (`PrevComment`): the
/// text of the comment line right above it, when that line is a non-empty comment.
pub(crate) fn description_comment<'a>(ctx: &RuleContext<'a>, index: usize) -> Option<&'a str> {
    let inst = ctx.tree.instructions.get(index)?;
    let floor = index
        .checked_sub(1)
        .and_then(|prev| ctx.tree.instructions.get(prev))
        .map_or(0, |prev| prev.range.end());
    let line_start = ctx.text[..inst.range.start()]
        .rfind('\n')
        .map_or(0, |i| i + 1);
    if line_start <= floor {
        return None;
    }
    let above = &ctx.text[floor..line_start - 1];
    let above = above.strip_suffix('\r').unwrap_or(above);
    let line_begin = above.rfind('\n').map_or(0, |i| i + 1);
    let line = &above[line_begin..];
    let absolute_start = floor + line_begin;
    let absolute_end = absolute_start + line.len();
    if ctx
        .tree
        .directives
        .iter()
        .any(|d| d.range.start() <= absolute_end && absolute_start <= d.range.end())
    {
        return None;
    }
    if !line.trim_start().starts_with('#') {
        return None;
    }
    // BuildKit drops the line's first byte, not the `#`: an indented comment keeps its `#`.
    let body = line.get(1..).unwrap_or("").trim();
    (!body.is_empty()).then_some(body)
}

/// One port of an EXPOSE after variable expansion, as BuildKit's `parsePort` splits it:
/// `[ip:]hostPort:containerPort[/proto]`.
pub(crate) struct ExposedPort<'t> {
    /// The EXPOSE argument it came from.
    pub range: TextRange,
    pub raw: &'t str,
    pub proto: &'t str,
    pub has_ip_or_host_port: bool,
}

/// Calls `visit` with the ports of an EXPOSE whose values are known, in BuildKit's order.
/// Like BuildKit, it stops at the first port the builder rejects (no port, unknown protocol,
/// invalid IP or port range), after that port's checks.
pub(crate) fn for_each_exposed_port(
    inst: &Instruction,
    state: &StageState,
    mut visit: impl FnMut(ExposedPort<'_>),
) {
    let Args::Words(words) = &inst.args else {
        return;
    };
    for word in words {
        // Ports built from variables Dockside cannot know are left to the build.
        let Some(expanded) = state.expand_borrowed(&word.text) else {
            continue;
        };
        for raw in expanded.split_whitespace() {
            // `[ip:][host:]container`: the IP takes every colon but the last two.
            let (ip, host_port, container) = match raw.rsplit_once(':') {
                None => ("", "", raw),
                Some((before, container)) => match before.rsplit_once(':') {
                    None => ("", before, container),
                    Some((ip, host_port)) => (ip, host_port, container),
                },
            };
            let (port, proto) = container.split_once('/').unwrap_or((container, ""));
            let proto_known = proto.is_empty()
                || ["tcp", "udp", "sctp"]
                    .iter()
                    .any(|known| proto.eq_ignore_ascii_case(known));
            if port.is_empty() || !proto_known {
                return;
            }
            visit(ExposedPort {
                range: word.range,
                raw,
                proto,
                has_ip_or_host_port: !ip.is_empty() || !host_port.is_empty(),
            });
            if !valid_expose_parts(ip, host_port, port) {
                return;
            }
        }
    }
}

fn valid_expose_parts(ip: &str, host_port: &str, port: &str) -> bool {
    let ip_ok = ip.is_empty() || {
        let bare = ip
            .strip_prefix('[')
            .and_then(|i| i.strip_suffix(']'))
            .unwrap_or(ip);
        bare.parse::<std::net::IpAddr>().is_ok()
    };
    let Some((start, end)) = port_range(port) else {
        return false;
    };
    let host_ok = host_port.is_empty()
        || port_range(host_port).is_some_and(|(hs, he)| he - hs == end - start || start == end);
    ip_ok && host_ok
}

fn port_range(ports: &str) -> Option<(u32, u32)> {
    let number = |s: &str| s.parse::<u32>().ok().filter(|p| *p <= 65535);
    match ports.split_once('-') {
        None => number(ports).map(|p| (p, p)),
        Some((start, end)) if start == end => number(start).map(|p| (p, p)),
        Some((start, end)) => {
            let (start, end) = (number(start)?, number(end)?);
            (end >= start).then_some((start, end))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(text: &str) -> Vec<&str> {
        expansion_refs(text, '\\', true)
            .into_iter()
            .map(|r| r.name)
            .collect()
    }

    #[test]
    fn a_walk_reads_the_steps_of_its_keywords_in_file_order() {
        let text = crate::bench_support::generated_dockerfile(200)
            + "FROM alpine\nONBUILD RUN x\nSHELL [\"sh\"]\nBOGUS y\nSTOPSIGNAL 9\n";
        let tree = crate::syntax::parse(&text);
        let model = crate::model::Model::build(&tree);
        let env = crate::rules::test_support::test_env();
        let ctx = RuleContext::new(&text, &tree, &model, &env, None);
        let walk = StageWalk::replay(&ctx);
        let masks = (0..=KEYWORD_COUNT)
            .flat_map(|a| (a..=KEYWORD_COUNT).map(move |b| (a, b)))
            .map(|(a, b)| ((1u32 << a) | (1 << b)) & ((1 << KEYWORD_COUNT) - 1))
            .chain([0, (1 << KEYWORD_COUNT) - 1, 0b1011_0110_1001]);
        for mask in masks {
            let expected: Vec<u32> = walk
                .steps
                .iter()
                .filter(|step| mask & keyword_bit(step.keyword) != 0)
                .map(|step| step.instruction)
                .collect();
            let found: Vec<u32> = walk.steps_of(mask).map(|step| step.instruction).collect();
            assert_eq!(found, expected, "mask {mask:b}");
        }
    }

    #[test]
    fn lexer_finds_what_buildkit_looks_up() {
        assert_eq!(
            names("$A ${B} ${C:-$D} '$E' \"$F\" \\$G"),
            ["A", "B", "C", "D", "F"]
        );
        assert_eq!(names("${A/x/$B} ${C%%.*} $1 $"), ["A", "B", "C", "1"]);
        assert_eq!(names("\"\\$A\" ${}"), Vec::<&str>::new());
        let raw: Vec<&str> = expansion_refs("'$A'", '\\', false)
            .into_iter()
            .map(|r| r.name)
            .collect();
        assert_eq!(raw, ["A"]);
        let refs = expansion_refs("x${AB:-c}y", '\\', true);
        assert_eq!((refs[0].start, refs[0].end), (1, 9));
    }

    #[test]
    fn words_are_processed_like_buildkit() {
        let vars: Vars = vec![
            ("A".into(), Some("1".into())),
            ("EMPTY".into(), Some(String::new())),
            ("UNKNOWN".into(), None),
        ];
        let word = |text: &str, escape| process_word(text, &vars[..], escape);
        assert_eq!(word("x$A-${A}", '\\').as_deref(), Some("x1-1"));
        assert_eq!(word("'$A' \"$A\" \\$A", '\\').as_deref(), Some("$A 1 $A"));
        assert_eq!(
            word("${MISSING:-d} ${EMPTY:-d} ${EMPTY-d} ${A:+p}", '\\').as_deref(),
            Some("d d  p")
        );
        assert_eq!(word("$MISSING/app", '\\').as_deref(), Some("/app"));
        assert_eq!(word("C:\\app", '`').as_deref(), Some("C:\\app"));
        assert_eq!(word("a`$A", '`').as_deref(), Some("a$A"));
        assert_eq!(word("$UNKNOWN", '\\'), None);
        assert_eq!(word("${MISSING:?required}", '\\'), None);
        assert_eq!(word("${A%%.*}", '\\'), None);
    }

    #[test]
    fn suggestions_follow_buildkit() {
        let options = ["PATH", "DIR_ASSETS", "DIR_CONFIG"];
        assert_eq!(suggest("PAHT", options, true), Some("PATH"));
        assert_eq!(suggest("DIR_ASSET", options, true), Some("DIR_ASSETS"));
        assert_eq!(suggest("path", options, true), None);
        assert_eq!(suggest("PATH", options, true), None);
    }

    #[test]
    fn image_references() {
        for good in [
            "alpine",
            "alpine:3.20",
            "mcr.microsoft.com/dotnet/aspnet:10.0-noble-chiseled",
            "localhost:5000/app:1",
            "registry.example.com/team/app@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
            "build-env",
            "[::1]:5000/app",
        ] {
            assert!(is_valid_image_reference(good), "{good}");
        }
        for bad in [
            "",
            "alpine:",
            "Alpine",
            "mcr.microsoft.com/dotnet/aspnet:",
            "a:b:c",
            "app@sha256:12",
            "/app",
            "app/",
        ] {
            assert!(!is_valid_image_reference(bad), "{bad}");
        }
    }

    #[test]
    fn platforms_and_paths() {
        assert_eq!(
            parse_platform("linux/amd64"),
            Some(("linux".into(), "amd64".into()))
        );
        assert_eq!(
            parse_platform("linux/arm64/v8"),
            Some(("linux".into(), "arm64".into()))
        );
        assert_eq!(
            parse_platform("windows"),
            Some(("windows".into(), "amd64".into()))
        );
        assert_eq!(parse_platform("nonsense"), None);
        assert_eq!(parse_platform("linux/"), None);
        assert!(is_absolute_path("/app", false));
        assert!(!is_absolute_path("app", false));
        assert!(!is_absolute_path("C:\\app", false));
        assert!(is_absolute_path("C:\\app", true));
        assert!(is_absolute_path("\\app", true));
        assert!(!is_absolute_path("D:\\app", true));
        assert_eq!(go_quote("a\"b\\c\n"), "\"a\\\"b\\\\c\\n\"");
        assert_eq!(
            repository("docker.io/library/node:22@sha256:ab"),
            "node".to_string()
        );
        assert_eq!(
            repository("mcr.microsoft.com/dotnet/aspnet:10.0"),
            "mcr.microsoft.com/dotnet/aspnet"
        );
    }
}
