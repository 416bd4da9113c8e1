//! The semantic model of a Dockerfile: stages, their base images, ARG/ENV scopes, stage
//! references and the `dotnet` command lines inside RUN instructions.

pub mod dotnet_cli;
pub mod vars;

use compact_str::CompactString;
use rustc_hash::FxHashMap;
use std::borrow::Cow;
use std::ops::Range;

use crate::syntax::{Args, Instruction, Keyword, KeywordCounts, SyntaxTree, Word};
use crate::text::TextRange;
pub use dotnet_cli::{CliWord, DotnetCommand};
use vars::VarLookup;
pub use vars::{expand, var_refs, Expanded, VarRef};

/// Build arguments BuildKit defines in every stage's FROM scope.
pub const AUTOMATIC_PLATFORM_ARGS: &[&str] = &[
    "TARGETPLATFORM",
    "TARGETOS",
    "TARGETARCH",
    "TARGETVARIANT",
    "BUILDPLATFORM",
    "BUILDOS",
    "BUILDARCH",
    "BUILDVARIANT",
];

/// Builds a [`Model`] one instruction at a time, in file order. The analysis hands it each
/// instruction as the parser reads it ([`crate::syntax::parse_visiting`]), while the
/// instruction is still in cache: a second pass over a large file's instructions, after the
/// parse, costs a cache miss for nearly each of them.
#[derive(Default)]
pub(crate) struct ModelBuilder {
    model: Model,
    /// The global ARGs as the stages see them, taken at the first FROM.
    globals: Vec<(String, Option<String>)>,
    /// The stage being read.
    current: Option<usize>,
    /// How many instructions were pushed.
    instructions: usize,
}

impl crate::syntax::InstructionSink for ModelBuilder {
    fn expect(&mut self, estimate: &KeywordCounts) {
        self.model.reserve(estimate);
    }

    /// Adds instruction `idx`, the one after those pushed so far.
    fn push(&mut self, idx: usize, inst: &Instruction) {
        let model = &mut self.model;
        self.instructions = idx + 1;
        if inst.keyword == Keyword::From {
            match self.current {
                Some(stage) => model.close_stage(stage, idx),
                None => self.globals = model.global_scope(),
            }
            let stage = model.stages.len();
            model.open_stage(inst, idx, &self.globals);
            self.current = Some(stage);
        }
        match self.current {
            Some(stage) => model.collect_instruction(inst.effective(), idx, stage),
            None if inst.keyword == Keyword::Arg => {
                model.global_args.extend(decls(inst, idx, None));
            }
            None => {}
        }
    }
}

impl ModelBuilder {
    /// The model of the instructions pushed.
    pub(crate) fn finish(mut self) -> Model {
        if let Some(stage) = self.current {
            self.model.close_stage(stage, self.instructions);
        }
        // Already in order but for the `--mount=from=` fields of one flag (the sort is a
        // single pass over a sorted vector).
        self.model.stage_refs.sort_by_key(|r| r.range.start);
        self.model
    }
}

#[derive(Clone, Debug, Default)]
pub struct Model {
    pub stages: Vec<Stage>,
    /// ARG declarations before the first FROM.
    pub global_args: Vec<VarDecl>,
    /// Every ARG and ENV declaration inside stages.
    pub stage_vars: Vec<VarDecl>,
    pub stage_refs: Vec<StageRef>,
    pub dotnet_commands: Vec<DotnetInvocation>,
    /// Normalised (lower-case) stage name -> the first stage with that name.
    stage_names: FxHashMap<CompactString, usize>,
    /// The length of the longest key of `stage_names`: a longer text (an image such as
    /// `mcr.microsoft.com/dotnet/sdk:10.0`) names no stage, and needs no hashing.
    longest_stage_name: usize,
    /// For each stage, its declarations' indices in `stage_vars` (they are contiguous).
    stage_var_ranges: Vec<Range<usize>>,
    /// Each stage's scope at its end, computed on first use: every scope inside the stage is
    /// a prefix of it.
    stage_scopes: std::sync::OnceLock<StageScopes>,
}

/// The variables visible at the end of every stage, all in one vector (one allocation for
/// the whole file, not two per stage).
#[derive(Clone, Debug, Default)]
struct StageScopes {
    vars: Vec<ScopeVar>,
    /// For each stage: where its scope starts in `vars`, where its own declarations start
    /// (before them: inherited ENV), and where it ends.
    stages: Vec<(usize, usize, usize)>,
}

/// A variable of a scope: its declaration (an index in `stage_vars`) and its value.
#[derive(Clone, Debug)]
struct ScopeVar {
    decl: usize,
    value: ScopeValue,
}

