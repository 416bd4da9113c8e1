//! Where stages, ARG/ENV variables and heredoc delimiters are defined and used, with the
//! scoping rules of BuildKit: a `$X` in a FROM line refers to the global ARG; inside a stage
//! to the stage's ARG/ENV declared before it, then to ENV inherited from parent stages. A
//! stage's `ARG X` re-declares the global ARG `X` (same build argument), and a later
//! `ENV X`/`ARG X` in the same scope re-declares the variable visible there, so all of them
//! are one symbol for references and rename.

use crate::analysis::Analysis;
use crate::ide::docs::PREDEFINED_ARGS;
use crate::model::{var_refs, BaseImage, Model, VarDecl, VarKind, AUTOMATIC_PLATFORM_ARGS};
use crate::syntax::{Args, Keyword, SyntaxTree};
use crate::text::TextRange;

/// A `$NAME` / `${NAME...}` reference in the source.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct SourceVarRef {
    pub name: String,
    /// The whole reference, `$NAME` or `${NAME:-x}`.
    pub range: TextRange,
    pub name_range: TextRange,
    pub instruction: usize,
}

/// Whether BuildKit substitutes variables in the instruction's arguments (or, for the shell
/// forms, whether the shell sees them as environment variables).
fn args_have_variables(keyword: Keyword, args: &Args) -> bool {
    match keyword {
        Keyword::Run | Keyword::Cmd | Keyword::Entrypoint | Keyword::Shell => {
            !matches!(args, Args::Exec { .. })
        }
        Keyword::Healthcheck => match args {
            Args::Healthcheck { command, .. } => !matches!(command.as_ref(), Args::Exec { .. }),
            _ => false,
        },
        Keyword::Unknown | Keyword::Maintainer | Keyword::Onbuild => false,
        _ => true,
    }
}

/// Every variable reference of instruction `idx` (flags, arguments, heredoc bodies), in
/// source order.
pub(crate) fn var_refs_of(text: &str, tree: &SyntaxTree, idx: usize) -> Vec<SourceVarRef> {
    let Some(inst) = tree.instructions.get(idx) else {
        return Vec::new();
    };
    let eff = inst.effective();
    let mut out = Vec::new();
    for flag in &eff.flags {
        let Some(value) = &flag.value else { continue };
        let Some(src) = text.get(value.range.as_range()) else {
            continue;
        };
        if !src.contains('$') {
            continue;
        }
        let base = value.range.start();
        for r in var_refs(src, tree.escape) {
            out.push(SourceVarRef {
                name: r.name,
                range: TextRange::new(base + r.start, base + r.end),
                name_range: TextRange::new(base + r.name_start, base + r.name_end),
                instruction: idx,
            });
        }
    }
    if args_have_variables(eff.keyword, &eff.args) && eff.rest.text.contains('$') {
        let shell = matches!(
            eff.keyword,
            Keyword::Run | Keyword::Cmd | Keyword::Entrypoint | Keyword::Healthcheck
        );
        let escape = if shell { '\\' } else { tree.escape };
        for r in var_refs(&eff.rest.text, escape) {
            let name_range = eff.rest_range(r.name_start, r.name_end);
            // A name split by a line continuation cannot be edited as one range.
            if name_range.len() != r.name.len() {
                continue;
            }
            out.push(SourceVarRef {
                range: eff.rest_range(r.start, r.end),
                name: r.name,
                name_range,
                instruction: idx,
            });
        }
    }
    let expands_body = eff.keyword == Keyword::Run;
    for heredoc in &eff.heredocs {
        if !(expands_body || heredoc.expand) || !heredoc.content.contains('$') {
            continue;
        }
        let base = heredoc.body_range.start();
        for r in var_refs(&heredoc.content, '\\') {
            out.push(SourceVarRef {
                name: r.name,
                range: TextRange::new(base + r.start, base + r.end),
                name_range: TextRange::new(base + r.name_start, base + r.name_end),
                instruction: idx,
            });
        }
    }
    out.sort_by_key(|r| r.range.start);
    out
}

/// Where a variable reference is evaluated.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Scope {
    /// FROM lines and the ARGs before the first FROM.
    Global,
    Stage(usize),
}

