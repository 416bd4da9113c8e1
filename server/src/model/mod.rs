//! The semantic model of a Dockerfile: stages, their base images, ARG/ENV scopes, stage
//! references and the `dotnet` command lines inside RUN instructions.

pub mod dotnet_cli;
pub mod vars;

use rustc_hash::FxHashMap;
use std::ops::Range;

use crate::syntax::{Args, Instruction, Keyword, SyntaxTree, Word};
use crate::text::TextRange;
pub use dotnet_cli::{CliWord, DotnetCommand};
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
    stage_names: FxHashMap<String, usize>,
    /// For each stage, its declarations' indices in `stage_vars` (they are contiguous).
    stage_var_ranges: Vec<Range<usize>>,
    /// Each stage's scope at its end, computed on first use: every scope inside the stage is
    /// a prefix of it.
    stage_scopes: std::sync::OnceLock<Vec<StageScope>>,
}

/// The variables visible at the end of a stage, in declaration order.
#[derive(Clone, Debug, Default)]
struct StageScope {
    vars: Vec<(String, Option<String>)>,
    /// Where the stage's own declarations start in `vars` (before them: inherited ENV).
    own_start: usize,
    /// The instruction of each own declaration, in order.
    own_instructions: Vec<usize>,
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
        self.name.as_ref().map(|n| n.text.to_ascii_lowercase())
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
    pub name: String,
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
    pub name: String,
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
    pub fn build(tree: &SyntaxTree) -> Model {
        let mut model = Model::default();
        let instructions = &tree.instructions;
        let from_indices: Vec<usize> = instructions
            .iter()
            .enumerate()
            .filter(|(_, i)| i.keyword == Keyword::From)
            .map(|(idx, _)| idx)
            .collect();
        let first_from = from_indices.first().copied().unwrap_or(instructions.len());
        model.stages.reserve_exact(from_indices.len());
        // Most RUN instructions of a .NET Dockerfile run one `dotnet` command.
        let runs = instructions
            .iter()
            .filter(|i| i.effective().keyword == Keyword::Run)
            .count();
        model.dotnet_commands.reserve_exact(runs);
        model.stage_var_ranges.reserve_exact(from_indices.len());
        model.stage_names.reserve(from_indices.len());
        for (idx, inst) in instructions[..first_from].iter().enumerate() {
            if inst.keyword == Keyword::Arg {
                model.global_args.extend(decls(inst, idx, None));
            }
        }
        let globals = model.global_scope();
        for (n, &from) in from_indices.iter().enumerate() {
            let end = from_indices
                .get(n + 1)
                .copied()
                .unwrap_or(instructions.len());
            let inst = &instructions[from];
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
                    let resolved = expand(&word.text, &globals[..]);
                    let lower = resolved.text.to_ascii_lowercase();
                    if let Some(&stage) = model.stage_names.get(&lower) {
                        model.stage_refs.push(StageRef {
                            kind: StageRefKind::From,
                            name: word.text.clone(),
                            range: word.range,
                            instruction: from,
                            in_stage: n,
                            target: Some(stage),
                        });
                        BaseImage::Stage(stage)
                    } else if lower == "scratch" {
                        BaseImage::Scratch
                    } else {
                        BaseImage::Image {
                            word: word.clone(),
                            resolved,
                        }
                    }
                }
            };
            if let Some(name) = &name {
                model
                    .stage_names
                    .entry(name.text.to_ascii_lowercase())
                    .or_insert(n);
            }
            model.stages.push(Stage {
                index: n,
                name,
                from,
                instructions: from..end,
                base,
                platform: inst.flag_value("platform").cloned(),
            });
        }
        for stage_idx in 0..model.stages.len() {
            let range = model.stages[stage_idx].instructions.clone();
            let vars_start = model.stage_vars.len();
            for idx in range {
                let inst = instructions[idx].effective();
                model.collect_instruction(tree, inst, idx, stage_idx);
            }
            model
                .stage_var_ranges
                .push(vars_start..model.stage_vars.len());
        }
        model.stage_refs.sort_by_key(|r| r.range.start);
        model
    }

    fn collect_instruction(
        &mut self,
        tree: &SyntaxTree,
        inst: &Instruction,
        idx: usize,
        stage_idx: usize,
    ) {
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
                            name: name.to_string(),
                            range,
                            instruction: idx,
                            in_stage: stage_idx,
                            target,
                        });
                    }
                }
                self.collect_dotnet(tree, inst, idx, stage_idx);
            }
            _ => {}
        }
    }

    fn collect_dotnet(&mut self, _tree: &SyntaxTree, inst: &Instruction, idx: usize, stage: usize) {
        let invocation = |command| DotnetInvocation {
            stage,
            instruction: idx,
            command,
        };
        let found = &mut self.dotnet_commands;
        let mut push = |command| found.push(invocation(command));
        match &inst.args {
            Args::Shell(cmd) => {
                dotnet_cli::for_each_dotnet_command(
                    &cmd.text,
                    &|s, e| inst.rest_range(s, e),
                    &mut push,
                );
            }
            Args::Exec { elements, .. } => {
                let start = elements
                    .iter()
                    .position(|w| w.text == "dotnet" || w.text.ends_with("/dotnet"));
                let exec = start.and_then(|s| {
                    let words: Vec<CliWord> = elements[s..]
                        .iter()
                        .map(|w| CliWord {
                            text: w.text.clone(),
                            range: w.range,
                        })
                        .collect();
                    dotnet_cli::parse_invocation(&words)
                });
                if let Some(cmd) = exec {
                    push(cmd);
                } else if let Some(script) = elements.iter().position(|w| w.text == "-c") {
                    // ["/bin/sh", "-c", "dotnet publish ..."]: positions inside a JSON
                    // string are approximated by the element's range.
                    if let Some(body) = elements.get(script + 1) {
                        dotnet_cli::for_each_dotnet_command(
                            &body.text,
                            &|_, _| body.range,
                            &mut push,
                        );
                    }
                }
            }
            _ => {}
        }
        for heredoc in &inst.heredocs {
            let base = heredoc.body_range.start();
            dotnet_cli::for_each_dotnet_command(
                &heredoc.content,
                &|s, e| TextRange::new(base + s, base + e),
                &mut push,
            );
        }
    }

    /// The stage a `--from=` value names: a stage name or index defined before `current`.
    pub fn stage_by_ref(&self, name: &str, current: usize) -> Option<usize> {
        if let Ok(n) = name.parse::<usize>() {
            return (n < current).then_some(n);
        }
        self.stage_names
            .get(&name.to_ascii_lowercase())
            .copied()
            .filter(|&s| s < current)
    }

    pub fn stage_by_name(&self, name: &str) -> Option<&Stage> {
        self.stage_names
            .get(&name.to_ascii_lowercase())
            .and_then(|&s| self.stages.get(s))
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
            .map(|d| (d.name.clone(), d.value.as_ref().map(|v| unquote(&v.text))))
            .collect()
    }

    /// Names and values visible just before instruction `before` in `stage`: ENV and ARG of
    /// the stage (and its parent stages), an `ARG X` without default taking the global default.
    pub fn scope_at(&self, stage: usize, before: usize) -> Vec<(String, Option<String>)> {
        self.scope_before(stage, before).to_vec()
    }

    /// Substitutes variables visible before instruction `before` of `stage`.
    pub fn expand_at(&self, stage: usize, before: usize, text: &str) -> Expanded {
        expand(text, self.scope_before(stage, before))
    }

    /// The scope at `before` is the stage's final scope cut after its own declarations of
    /// earlier instructions (a value only depends on what was declared before it).
    fn scope_before(&self, stage: usize, before: usize) -> &[(String, Option<String>)] {
        let scopes = self.stage_scopes.get_or_init(|| {
            let globals = self.global_scope();
            (0..self.stages.len())
                .map(|stage| self.stage_scope(stage, &globals))
                .collect()
        });
        let Some(scope) = scopes.get(stage) else {
            return &[];
        };
        let own = scope.own_instructions.partition_point(|&i| i < before);
        scope.vars.get(..scope.own_start + own).unwrap_or(&[])
    }

    fn stage_scope(&self, stage: usize, globals: &[(String, Option<String>)]) -> StageScope {
        let mut chain = Vec::new();
        let mut current = self.stages.get(stage);
        while let Some(s) = current {
            chain.push(s.index);
            current = match s.base {
                BaseImage::Stage(p) if p < s.index && !chain.contains(&p) => self.stages.get(p),
                _ => None,
            };
        }
        let mut scope = StageScope::default();
        for &s in chain.iter().rev() {
            if s == stage {
                scope.own_start = scope.vars.len();
            }
            let range = self.stage_var_ranges.get(s).cloned().unwrap_or(0..0);
            for d in self.stage_vars.get(range).unwrap_or(&[]) {
                if d.kind == VarKind::Arg && s != stage {
                    // ARGs do not carry over to child stages; ENV does.
                    continue;
                }
                let raw = d.value.as_ref().map(|v| unquote(&v.text));
                let value = match (raw, d.kind) {
                    // Without a `$` the expansion is the text itself: keep it, not a copy.
                    (Some(v), _) if memchr::memchr(b'$', v.as_bytes()).is_none() => Some(v),
                    (Some(v), _) => Some(expand(&v, &scope.vars[..]).text),
                    (None, VarKind::Arg) => globals
                        .iter()
                        .rev()
                        .find(|(n, _)| n == &d.name)
                        .and_then(|(_, v)| v.clone()),
                    (None, VarKind::Env) => None,
                };
                scope.vars.push((d.name.clone(), value));
                if s == stage {
                    scope.own_instructions.push(d.instruction);
                }
            }
        }
        scope
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
