//! What a rule is: its metadata (from its doc comment) and its check function.

use super::buildkit::support::{is_lower, is_upper};
use crate::analysis::{AnalysisEnv, Diagnostic, Severity};
use crate::context::stage_fs::posix_join;
use crate::model::BaseImage;
use crate::model::Model;
use crate::syntax::{Args, Instruction, Keyword, SyntaxTree};
use crate::text::{NextByte, TextRange};

/// Where a rule comes from; decides its documentation link.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Origin {
    /// A syntax error: BuildKit refuses the file.
    Syntax,
    /// A BuildKit build check, by BuildKit's name.
    BuildKit,
    /// What the builder rejects when it runs the instruction.
    Validation,
    /// A hadolint rule, with its DL code.
    Hadolint,
    /// Dockside's own .NET rules.
    Dotnet,
    /// Dockside's own image rules (the .NET image catalog).
    Image,
}

impl Origin {
    /// The lower-case name shown by `dockside rules`.
    pub fn name(self) -> &'static str {
        match self {
            Origin::Syntax => "syntax",
            Origin::BuildKit => "buildkit",
            Origin::Validation => "validation",
            Origin::Hadolint => "hadolint",
            Origin::Dotnet => "dotnet",
            Origin::Image => "image",
        }
    }
}

/// Static facts about a rule. The `docs` are the rule's doc comment.
#[derive(Debug)]
pub struct RuleMeta {
    pub name: &'static str,
    pub severity: Severity,
    pub summary: &'static str,
    pub origin: Origin,
    /// The hadolint codes the rule covers (`DL3020`), so `# hadolint ignore=DL3020` and
    /// `.hadolint.yaml` suppress it. Several when one Dockside rule does the work of several
    /// hadolint rules (MultipleInstructionsDisallowed: DL3012, DL4003, DL4004).
    pub hadolint: &'static [&'static str],
    pub fixable: bool,
    /// Off unless configured on (BuildKit's experimental checks).
    pub default_enabled: bool,
    pub docs: &'static str,
}

impl RuleMeta {
    /// Whether `code` (any letter case) is one of the rule's hadolint codes.
    pub fn covers_hadolint_code(&self, code: &str) -> bool {
        self.hadolint.iter().any(|dl| dl.eq_ignore_ascii_case(code))
    }

    /// The documentation link: BuildKit's page for BuildKit checks, ours otherwise.
    pub fn docs_url(&self) -> String {
        match self.origin {
            Origin::BuildKit => format!(
                "https://docs.docker.com/go/dockerfile/rule/{}/",
                kebab_case(self.name)
            ),
            _ => format!(
                "https://github.com/dockside-dev/dockside/blob/main/docs/rules/{}.md",
                self.name
            ),
        }
    }
}

/// `FromAsCasing` -> `from-as-casing`; `JSONArgsRecommended` -> `json-args-recommended`.
pub fn kebab_case(name: &str) -> String {
    let chars: Vec<char> = name.chars().collect();
    let mut out = String::new();
    for (i, &c) in chars.iter().enumerate() {
        if c.is_ascii_uppercase() && i > 0 {
            let prev_lower = chars[i - 1].is_ascii_lowercase();
            let next_lower = chars.get(i + 1).is_some_and(|n| n.is_ascii_lowercase());
            if prev_lower || (chars[i - 1].is_ascii_uppercase() && next_lower) {
                out.push('-');
            }
        }
        out.push(c.to_ascii_lowercase());
    }
    out
}

/// Everything a rule may look at.
pub struct RuleContext<'a> {
    pub text: &'a str,
    pub tree: &'a SyntaxTree,
    pub model: &'a Model,
    pub env: &'a AnalysisEnv,
    /// Build context, .dockerignore and COPY sources (when the solution is known).
    pub facts: Option<&'a crate::context::DockerfileFacts>,
    /// The RUN scripts as the hadolint rules read them, parsed once per analysis.
    pub(crate) hadolint_runs: std::cell::OnceCell<super::hadolint::runs::Runs<'a>>,
    /// What the Dockerfile ships, traced once per analysis for the .NET runtime rules.
    pub(crate) published_app:
        std::cell::OnceCell<Option<super::dotnet::published::PublishedApp<'a>>>,
    /// The catalog lookup of every stage's base image, shared by the image rules.
    pub(crate) stage_images: std::cell::OnceCell<Vec<super::image::support::StageImage<'a>>>,
    /// BuildKit's dispatch replayed once for the BuildKit checks.
    pub(crate) stage_walk: std::cell::OnceCell<super::buildkit::support::StageWalk>,
    /// The global scope of FROM lines, shared by the BuildKit checks.
    pub(crate) global_args: std::cell::OnceCell<super::buildkit::support::GlobalArgs>,
    /// The Dockerfile seen with its solution (stage filesystems and what every `dotnet`
    /// command builds), built once for the solution-aware rules.
    pub(crate) restore_model:
        std::cell::OnceCell<Option<super::dotnet::restore_model::RestoreModel<'a>>>,
    /// The keywords of the instructions, for the rules that look at some keywords only.
    keyword_index: std::cell::OnceCell<KeywordIndex>,
    /// The working directories of every stage, replayed once.
    workdirs: std::cell::OnceCell<Workdirs>,
}