pub(crate) fn scope_of(model: &Model, tree: &SyntaxTree, idx: usize) -> Scope {
    let is_from = tree
        .instructions
        .get(idx)
        .is_some_and(|i| i.keyword == Keyword::From);
    if is_from {
        return Scope::Global;
    }
    match model.stage_of_instruction(idx) {
        Some(stage) => Scope::Stage(stage.index),
        None => Scope::Global,
    }
}

/// The stage whose FROM is instruction `idx` (stages are ordered by their FROM).
pub(crate) fn stage_starting_at(model: &Model, idx: usize) -> Option<&crate::model::Stage> {
    let n = model.stages.partition_point(|s| s.from < idx);
    model.stages.get(n).filter(|s| s.from == idx)
}

/// A declaration: an index into `Model::global_args` or `Model::stage_vars`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum DeclId {
    Global(usize),
    Stage(usize),
}

impl DeclId {
    pub fn get(self, model: &Model) -> Option<&VarDecl> {
        match self {
            DeclId::Global(i) => model.global_args.get(i),
            DeclId::Stage(i) => model.stage_vars.get(i),
        }
    }

    fn flat(self, model: &Model) -> usize {
        match self {
            DeclId::Global(i) => i,
            DeclId::Stage(i) => model.global_args.len() + i,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Resolution {
    Decl(DeclId),
    /// An automatic platform ARG in a FROM line, or a predefined proxy ARG.
    Builtin,
    Unresolved,
}

/// The declarations of stage `stage` in `Model::stage_vars` (which is ordered by stage).
fn stage_slice(model: &Model, stage: usize) -> std::ops::Range<usize> {
    let vars = &model.stage_vars;
    let start = vars.partition_point(|d| d.stage.is_some_and(|s| s < stage));
    let end = vars.partition_point(|d| d.stage.is_some_and(|s| s <= stage));
    start..end.max(start)
}

/// The declaration a reference to `name` at instruction `idx` in `scope` refers to.
pub(crate) fn resolve(model: &Model, name: &str, idx: usize, scope: Scope) -> Resolution {
    match scope {
        Scope::Global => {
            let found = model
                .global_args
                .iter()
                .enumerate()
                .rev()
                .find(|(_, d)| d.name == name && d.instruction < idx);
            match found {
                Some((i, _)) => Resolution::Decl(DeclId::Global(i)),
                None if AUTOMATIC_PLATFORM_ARGS.contains(&name) => Resolution::Builtin,
                None => Resolution::Unresolved,
            }
        }
        Scope::Stage(stage) => {
            let range = stage_slice(model, stage);
            let own = model.stage_vars[range.clone()]
                .iter()
                .enumerate()
                .rev()
                .find(|(_, d)| d.name == name && d.instruction < idx);
            if let Some((i, _)) = own {
                return Resolution::Decl(DeclId::Stage(range.start + i));
            }
            // ENV (not ARG) carries over from the stages this one is built FROM.
            let mut seen = vec![stage];
            let mut current = model.stages.get(stage);
            while let Some(s) = current {
                let parent = match s.base {
                    BaseImage::Stage(p) if p < s.index && !seen.contains(&p) => p,
                    _ => break,
                };
                seen.push(parent);
                let range = stage_slice(model, parent);
                let inherited = model.stage_vars[range.clone()]
                    .iter()
                    .enumerate()
                    .rev()
                    .find(|(_, d)| d.name == name && d.kind == VarKind::Env);
                if let Some((i, _)) = inherited {
                    return Resolution::Decl(DeclId::Stage(range.start + i));
                }
                current = model.stages.get(parent);
            }
            if PREDEFINED_ARGS.contains(&name) {
                Resolution::Builtin
            } else {
                Resolution::Unresolved
            }
        }
    }
}

/// The declaration an ARG/ENV declaration re-declares (see the module comment).
fn redeclares(model: &Model, id: DeclId) -> Option<DeclId> {
    let decl = id.get(model)?;
    match id {
        DeclId::Global(_) => match resolve(model, &decl.name, decl.instruction, Scope::Global) {
            Resolution::Decl(d) => Some(d),
            _ => None,
        },
        DeclId::Stage(_) => {
            let stage = decl.stage?;
            match resolve(model, &decl.name, decl.instruction, Scope::Stage(stage)) {
                Resolution::Decl(d) => Some(d),
                _ if decl.kind == VarKind::Arg => model
                    .global_args
                    .iter()
                    .rposition(|g| g.name == decl.name)
                    .map(DeclId::Global),
                _ => None,
            }
        }
    }
}

fn all_decls(model: &Model) -> impl Iterator<Item = DeclId> {
    (0..model.global_args.len())
        .map(DeclId::Global)
        .chain((0..model.stage_vars.len()).map(DeclId::Stage))
}

/// The declarations that form one variable symbol with `id`.
pub(crate) fn decl_group(model: &Model, id: DeclId) -> Vec<DeclId> {
    let n = model.global_args.len() + model.stage_vars.len();
    let mut parent: Vec<usize> = (0..n).collect();
    fn find(parent: &mut [usize], mut x: usize) -> usize {
        while parent[x] != x {
            parent[x] = parent[parent[x]];
            x = parent[x];
        }
        x
    }
    let Some(target_name) = id.get(model).map(|d| d.name.as_str()) else {
        return Vec::new();
    };
    let candidates: Vec<DeclId> = all_decls(model)
        .filter(|d| d.get(model).is_some_and(|d| d.name == target_name))
        .collect();
    for &d in &candidates {
        if let Some(other) = redeclares(model, d) {
            let (a, b) = (
                find(&mut parent, d.flat(model)),
                find(&mut parent, other.flat(model)),
            );
            parent[a] = b;
        }
    }
    let root = find(&mut parent, id.flat(model));
    candidates
        .into_iter()
        .filter(|d| find(&mut parent, d.flat(model)) == root)
        .collect()
}

/// A thing that can be navigated to, highlighted and renamed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Symbol {
    /// A stage, by BuildKit's normalised (lower-case) name.
    Stage(String),
    /// A declared variable: any declaration of its group.
    Var(DeclId),
    /// A variable with no declaration (a shell variable, an automatic ARG).
    FreeVar { name: String, scope: Scope },
    /// The delimiter of heredoc `index` of instruction `instruction`.
    Heredoc { instruction: usize, index: usize },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum OccurrenceKind {
    Definition,
    /// A re-declaration (a later ARG/ENV of the same variable) or a heredoc terminator.
    Write,
    Read,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Occurrence {
    /// The name only (what rename replaces).
    pub range: TextRange,
    pub kind: OccurrenceKind,
}

/// The range of the bare `name` inside `range` (which may include quotes).
fn inner_name_range(text: &str, range: TextRange, name: &str) -> Option<TextRange> {
    let src = text.get(range.as_range())?;
    if src.eq_ignore_ascii_case(name) {
        return Some(range);
    }
    let lower = src.to_ascii_lowercase();
    let at = lower.find(&name.to_ascii_lowercase())?;
    Some(TextRange::new(
        range.start() + at,
        range.start() + at + name.len(),
    ))
}

fn is_stage_name_ref(name: &str) -> bool {
    !name.is_empty() && !name.contains('$') && name.parse::<usize>().is_err()
}

/// The name range of a heredoc's terminator line.
pub(crate) fn terminator_name_range(
    text: &str,
    terminator: TextRange,
    name: &str,
) -> Option<TextRange> {
    let line = text.get(terminator.as_range())?;
    line.ends_with(name)
        .then(|| TextRange::new(terminator.end() - name.len(), terminator.end()))
}

/// The symbol at `offset` and the range of its occurrence there.
pub(crate) fn symbol_at(analysis: &Analysis, offset: usize) -> Option<(Symbol, TextRange)> {
    let (text, tree, model) = (&analysis.text, &analysis.tree, &analysis.model);
    let idx = crate::ide::cursor::instruction_index_at(tree, offset)?;
    let inst = &tree.instructions[idx];
    if let Some(stage) = stage_starting_at(model, idx) {
        if let Some(name) = &stage.name {
            if name.range.contains_inclusive(offset) {
                return Some((
                    Symbol::Stage(name.text.as_str().to_ascii_lowercase()),
                    name.range,
                ));
            }
        }
    }
    let refs_start = model.stage_refs.partition_point(|r| r.range.end() < offset);
    for r in &model.stage_refs[refs_start..] {
        if r.range.start() > offset {
            break;
        }
        if r.instruction == idx && is_stage_name_ref(&r.name) {
            let range = inner_name_range(text, r.range, &r.name).unwrap_or(r.range);
            if range.contains_inclusive(offset) {
                return Some((Symbol::Stage(r.name.as_str().to_ascii_lowercase()), range));
            }
        }
    }
    let decl_at = |id: DeclId| {
        id.get(model)
            .filter(|d| d.instruction == idx && d.name_range.contains_inclusive(offset))
            .map(|d| (Symbol::Var(id), d.name_range))
    };
    for i in 0..model.global_args.len() {
        if let Some(found) = decl_at(DeclId::Global(i)) {
            return Some(found);
        }
    }
    if let Some(stage) = model.stage_of_instruction(idx) {
        for i in stage_slice(model, stage.index) {
            if let Some(found) = decl_at(DeclId::Stage(i)) {
                return Some(found);
            }
        }
    }
    for r in var_refs_of(text, tree, idx) {
        if r.range.contains_inclusive(offset) {
            let scope = scope_of(model, tree, idx);
            let symbol = match resolve(model, &r.name, idx, scope) {
                Resolution::Decl(d) => Symbol::Var(d),
                _ => Symbol::FreeVar {
                    name: r.name.clone(),
                    scope,
                },
            };
            return Some((symbol, r.name_range));
        }
    }
    for (index, heredoc) in inst.effective().heredocs.iter().enumerate() {
        let opening = inner_name_range(text, heredoc.name_range, &heredoc.name);
        let closing = heredoc
            .terminator_range
            .and_then(|t| terminator_name_range(text, t, &heredoc.name));
        for range in [opening, closing].into_iter().flatten() {
            if range.contains_inclusive(offset) {
                return Some((
                    Symbol::Heredoc {
                        instruction: idx,
                        index,
                    },
                    range,
                ));
            }
        }
    }
    None
}

/// Every occurrence of `symbol`, in source order.
pub(crate) fn occurrences(analysis: &Analysis, symbol: &Symbol) -> Vec<Occurrence> {
    let (text, tree, model) = (&analysis.text, &analysis.tree, &analysis.model);
    let mut out = Vec::new();
    match symbol {
        Symbol::Stage(name) => {
            let mut first = true;
            for stage in &model.stages {
                if let Some(word) = &stage.name {
                    if word.text.eq_ignore_ascii_case(name) {
                        out.push(Occurrence {
                            range: word.range,
                            kind: if first {
                                OccurrenceKind::Definition
                            } else {
                                OccurrenceKind::Write
                            },
                        });
                        first = false;
                    }
                }
            }
            for r in &model.stage_refs {
                if is_stage_name_ref(&r.name) && r.name.eq_ignore_ascii_case(name) {
                    if let Some(range) = inner_name_range(text, r.range, &r.name) {
                        out.push(Occurrence {
                            range,
                            kind: OccurrenceKind::Read,
                        });
                    }
                }
            }
        }
        Symbol::Var(id) => {
            let group = decl_group(model, *id);
            let Some(name) = id.get(model).map(|d| d.name.clone()) else {
                return out;
            };
            let mut first = true;
            let mut decls: Vec<&VarDecl> = group.iter().filter_map(|d| d.get(model)).collect();
            decls.sort_by_key(|d| d.name_range.start);
            for d in decls {
                out.push(Occurrence {
                    range: d.name_range,
                    kind: if first {
                        OccurrenceKind::Definition
                    } else {
                        OccurrenceKind::Write
                    },
                });
                first = false;
            }
            for idx in 0..tree.instructions.len() {
                let refs = var_refs_of(text, tree, idx);
                if !refs.iter().any(|r| r.name == name) {
                    continue;
                }
                let scope = scope_of(model, tree, idx);
                if let Resolution::Decl(d) = resolve(model, &name, idx, scope) {
                    if group.contains(&d) {
                        out.extend(refs.iter().filter(|r| r.name == name).map(|r| Occurrence {
                            range: r.name_range,
                            kind: OccurrenceKind::Read,
                        }));
                    }
                }
            }
        }
        Symbol::FreeVar { name, scope } => {
            for idx in 0..tree.instructions.len() {
                let refs = var_refs_of(text, tree, idx);
                if !refs.iter().any(|r| &r.name == name) || scope_of(model, tree, idx) != *scope {
                    continue;
                }
                if matches!(
                    resolve(model, name, idx, *scope),
                    Resolution::Builtin | Resolution::Unresolved
                ) {
                    out.extend(refs.iter().filter(|r| &r.name == name).map(|r| Occurrence {
                        range: r.name_range,
                        kind: OccurrenceKind::Read,
                    }));
                }
            }
        }
        Symbol::Heredoc { instruction, index } => {
            let heredoc = tree
                .instructions
                .get(*instruction)
                .and_then(|i| i.effective().heredocs.get(*index));
            if let Some(h) = heredoc {
                if let Some(range) = inner_name_range(text, h.name_range, &h.name) {
                    out.push(Occurrence {
                        range,
                        kind: OccurrenceKind::Definition,
                    });
                }
                if let Some(range) = h
                    .terminator_range
                    .and_then(|t| terminator_name_range(text, t, &h.name))
                {
                    out.push(Occurrence {
                        range,
                        kind: OccurrenceKind::Write,
                    });
                }
            }
        }
    }
    out.sort_by_key(|o| (o.range.start, o.kind));
    out.dedup_by_key(|o| o.range);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ide::test_support::{analysis, slices};

    const TEXT: &str = "ARG V=1\nARG BASE=img:$V\nFROM $BASE AS build\nARG V\nENV P=/x\nRUN echo $V $P\nFROM build AS final\nRUN echo $P $V\nCOPY --from=BUILD /a /b\n";

    fn symbol_ranges(text: &str, marker: &str) -> Vec<String> {
        let a = analysis(text);
        let offset = text.find(marker).unwrap() + 1;
        let (symbol, _) = symbol_at(&a, offset).unwrap();
        let ranges: Vec<TextRange> = occurrences(&a, &symbol).iter().map(|o| o.range).collect();
        ranges
            .iter()
            .map(|r| format!("{}@{}", &text[r.as_range()], r.start))
            .collect()
    }

    #[test]
    fn global_arg_is_one_symbol_with_the_stage_redeclaration() {
        assert_eq!(
            symbol_ranges(TEXT, "$V\nFROM"),
            ["V@4", "V@22", "V@48", "V@69"]
        );
    }

    #[test]
    fn env_is_inherited_by_child_stages_but_arg_is_not() {
        assert_eq!(symbol_ranges(TEXT, " P=/x"), ["P@54", "P@72", "P@104"]);
        // `$V` in the child stage has no ARG V: it is a free variable of that stage.
        let a = analysis(TEXT);
        let at = TEXT.rfind("$V").unwrap() + 1;
        assert_eq!(
            symbol_at(&a, at).unwrap().0,
            Symbol::FreeVar {
                name: "V".into(),
                scope: Scope::Stage(1)
            }
        );
    }

    #[test]
    fn stages_match_case_insensitively() {
        assert_eq!(
            symbol_ranges(TEXT, " build\nARG"),
            ["build@38", "build@79", "BUILD@121"]
        );
    }

    #[test]
    fn heredoc_delimiters_with_quotes() {
        let text = "FROM a\nRUN <<\"EOF\" bash\necho $HOME\nEOF\n";
        let a = analysis(text);
        let (symbol, range) = symbol_at(&a, text.find("EOF").unwrap() + 1).unwrap();
        assert_eq!(&text[range.as_range()], "EOF");
        let ranges: Vec<TextRange> = occurrences(&a, &symbol).iter().map(|o| o.range).collect();
        assert_eq!(slices(text, &ranges), ["EOF", "EOF"]);
        assert_eq!(ranges[1].start(), text.rfind("EOF").unwrap());
    }

    #[test]
    fn references_in_exec_form_commands_are_not_variables() {
        let text = "FROM a\nENV X=1\nCMD [\"echo\", \"$X\"]\nCOPY [\"$X\", \"/d\"]\n";
        let a = analysis(text);
        assert!(var_refs_of(text, &a.tree, 2).is_empty());
        assert_eq!(var_refs_of(text, &a.tree, 3).len(), 1);
    }
}