#[derive(Clone, Debug)]
enum ScopeValue {
    /// Declared without a known value.
    Unknown,
    /// The declaration's value word as written: it has no quotes, escapes or `$` to resolve,
    /// so it needs no copy.
    Written,
    Resolved(String),
}

/// A scope as a [`VarLookup`]: the names and written values stay in the model's declarations.
struct ScopeView<'m> {
    decls: &'m [VarDecl],
    vars: &'m [ScopeVar],
}

impl ScopeView<'_> {
    fn name(&self, var: &ScopeVar) -> &str {
        self.decls.get(var.decl).map_or("", |d| d.name.as_str())
    }

    fn value<'v>(&'v self, var: &'v ScopeVar) -> Option<&'v str> {
        match &var.value {
            ScopeValue::Unknown => None,
            ScopeValue::Written => self
                .decls
                .get(var.decl)
                .and_then(|d| d.value.as_ref())
                .map(|w| w.text.as_str()),
            ScopeValue::Resolved(text) => Some(text),
        }
    }

    fn to_vec(&self) -> Vec<(String, Option<String>)> {
        self.vars
            .iter()
            .map(|v| (self.name(v).to_string(), self.value(v).map(str::to_string)))
            .collect()
    }
}

impl VarLookup for ScopeView<'_> {
    fn lookup(&self, name: &str) -> Option<Option<&str>> {
        self.vars
            .iter()
            .rev()
            .find(|v| self.name(v) == name)
            .map(|v| self.value(v))
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Stage {
    pub index: usize,
    /// `AS name`, as written.
    pub name: Option<Word>,
    /// Index of the FROM instruction in `SyntaxTree::instructions`.
    pub from: usize,
    /// Instruction indices of the stage, FROM included.
    pub instructions: Range<usize>,
    pub base: BaseImage,
    pub platform: Option<Word>,
}

impl Stage {
    /// The stage name in BuildKit's normalised (lower-case) form.
    pub fn normalized_name(&self) -> Option<String> {
        self.name
            .as_ref()
            .map(|n| normalized_stage_name(&n.text).into_owned())
    }
}

/// A stage name in BuildKit's normalised (lower-case) form, borrowed when it is written so:
/// most names are, and lookups of them copy nothing.
pub(crate) fn normalized_stage_name(name: &str) -> Cow<'_, str> {
    if name.bytes().any(|b| b.is_ascii_uppercase()) {
        Cow::Owned(name.to_ascii_lowercase())
    } else {
        Cow::Borrowed(name)
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BaseImage {
    /// `FROM <earlier stage>`.
    Stage(usize),
    Scratch,
    Image {
        /// The image word as written.
        word: Word,
        /// After substituting global ARGs.
        resolved: Expanded,
    },
    /// `FROM` without an image.
    Missing,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VarKind {
    Arg,
    Env,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VarDecl {
    pub name: CompactString,
    pub name_range: TextRange,
    /// The raw value as written (quotes kept), `None` for `ARG X` without a default.
    pub value: Option<Word>,
    pub kind: VarKind,
    pub instruction: usize,
    pub stage: Option<usize>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StageRefKind {
    From,
    CopyFrom,
    MountFrom,
}

/// A place that names another stage (or an image) by name or index.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StageRef {
    pub kind: StageRefKind,
    pub name: CompactString,
    pub range: TextRange,
    pub instruction: usize,
    /// The stage in which the reference stands.
    pub in_stage: usize,
    /// The stage it names, when it names one.
    pub target: Option<usize>,
}

/// A `dotnet` command found in a RUN instruction.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DotnetInvocation {
    pub stage: usize,
    pub instruction: usize,
    pub command: DotnetCommand,
}

impl Model {
    /// One pass over the instructions (after counting them): a stage is complete before the
    /// next one starts.
    pub fn build(tree: &SyntaxTree) -> Model {
        use crate::syntax::InstructionSink;
        let mut builder = ModelBuilder::default();
        builder.expect(&tree.keyword_counts);
        for (idx, inst) in tree.instructions.iter().enumerate() {
            builder.push(idx, inst);
        }
        builder.finish()
    }

    /// Reserves room for what the instructions declare: the vectors then grow without copying
    /// their (large) elements.
    fn reserve(&mut self, counts: &KeywordCounts) {
        let stages = counts.of(Keyword::From);
        // Most RUN instructions of a .NET Dockerfile run one `dotnet` command.
        let runs = counts.of(Keyword::Run);
        let decls = counts.of(Keyword::Arg) + counts.of(Keyword::Env);
        let refs = stages + counts.flagged();
        self.stages.reserve_exact(stages);
        self.stage_var_ranges.reserve_exact(stages);
        self.stage_names.reserve(stages);
        self.dotnet_commands.reserve_exact(runs);
        self.stage_vars.reserve(decls);
        self.stage_refs.reserve(refs);
    }

    /// Adds the stage of the FROM instruction `from` (its end is set by [`Self::close_stage`]).
    fn open_stage(
        &mut self,
        inst: &Instruction,
        from: usize,
        globals: &[(String, Option<String>)],
    ) {
        let n = self.stages.len();
        let words: &[Word] = match &inst.args {
            Args::Words(w) => w,
            _ => &[],
        };
        let name = match words {
            [_, as_kw, name, ..] if as_kw.text.eq_ignore_ascii_case("as") => Some(name.clone()),
            _ => None,
        };
        let base = match words.first() {
            None => BaseImage::Missing,
            Some(word) => {
                // Without `$` the image is the word itself: no expansion to build.
                let expanded =
                    memchr::memchr(b'$', word.text.as_bytes()).map(|_| expand(&word.text, globals));
                let resolved_text = expanded.as_ref().map_or(word.text.as_str(), |e| &e.text);
                if let Some(stage) = self.stage_index(resolved_text) {
                    self.stage_refs.push(StageRef {
                        kind: StageRefKind::From,
                        name: word.text.clone(),
                        range: word.range,
                        instruction: from,
                        in_stage: n,
                        target: Some(stage),
                    });
                    BaseImage::Stage(stage)
                } else if resolved_text.eq_ignore_ascii_case("scratch") {
                    BaseImage::Scratch
                } else {
                    BaseImage::Image {
                        word: word.clone(),
                        resolved: expanded.unwrap_or_else(|| Expanded {
                            text: word.text.as_str().to_owned(),
                            unresolved: Vec::new(),
                        }),
                    }
                }
            }
        };
        if let Some(name) = &name {
            // The first stage of a name keeps it; short names are stored inline.
            let key = CompactString::from(normalized_stage_name(&name.text));
            self.longest_stage_name = self.longest_stage_name.max(key.len());
            self.stage_names.entry(key).or_insert(n);
        }
        self.stages.push(Stage {
            index: n,
            name,
            from,
            instructions: from..from + 1,
            base,
            platform: inst.flag_value("platform").cloned(),
        });
        let vars_start = self.stage_vars.len();
        self.stage_var_ranges.push(vars_start..vars_start);
    }

    /// Ends stage `stage` before instruction `end`.
    fn close_stage(&mut self, stage: usize, end: usize) {
        if let Some(s) = self.stages.get_mut(stage) {
            s.instructions.end = end;
        }
        let vars_end = self.stage_vars.len();
        if let Some(range) = self.stage_var_ranges.get_mut(stage) {
            range.end = vars_end;
        }
    }

    /// The first stage named `name` (any letter case).
    fn stage_index(&self, name: &str) -> Option<usize> {
        // Lower-casing keeps the length.
        if name.len() > self.longest_stage_name {
            return None;
        }
        self.stage_names
            .get(normalized_stage_name(name).as_ref())
            .copied()
    }

    fn collect_instruction(&mut self, inst: &Instruction, idx: usize, stage_idx: usize) {
        match inst.keyword {
            Keyword::Arg | Keyword::Env => {
                self.stage_vars.extend(decls(inst, idx, Some(stage_idx)));
            }
            Keyword::Copy | Keyword::Add => {
                if let Some(from) = inst.flag_value("from") {
                    let target = self.stage_by_ref(&from.text, stage_idx);
                    self.stage_refs.push(StageRef {
                        kind: StageRefKind::CopyFrom,
                        name: from.text.clone(),
                        range: from.range,
                        instruction: idx,
                        in_stage: stage_idx,
                        target,
                    });
                }
            }
            Keyword::Run => {
                for flag in inst
                    .flags
                    .iter()
                    .filter(|f| f.name.eq_ignore_ascii_case("mount"))
                {
                    let Some(value) = &flag.value else { continue };
                    let mut offset = 0;
                    for field in value.text.split(',') {
                        let field_start = offset;
                        offset += field.len() + 1;
                        let Some(name) = field.strip_prefix("from=") else {
                            continue;
                        };
                        // The flag value's text equals its source when it has no quotes.
                        let start = value.range.start() + field_start + 5;
                        let range = if value.range.len() == value.text.len() {
                            TextRange::new(start, start + name.len())
                        } else {
                            value.range
                        };
                        let target = self.stage_by_ref(name, stage_idx);
                        self.stage_refs.push(StageRef {
                            kind: StageRefKind::MountFrom,
                            name: CompactString::from(name),
                            range,
                            instruction: idx,
                            in_stage: stage_idx,
                            target,
                        });
                    }
                }
                self.collect_dotnet(inst, idx, stage_idx);
            }
            _ => {}
        }
    }

    fn collect_dotnet(&mut self, inst: &Instruction, idx: usize, stage: usize) {
        let new = || DotnetInvocation {
            stage,
            instruction: idx,
            command: DotnetCommand::default(),
        };
        fn command_of(found: &mut DotnetInvocation) -> &mut DotnetCommand {
            &mut found.command
        }
        let found = &mut self.dotnet_commands;
        let push_all = |found: &mut Vec<DotnetInvocation>,
                        text: &str,
                        map: &dyn Fn(usize, usize) -> TextRange| {
            dotnet_cli::push_dotnet_commands(text, map, found, new, command_of);
        };
        match &inst.args {
            Args::Shell(cmd) => push_all(found, &cmd.text, &|s, e| inst.rest_range(s, e)),
            Args::Exec { elements, .. } => {
                let start = elements
                    .iter()
                    .position(|w| w.text == "dotnet" || w.text.ends_with("/dotnet"));
                let exec = start.and_then(|s| dotnet_cli::parse_words(&elements[s..]));
                if let Some(command) = exec {
                    found.push(DotnetInvocation {
                        stage,
                        instruction: idx,
                        command,
                    });
                } else if let Some(script) = elements.iter().position(|w| w.text == "-c") {
                    // ["/bin/sh", "-c", "dotnet publish ..."]: positions inside a JSON
                    // string are approximated by the element's range.
                    if let Some(body) = elements.get(script + 1) {
                        push_all(found, &body.text, &|_, _| body.range);
                    }
                }
            }
            _ => {}
        }
        for heredoc in &inst.heredocs {
            let base = heredoc.body_range.start();
            push_all(found, &heredoc.content, &|s, e| {
                TextRange::new(base + s, base + e)
            });
        }
    }

    /// The stage a `--from=` value names: a stage name or index defined before `current`.
    pub fn stage_by_ref(&self, name: &str, current: usize) -> Option<usize> {
        if let Ok(n) = name.parse::<usize>() {
            return (n < current).then_some(n);
        }
        self.stage_index(name).filter(|&s| s < current)
    }

    pub fn stage_by_name(&self, name: &str) -> Option<&Stage> {
        self.stage_index(name).and_then(|s| self.stages.get(s))
    }

    /// The stage containing instruction `idx`.
    pub fn stage_of_instruction(&self, idx: usize) -> Option<&Stage> {
        let n = self.stages.partition_point(|s| s.instructions.end <= idx);
        self.stages.get(n).filter(|s| s.instructions.contains(&idx))
    }

    /// The final stage (what `docker build` without `--target` produces).
    pub fn final_stage(&self) -> Option<&Stage> {
        self.stages.last()
    }

    /// Follows `FROM <stage>` links to the stage whose base is an image (or scratch).
    pub fn root_stage(&self, stage: usize) -> Option<&Stage> {
        let mut current = self.stages.get(stage)?;
        for _ in 0..self.stages.len() {
            match current.base {
                BaseImage::Stage(parent) if parent < current.index => {
                    current = self.stages.get(parent)?;
                }
                _ => return Some(current),
            }
        }
        Some(current)
    }

    /// Names and values visible in FROM lines: the global ARGs.
    pub fn global_scope(&self) -> Vec<(String, Option<String>)> {
        self.global_args
            .iter()
            .map(|d| {
                (
                    d.name.to_string(),
                    d.value.as_ref().map(|v| unquote(&v.text)),
                )
            })
            .collect()
    }

    /// Names and values visible just before instruction `before` in `stage`: ENV and ARG of
    /// the stage (and its parent stages), an `ARG X` without default taking the global default.
    pub fn scope_at(&self, stage: usize, before: usize) -> Vec<(String, Option<String>)> {
        self.scope_before(stage, before).to_vec()
    }

    /// Substitutes variables visible before instruction `before` of `stage`.
    pub fn expand_at(&self, stage: usize, before: usize, text: &str) -> Expanded {
        expand(text, &self.scope_before(stage, before))
    }

    /// The scope at `before` is the stage's final scope cut after its own declarations of
    /// earlier instructions (a value only depends on what was declared before it).
    fn scope_before(&self, stage: usize, before: usize) -> ScopeView<'_> {
        let scopes = self.stage_scopes.get_or_init(|| self.stage_scopes());
        let view = |vars| ScopeView {
            decls: &self.stage_vars,
            vars,
        };
        let Some(&(start, own_start, end)) = scopes.stages.get(stage) else {
            return view(&[]);
        };
        // The stage's own declarations are its `stage_vars`, in order.
        let own_decls = self
            .stage_var_ranges
            .get(stage)
            .and_then(|r| self.stage_vars.get(r.clone()))
            .unwrap_or(&[]);
        let own = own_decls.partition_point(|d| d.instruction < before);
        let cut = (own_start + own).min(end);
        view(scopes.vars.get(start..cut).unwrap_or(&[]))
    }

    fn stage_scopes(&self) -> StageScopes {
        let globals = self.global_scope();
        let mut scopes = StageScopes {
            vars: Vec::with_capacity(self.stage_vars.len()),
            stages: Vec::with_capacity(self.stages.len()),
        };
        let mut chain = Vec::new();
        for stage in 0..self.stages.len() {
            let start = scopes.vars.len();
            let own_start = self.push_stage_scope(stage, &globals, &mut chain, &mut scopes.vars);
            scopes.stages.push((start, own_start, scopes.vars.len()));
        }
        scopes
    }

    /// Appends the scope at the end of `stage` to `vars`; returns where the stage's own
    /// declarations start. `chain` is scratch space.
    fn push_stage_scope(
        &self,
        stage: usize,
        globals: &[(String, Option<String>)],
        chain: &mut Vec<usize>,
        vars: &mut Vec<ScopeVar>,
    ) -> usize {
        chain.clear();
        let mut current = self.stages.get(stage);
        while let Some(s) = current {
            chain.push(s.index);
            current = match s.base {
                BaseImage::Stage(p) if p < s.index && !chain.contains(&p) => self.stages.get(p),
                _ => None,
            };
        }
        let start = vars.len();
        let mut own_start = start;
        for &s in chain.iter().rev() {
            if s == stage {
                own_start = vars.len();
            }
            let range = self.stage_var_ranges.get(s).cloned().unwrap_or(0..0);
            let first = range.start;
            for (offset, d) in self.stage_vars.get(range).unwrap_or(&[]).iter().enumerate() {
                if d.kind == VarKind::Arg && s != stage {
                    // ARGs do not carry over to child stages; ENV does.
                    continue;
                }
                let value = match (&d.value, d.kind) {
                    // Nothing to unquote or substitute: the value is the word as written.
                    (Some(v), _)
                        if !v
                            .text
                            .bytes()
                            .any(|b| matches!(b, b'$' | b'\\' | b'\'' | b'"')) =>
                    {
                        ScopeValue::Written
                    }
                    (Some(v), _) => {
                        let v = unquote(&v.text);
                        if memchr::memchr(b'$', v.as_bytes()).is_none() {
                            ScopeValue::Resolved(v)
                        } else {
                            let scope = ScopeView {
                                decls: &self.stage_vars,
                                vars: &vars[start..],
                            };
                            ScopeValue::Resolved(expand(&v, &scope).text)
                        }
                    }
                    (None, VarKind::Arg) => globals
                        .iter()
                        .rev()
                        .find(|(n, _)| n == d.name)
                        .and_then(|(_, v)| v.clone())
                        .map_or(ScopeValue::Unknown, ScopeValue::Resolved),
                    (None, VarKind::Env) => ScopeValue::Unknown,
                };
                vars.push(ScopeVar {
                    decl: first + offset,
                    value,
                });
            }
        }
        own_start
    }
}

fn decls(
    inst: &Instruction,
    idx: usize,
    stage: Option<usize>,
) -> impl Iterator<Item = VarDecl> + '_ {
    let kind = if inst.keyword == Keyword::Env {
        VarKind::Env
    } else {
        VarKind::Arg
    };
    let pairs = match &inst.args {
        Args::KeyValues { pairs, .. } => &pairs[..],
        _ => &[],
    };
    pairs.iter().map(move |p| VarDecl {
        name: p.key.text.clone(),
        name_range: p.key.range,
        value: p.value.clone(),
        kind,
        instruction: idx,
        stage,
    })
}

/// Removes one level of shell quoting from a value word: `"a b"` -> `a b`, `a\ b` -> `a b`.
pub fn unquote(value: &str) -> String {
    crate::syntax::words::unquote_shell_word(value).unwrap_or_else(|| value.to_string())
}

#[cfg(test)]
mod tests;