/// The working directories of every stage, replayed once. A stage built `FROM` an earlier
/// stage starts where that stage ends, as [`crate::context::stage_fs::workdir_at`] follows
/// them; it refers to that directory instead of copying it.
struct Workdirs {
    /// The directory after each WORKDIR, with the WORKDIR's instruction index, in file order.
    dirs: Vec<(usize, String)>,
    /// For each stage: the directory it starts in (an index in `dirs`, `None` for `/`) and
    /// its WORKDIRs in `dirs`.
    stages: Vec<(Option<usize>, std::ops::Range<usize>)>,
}

impl Workdirs {
    fn replay(ctx: &RuleContext) -> Workdirs {
        let keywords = ctx.keywords();
        let mut out = Workdirs {
            dirs: Vec::new(),
            stages: Vec::with_capacity(ctx.model.stages.len()),
        };
        for (n, stage) in ctx.model.stages.iter().enumerate() {
            let start = match stage.base {
                BaseImage::Stage(parent) if parent < n => out.end_of(parent),
                _ => None,
            };
            let first = out.dirs.len();
            for i in stage.instructions.clone() {
                if keywords.get(i) != Some(&Keyword::Workdir) {
                    continue;
                }
                if let Some(Args::String(w)) = ctx.tree.instructions.get(i).map(|inst| &inst.args) {
                    let last = if out.dirs.len() > first {
                        out.dirs.len().checked_sub(1)
                    } else {
                        start
                    };
                    let dir = out.dir(last);
                    // Without `$` there is nothing to substitute.
                    let dir = if w.text.contains('$') {
                        let expanded = ctx.model.expand_at(n, i, &w.text);
                        posix_join(dir, expanded.text.trim_matches('"'))
                    } else {
                        posix_join(dir, w.text.trim_matches('"'))
                    };
                    out.dirs.push((i, dir));
                }
            }
            out.stages.push((start, first..out.dirs.len()));
        }
        out
    }

    /// The directory `at` refers to: `None` is `/`.
    fn dir(&self, at: Option<usize>) -> &str {
        at.and_then(|i| self.dirs.get(i))
            .map_or("/", |(_, dir)| dir)
    }

    /// Where stage `stage` ends: its last WORKDIR, or where it starts.
    fn end_of(&self, stage: usize) -> Option<usize> {
        let (start, range) = self.stages.get(stage)?;
        if range.is_empty() {
            *start
        } else {
            range.end.checked_sub(1)
        }
    }

    /// The working directory before instruction `idx` of `stage`.
    fn before(&self, stage: usize, idx: usize) -> &str {
        let Some((start, range)) = self.stages.get(stage) else {
            return "/";
        };
        let after = self.dirs.get(range.clone()).unwrap_or(&[]);
        let before = after.partition_point(|&(i, _)| i < idx);
        match before.checked_sub(1) {
            Some(last) => self.dir(Some(range.start + last)),
            None => self.dir(*start),
        }
    }
}

/// The keywords of the instructions, kept apart from them: a rule that wants a few keywords
/// scans this compact copy instead of touching every instruction of a large file.
#[derive(PartialEq)]
struct KeywordIndex {
    /// The keyword of each instruction.
    own: Vec<Keyword>,
    /// For each instruction, [`keyword_bits`] of its keyword and of its ONBUILD triggers.
    nested: Vec<u32>,
    /// For each instruction, whether it or one of its triggers has flags.
    flagged: Vec<bool>,
    /// For each instruction, the [`SourceMarks`] of its source text.
    marks: Vec<SourceMarks>,
    /// For each instruction, the casing of its keyword as written.
    casings: Vec<KeywordCasing>,
}

/// How a keyword is written: whether it equals its lower-case and its upper-case spelling
/// (both for a keyword without letters).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct KeywordCasing {
    pub lower: bool,
    pub upper: bool,
}

/// Characters an instruction's source text holds (its whole range: continuation lines,
/// heredoc bodies and ONBUILD triggers included). A word of the instruction can only hold
/// what its source does, or what a JSON escape spells: `\u0024` is a `$`.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) struct SourceMarks(u8);

impl KeywordCasing {
    /// The casing of the keyword at `range` of `text`: one pass over its bytes when they are
    /// ASCII (then they are the keyword's characters).
    fn of_source(text: &str, range: TextRange) -> KeywordCasing {
        let bytes = text.as_bytes().get(range.as_range()).unwrap_or(b"");
        let (mut has_upper, mut has_lower, mut all) = (false, false, 0u8);
        for &b in bytes {
            has_upper |= b.is_ascii_uppercase();
            has_lower |= b.is_ascii_lowercase();
            all |= b;
        }
        if all.is_ascii() {
            return KeywordCasing {
                lower: !has_upper,
                upper: !has_lower,
            };
        }
        KeywordCasing::of(text.get(range.as_range()).unwrap_or(""))
    }

    fn of(written: &str) -> KeywordCasing {
        // Keywords are ASCII but for typos: one pass over the bytes instead of two.
        if written.is_ascii() {
            let (mut has_upper, mut has_lower) = (false, false);
            for b in written.bytes() {
                has_upper |= b.is_ascii_uppercase();
                has_lower |= b.is_ascii_lowercase();
            }
            return KeywordCasing {
                lower: !has_upper,
                upper: !has_lower,
            };
        }
        KeywordCasing {
            lower: is_lower(written),
            upper: is_upper(written),
        }
    }
}

impl SourceMarks {
    /// No requirement.
    pub(crate) const NONE: SourceMarks = SourceMarks(0);
    /// A `$`, or a `\` (which may start a JSON escape spelling one).
    pub(crate) const DOLLAR: SourceMarks = SourceMarks(1);
    /// A `"` or a `'`.
    pub(crate) const QUOTE: SourceMarks = SourceMarks(2);

    const fn contains(self, required: SourceMarks) -> bool {
        self.0 & required.0 == required.0
    }
}

impl KeywordIndex {
    /// The index the parser gathered ([`SyntaxTree::keys`]), or, for a tree whose
    /// instructions were changed since, the index found by walking them.
    fn new(text: &str, tree: &SyntaxTree) -> KeywordIndex {
        use crate::syntax::InstructionKeys;
        const _: () = assert!(
            SourceMarks::DOLLAR.0 == InstructionKeys::DOLLAR
                && SourceMarks::QUOTE.0 == InstructionKeys::QUOTE
        );
        let keys = &tree.keys;
        if keys.len() != tree.instructions.len() {
            return KeywordIndex::walk(text, tree);
        }
        let casings = keys.casings.iter().enumerate().map(|(i, &casing)| {
            if casing & InstructionKeys::NOT_ASCII == 0 {
                return KeywordCasing {
                    lower: casing & InstructionKeys::LOWER != 0,
                    upper: casing & InstructionKeys::UPPER != 0,
                };
            }
            let range = tree.instructions.get(i).map(|inst| inst.keyword_range);
            KeywordCasing::of_source(text, range.unwrap_or_default())
        });
        KeywordIndex {
            own: keys.keywords.clone(),
            nested: keys.nested.clone(),
            flagged: keys.flagged.clone(),
            marks: keys.marks.iter().map(|&marks| SourceMarks(marks)).collect(),
            casings: casings.collect(),
        }
    }

    /// The index found by reading every instruction.
    fn walk(text: &str, tree: &SyntaxTree) -> KeywordIndex {
        let count = tree.instructions.len();
        let mut index = KeywordIndex {
            own: Vec::with_capacity(count),
            nested: Vec::with_capacity(count),
            flagged: Vec::with_capacity(count),
            marks: Vec::with_capacity(count),
            casings: Vec::with_capacity(count),
        };
        let mut dollars = NextByte::new(b'$', b'\\');
        let mut quotes = NextByte::new(b'"', b'\'');
        for inst in &tree.instructions {
            let mut bits = keyword_bits(&[inst.keyword]);
            let mut flagged = !inst.flags.is_empty();
            let mut args = &inst.args;
            while let Args::OnBuild(inner) = args {
                bits |= keyword_bits(&[inner.keyword]);
                flagged |= !inner.flags.is_empty();
                args = &inner.args;
            }
            index.own.push(inst.keyword);
            index.nested.push(bits);
            index.flagged.push(flagged);
            let range = inst.range.as_range();
            // Without its source every mark is assumed.
            let marks = match text.get(range.clone()) {
                None => SourceMarks(u8::MAX),
                Some(_) => {
                    let mut marks = 0;
                    if dollars.within(text.as_bytes(), range.clone()) {
                        marks |= SourceMarks::DOLLAR.0;
                    }
                    if quotes.within(text.as_bytes(), range) {
                        marks |= SourceMarks::QUOTE.0;
                    }
                    SourceMarks(marks)
                }
            };
            index.marks.push(marks);
            index
                .casings
                .push(KeywordCasing::of_source(text, inst.keyword_range));
        }
        index
    }
}

/// A set of keywords as bits.
const fn keyword_bits(keywords: &[Keyword]) -> u32 {
    let mut bits = 0;
    let mut i = 0;
    while i < keywords.len() {
        bits |= 1 << (keywords[i] as u32);
        i += 1;
    }
    bits
}

impl<'a> RuleContext<'a> {
    pub fn new(
        text: &'a str,
        tree: &'a SyntaxTree,
        model: &'a Model,
        env: &'a AnalysisEnv,
        facts: Option<&'a crate::context::DockerfileFacts>,
    ) -> RuleContext<'a> {
        RuleContext {
            text,
            tree,
            model,
            env,
            facts,
            hadolint_runs: Default::default(),
            published_app: Default::default(),
            stage_images: Default::default(),
            stage_walk: Default::default(),
            global_args: Default::default(),
            restore_model: Default::default(),
            keyword_index: Default::default(),
            workdirs: Default::default(),
        }
    }

    /// The working directory before instruction `idx` of `stage`: what
    /// [`crate::context::stage_fs::workdir_at`] gives, replayed once per analysis.
    pub(crate) fn workdir_at(&self, stage: usize, idx: usize) -> &str {
        self.workdirs
            .get_or_init(|| Workdirs::replay(self))
            .before(stage, idx)
    }

    fn keyword_index(&self) -> &KeywordIndex {
        self.keyword_index
            .get_or_init(|| KeywordIndex::new(self.text, self.tree))
    }

    /// The keyword of each instruction, in file order.
    pub(crate) fn keywords(&self) -> &[Keyword] {
        &self.keyword_index().own
    }

    /// How the keyword of each instruction is written, in file order.
    pub(crate) fn keyword_casings(&self) -> &[KeywordCasing] {
        &self.keyword_index().casings
    }

    /// The instructions with one of `keywords`, with their indices, in file order.
    pub(crate) fn instructions_with(
        &self,
        keywords: &[Keyword],
    ) -> impl Iterator<Item = (usize, &'a Instruction)> + '_ {
        let bits = keyword_bits(keywords);
        let tree: &'a SyntaxTree = self.tree;
        self.keywords()
            .iter()
            .enumerate()
            .filter(move |(_, &k)| keyword_bits(&[k]) & bits != 0)
            .filter_map(move |(i, _)| Some((i, tree.instructions.get(i)?)))
    }

    /// The instructions that have, or whose ONBUILD triggers have, one of `keywords`.
    pub(crate) fn instructions_nesting(
        &self,
        keywords: &[Keyword],
    ) -> impl Iterator<Item = (usize, &'a Instruction)> + '_ {
        self.instructions_nesting_marked(keywords, SourceMarks::NONE)
    }

    /// [`RuleContext::instructions_nesting`] whose source holds the `required` marks.
    pub(crate) fn instructions_nesting_marked(
        &self,
        keywords: &[Keyword],
        required: SourceMarks,
    ) -> impl Iterator<Item = (usize, &'a Instruction)> + '_ {
        let bits = keyword_bits(keywords);
        let tree: &'a SyntaxTree = self.tree;
        let index = self.keyword_index();
        index
            .nested
            .iter()
            .zip(&index.marks)
            .enumerate()
            .filter(move |(_, (&nested, marks))| nested & bits != 0 && marks.contains(required))
            .filter_map(move |(i, _)| Some((i, tree.instructions.get(i)?)))
    }

    /// Whether instruction `idx` has, or one of its ONBUILD triggers has, one of `keywords`:
    /// answered from the keyword index, without reading the instruction.
    pub(crate) fn nests_any(&self, idx: usize, keywords: &[Keyword]) -> bool {
        self.keyword_index()
            .nested
            .get(idx)
            .is_some_and(|&nested| nested & keyword_bits(keywords) != 0)
    }

    /// Whether the source of instruction `idx` holds the `required` marks.
    pub(crate) fn source_holds(&self, idx: usize, required: SourceMarks) -> bool {
        self.keyword_index()
            .marks
            .get(idx)
            .is_none_or(|marks| marks.contains(required))
    }

    /// The indexed solution, when the Dockerfile belongs to one.
    pub fn workspace(&self) -> Option<&crate::dotnet::Workspace> {
        self.env.solution.as_ref().map(|s| s.workspace.as_ref())
    }
}

/// A rule: metadata plus a check over the context.
pub trait Rule: Sync {
    fn meta(&self) -> &'static RuleMeta;
    fn check(&self, ctx: &RuleContext, out: &mut Diagnostics);
    /// The rule's per-instruction hook, when its check looks at each instruction on its own:
    /// [`super::check`] then runs it in the one pass shared by all such rules.
    fn per_instruction(&self) -> Option<&dyn InstructionRule> {
        None
    }
}

/// A rule whose check is a loop over instructions, each judged on its own: instead of making
/// its own pass over the instructions (each costing cache misses on a large file), it is
/// called by the pass [`InstructionPass`] makes once for all of them.
pub trait InstructionRule: Sync {
    /// Which instructions [`InstructionRule::check_instruction`] is called with.
    fn interest(&self) -> Interest;
    /// Checks `inst`: the instruction at `idx`, or (for [`Interest::with_triggers`] and
    /// [`Interest::flagged`]) one of its ONBUILD triggers.
    fn check_instruction(
        &self,
        ctx: &RuleContext,
        idx: usize,
        inst: &Instruction,
        out: &mut Diagnostics,
    );
}

/// The instructions an [`InstructionRule`] is called with, as the keyword index tells them
/// apart without reading the instructions.
#[derive(Clone, Copy)]
pub struct Interest {
    scope: Scope,
    keywords: u32,
    marks: SourceMarks,
    flagged_only: bool,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Scope {
    /// The instructions with one of the keywords.
    Own,
    /// The instructions that have, or whose ONBUILD triggers have, one of the keywords.
    Nesting,
    /// The instructions and ONBUILD triggers with one of the keywords, each trigger with the
    /// index of its instruction.
    WithTriggers,
    /// The instructions that have flags or whose ONBUILD triggers have, with their triggers.
    Flagged,
}

/// Every keyword as bits.
const ALL_KEYWORDS: u32 = (1 << (Keyword::Unknown as u32 + 1)) - 1;

impl Interest {
    /// The instructions with one of `keywords`.
    pub const fn own(keywords: &[Keyword]) -> Interest {
        Interest::of(Scope::Own, keyword_bits(keywords))
    }

    /// Every instruction.
    pub const fn every() -> Interest {
        Interest::of(Scope::Own, ALL_KEYWORDS)
    }

    /// The instructions that have, or whose ONBUILD triggers have, one of `keywords` (called
    /// with the instruction itself).
    pub const fn nesting(keywords: &[Keyword]) -> Interest {
        Interest::of(Scope::Nesting, keyword_bits(keywords))
    }

    /// The instructions and ONBUILD triggers with one of `keywords`.
    pub const fn with_triggers(keywords: &[Keyword]) -> Interest {
        Interest::of(Scope::WithTriggers, keyword_bits(keywords))
    }

    /// Every instruction and ONBUILD trigger.
    pub const fn every_with_triggers() -> Interest {
        Interest::of(Scope::WithTriggers, ALL_KEYWORDS)
    }

    /// The instructions that have flags or whose triggers have, and their triggers (with or
    /// without flags).
    pub const fn flagged() -> Interest {
        Interest::of(Scope::Flagged, ALL_KEYWORDS)
    }

    /// Only instructions whose source holds the `required` marks.
    pub(crate) const fn marked(self, required: SourceMarks) -> Interest {
        Interest {
            marks: required,
            ..self
        }
    }

    /// Only instructions that have flags (or whose triggers have).
    pub const fn with_flags(self) -> Interest {
        Interest {
            flagged_only: true,
            ..self
        }
    }

    const fn of(scope: Scope, keywords: u32) -> Interest {
        Interest {
            scope,
            keywords,
            marks: SourceMarks::NONE,
            flagged_only: scope as u8 == Scope::Flagged as u8,
        }
    }

    /// Whether an instruction with these index entries is of interest before its scope's
    /// keyword test.
    fn admits(&self, marks: SourceMarks, flagged: bool) -> bool {
        marks.contains(self.marks) && (flagged || !self.flagged_only)
    }
}

/// The one pass over the instructions that runs every [`InstructionRule`] given: for each
/// instruction, the rules interested in it (found by its keyword), each reporting into its
/// own [`Diagnostics`].
pub struct InstructionPass<'r> {
    rules: Vec<(&'r dyn InstructionRule, Interest)>,
    /// For each keyword, the rules of scope `Own` wanting it.
    own: [Vec<usize>; KEYWORD_COUNT],
    /// The same for the `WithTriggers` rules, looked up by the keyword of each trigger.
    triggers: [Vec<usize>; KEYWORD_COUNT],
    /// The rules of scope `Nesting` and `Flagged`, few and tested one by one.
    nesting: Vec<usize>,
    flagged: Vec<usize>,
    /// The keywords wanted by some rule of the scopes that look into triggers.
    nested_bits: u32,
}

const KEYWORD_COUNT: usize = Keyword::Unknown as usize + 1;

impl<'r> InstructionPass<'r> {
    pub fn new(rules: impl IntoIterator<Item = &'r dyn InstructionRule>) -> InstructionPass<'r> {
        let rules: Vec<(&dyn InstructionRule, Interest)> = rules
            .into_iter()
            .map(|rule| (rule, rule.interest()))
            .collect();
        let of_scope = |scope: Scope| -> Vec<usize> {
            (0..rules.len())
                .filter(|&n| rules[n].1.scope == scope)
                .collect()
        };
        let own = by_keyword(&rules, Scope::Own);
        let triggers = by_keyword(&rules, Scope::WithTriggers);
        let nesting = of_scope(Scope::Nesting);
        let flagged = of_scope(Scope::Flagged);
        let nested_bits = rules
            .iter()
            .filter(|(_, interest)| matches!(interest.scope, Scope::Nesting | Scope::WithTriggers))
            .fold(0, |bits, (_, interest)| bits | interest.keywords);
        InstructionPass {
            rules,
            own,
            triggers,
            nesting,
            flagged,
            nested_bits,
        }
    }

    /// Runs the rules over the instructions of `ctx`: their diagnostics, one [`Diagnostics`]
    /// per rule in the order the rules were given.
    pub fn run(&self, ctx: &RuleContext) -> Vec<Diagnostics> {
        let mut outs: Vec<Diagnostics> = (0..self.rules.len())
            .map(|_| Diagnostics::default())
            .collect();
        if self.rules.is_empty() {
            return outs;
        }
        let index = ctx.keyword_index();
        let entries = index
            .own
            .iter()
            .zip(&index.nested)
            .zip(&index.flagged)
            .zip(&index.marks);
        for (idx, (((&keyword, &nested), &flagged), &marks)) in entries.enumerate() {
            let own = self.own_rules(keyword);
            let nests = nested & self.nested_bits != 0;
            let walks_flagged = flagged && !self.flagged.is_empty();
            // The instruction itself is read only when a rule wants it.
            if own.is_empty() && !nests && !walks_flagged {
                continue;
            }
            let Some(inst) = ctx.tree.instructions.get(idx) else {
                continue;
            };
            for &n in own {
                self.call(n, ctx, idx, inst, marks, flagged, &mut outs);
            }
            if nests {
                for &n in &self.nesting {
                    if nested & self.rules[n].1.keywords != 0 {
                        self.call(n, ctx, idx, inst, marks, flagged, &mut outs);
                    }
                }
            }
            if !nests && !walks_flagged {
                continue;
            }
            let mut current = inst;
            loop {
                if nests {
                    for &n in self.trigger_rules(current.keyword) {
                        self.call(n, ctx, idx, current, marks, flagged, &mut outs);
                    }
                }
                if walks_flagged {
                    for &n in &self.flagged {
                        self.call(n, ctx, idx, current, marks, flagged, &mut outs);
                    }
                }
                match &current.args {
                    Args::OnBuild(trigger) => current = trigger,
                    _ => break,
                }
            }
        }
        outs
    }

    #[allow(clippy::too_many_arguments)]
    #[inline]
    fn call(
        &self,
        n: usize,
        ctx: &RuleContext,
        idx: usize,
        inst: &Instruction,
        marks: SourceMarks,
        flagged: bool,
        outs: &mut [Diagnostics],
    ) {
        let (rule, interest) = &self.rules[n];
        if interest.admits(marks, flagged) {
            if let Some(out) = outs.get_mut(n) {
                rule.check_instruction(ctx, idx, inst, out);
            }
        }
    }

    fn own_rules(&self, keyword: Keyword) -> &[usize] {
        self.own.get(keyword as usize).map_or(&[], Vec::as_slice)
    }

    fn trigger_rules(&self, keyword: Keyword) -> &[usize] {
        self.triggers
            .get(keyword as usize)
            .map_or(&[], Vec::as_slice)
    }
}

/// For each keyword, the rules of `scope` that want it, in their order.
fn by_keyword(
    rules: &[(&dyn InstructionRule, Interest)],
    scope: Scope,
) -> [Vec<usize>; KEYWORD_COUNT] {
    std::array::from_fn(|k| {
        rules
            .iter()
            .enumerate()
            .filter(|(_, (_, interest))| {
                interest.scope == scope && interest.keywords & (1 << k) != 0
            })
            .map(|(n, _)| n)
            .collect()
    })
}

/// Runs one [`InstructionRule`] alone, by the same pass [`super::check`] runs them all in.
pub fn check_per_instruction(rule: &dyn InstructionRule, ctx: &RuleContext, out: &mut Diagnostics) {
    for found in InstructionPass::new([rule]).run(ctx) {
        out.items.extend(found.items);
    }
}

/// Collects the diagnostics of one rule run.
#[derive(Default)]
pub struct Diagnostics {
    pub(crate) items: Vec<Diagnostic>,
    /// The documentation link of the rule that reported last (rules report in runs), shared
    /// by its diagnostics.
    docs_url: Option<(&'static str, std::sync::Arc<str>)>,
}

impl Diagnostics {
    pub fn report(
        &mut self,
        meta: &'static RuleMeta,
        range: TextRange,
        message: impl Into<String>,
    ) {
        let docs_url = match &self.docs_url {
            Some((name, url)) if *name == meta.name => url.clone(),
            _ => {
                let url: std::sync::Arc<str> = meta.docs_url().into();
                self.docs_url = Some((meta.name, url.clone()));
                url
            }
        };
        self.items.push(Diagnostic {
            range,
            severity: meta.severity,
            code: meta.name,
            message: message.into(),
            docs_url: Some(docs_url),
            fixable: meta.fixable,
        });
    }

    /// Reports with a severity other than the rule's default (rules with two levels).
    pub fn report_with(
        &mut self,
        meta: &'static RuleMeta,
        severity: Severity,
        range: TextRange,
        message: impl Into<String>,
    ) {
        self.report(meta, range, message);
        if let Some(last) = self.items.last_mut() {
            last.severity = severity;
        }
    }
}

/// Declares a rule: a unit struct, its [`RuleMeta`] built from the doc comment, and the
/// [`Rule`] impl delegating to an inherent `fn run(ctx, out)`; or, with `per_instruction: true`,
/// to the rule's [`InstructionRule`] impl, run in the pass shared by such rules.
#[macro_export]
macro_rules! declare_rule {
    (
        $(#[doc = $doc:literal])*
        $name:ident {
            severity: $severity:ident,
            origin: $origin:ident,
            summary: $summary:literal
            $(, hadolint: $dl:tt)?
            $(, fixable: $fixable:literal)?
            $(, default_enabled: $enabled:literal)?
            $(, per_instruction: $per_instruction:tt)?
            $(,)?
        }
    ) => {
        $(#[doc = $doc])*
        pub struct $name;

        impl $name {
            pub const META: $crate::rules::RuleMeta = $crate::rules::RuleMeta {
                name: stringify!($name),
                severity: $crate::analysis::Severity::$severity,
                summary: $summary,
                origin: $crate::rules::Origin::$origin,
                hadolint: $crate::declare_rule!(@codes $($dl)?),
                fixable: $crate::declare_rule!(@bool false $($fixable)?),
                default_enabled: $crate::declare_rule!(@bool true $($enabled)?),
                docs: concat!($($doc, "\n"),*),
            };
        }

        $crate::declare_rule!(@impl $name $($per_instruction)?);
    };
    (@impl $name:ident) => {
        impl $crate::rules::Rule for $name {
            fn meta(&self) -> &'static $crate::rules::RuleMeta {
                const META: &$crate::rules::RuleMeta = &$name::META;
                META
            }
            fn check(&self, ctx: &$crate::rules::RuleContext, out: &mut $crate::rules::Diagnostics) {
                Self::run(ctx, out)
            }
        }
    };
    (@impl $name:ident true) => {
        impl $crate::rules::Rule for $name {
            fn meta(&self) -> &'static $crate::rules::RuleMeta {
                const META: &$crate::rules::RuleMeta = &$name::META;
                META
            }
            fn check(&self, ctx: &$crate::rules::RuleContext, out: &mut $crate::rules::Diagnostics) {
                $crate::rules::check_per_instruction(self, ctx, out)
            }
            fn per_instruction(&self) -> Option<&dyn $crate::rules::InstructionRule> {
                Some(self)
            }
        }
    };
    (@codes) => { &[] };
    (@codes $code:literal) => { &[$code] };
    (@codes [$($code:literal),+ $(,)?]) => { &[$($code),+] };
    (@bool $default:literal) => { $default };
    (@bool $default:literal $v:literal) => { $v };
}

#[cfg(test)]
mod tests {
    #[test]
    fn hadolint_codes_are_well_formed_and_name_one_rule_each() {
        let mut seen = std::collections::HashMap::new();
        for rule in crate::rules::all_rules() {
            let meta = rule.meta();
            for code in meta.hadolint {
                assert!(
                    code.len() == 6
                        && code.starts_with("DL")
                        && code[2..].bytes().all(|b| b.is_ascii_digit()),
                    "{}: `{code}` is not a DL code",
                    meta.name
                );
                if let Some(other) = seen.insert(*code, meta.name) {
                    panic!("{code} is claimed by {other} and {}", meta.name);
                }
            }
        }
    }

    #[test]
    fn the_keyword_index_the_parser_gathers_is_the_one_the_instructions_give() {
        let mut texts = vec![
            crate::bench_support::generated_dockerfile(400),
            "FROM a\nonbuild Run echo $x\nOnBuild ONBUILD copy --from=x 'a' b\nfRoM b\n\
             ÉNV x\nRUN <<EOF\necho \"$y\"\nEOF\nCMD [\"a\\u0024\"]\n"
                .to_string(),
            "RUN a \\\n# c\n\n  b '\nLABEL x=1\n".to_string(),
        ];
        texts.extend(crate::bench_support::corpus_texts(&[
            "tests/buildkit/corpus",
            "fuzz/seeds/analysis",
        ]));
        assert!(texts.len() > 400, "found {} texts", texts.len());
        for text in &texts {
            let tree = crate::syntax::parse(text);
            assert_eq!(tree.keys.len(), tree.instructions.len());
            let gathered = super::KeywordIndex::new(text, &tree);
            let walked = super::KeywordIndex::walk(text, &tree);
            assert!(gathered == walked, "{text:?}");
        }
    }

    #[test]
    fn kebab_names_match_buildkit_urls() {
        assert_eq!(super::kebab_case("FromAsCasing"), "from-as-casing");
        assert_eq!(
            super::kebab_case("JSONArgsRecommended"),
            "json-args-recommended"
        );
        assert_eq!(
            super::kebab_case("UndefinedArgInFrom"),
            "undefined-arg-in-from"
        );
    }

    #[test]
    fn a_per_instruction_rule_alone_reports_what_it_reports_in_the_shared_pass() {
        let text = "FROM alpine as Build\nONBUILD COPY --frm=x a b\nRUN --mount=type=cahe echo\n\
                    EXPOSE 80/tcpx\nENV =1 A B\nSTOPSIGNAL SIGFOO\nCOPY a b c\nMAINTAINER me\n";
        let tree = crate::syntax::parse(text);
        let model = crate::model::Model::build(&tree);
        let env = crate::rules::test_support::test_env();
        let ctx = super::RuleContext::new(text, &tree, &model, &env, None);
        let fused: Vec<&dyn super::Rule> = crate::rules::all_rules()
            .filter(|rule| rule.per_instruction().is_some())
            .collect();
        let shared =
            super::InstructionPass::new(fused.iter().filter_map(|r| r.per_instruction())).run(&ctx);
        let found = |items: &[crate::analysis::Diagnostic]| -> Vec<String> {
            items
                .iter()
                .map(|d| format!("{} {:?} {}", d.code, d.range, d.message))
                .collect()
        };
        assert_eq!(shared.len(), fused.len());
        let mut reported = 0;
        for (rule, in_pass) in fused.iter().zip(&shared) {
            let mut alone = super::Diagnostics::default();
            rule.check(&ctx, &mut alone);
            assert_eq!(
                found(&alone.items),
                found(&in_pass.items),
                "{}",
                rule.meta().name
            );
            reported += alone.items.len();
        }
        assert!(
            reported >= 8,
            "the text should trip several rules, found {reported}"
        );
    }
}
