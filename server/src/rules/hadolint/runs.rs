//! What the hadolint rules share: the shell scripts of RUN instructions (shell form, exec
//! form, heredoc bodies, `ONBUILD RUN`), the shell each RUN runs under, the cache mounts of a
//! RUN, and which stages end up in an image.

use super::shell::{
    basename, shell_c_script, Command, Script, ScriptStore, ShellWord, ShortName, POSIX_SHELLS,
};
use crate::model::{BaseImage, Model};
use crate::rules::RuleContext;
use crate::syntax::{Args, Instruction, Keyword};
use crate::text::TextRange;
use rustc_hash::FxHashMap;
use std::borrow::Cow;
use std::ops::Range;

/// The shell a shell-form RUN runs under, as SHELL (or the base image) set it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct ShellInfo {
    /// `sh`, `bash` and friends; not `pwsh`, `powershell` or `cmd`.
    pub posix: bool,
    /// The shell was started with `-o pipefail`.
    pub pipefail: bool,
}

impl ShellInfo {
    const DEFAULT: ShellInfo = ShellInfo {
        posix: true,
        pipefail: false,
    };
    const NOT_POSIX: ShellInfo = ShellInfo {
        posix: false,
        pipefail: false,
    };

    /// From a `SHELL ["bash", "-o", "pipefail", "-c"]` instruction.
    fn from_shell_instruction(elements: &[crate::syntax::Word]) -> ShellInfo {
        let Some(first) = elements.first() else {
            return ShellInfo::DEFAULT;
        };
        let name = basename(&first.text).to_ascii_lowercase();
        let name = name.trim_end_matches(".exe");
        if !POSIX_SHELLS.contains(&name) {
            return ShellInfo::NOT_POSIX;
        }
        // dash and busybox sh have no pipefail option; hadolint accepts these three.
        let supports_pipefail = matches!(name, "bash" | "zsh" | "ash" | "ksh" | "mksh");
        let pipefail = elements.windows(2).any(|pair| {
            let option = pair[0].text.as_str();
            option.starts_with('-')
                && !option.starts_with("--")
                && option.ends_with('o')
                && pair[1].text == "pipefail"
        });
        ShellInfo {
            posix: true,
            pipefail: supports_pipefail && pipefail,
        }
    }
}

/// One RUN instruction (or the RUN of an `ONBUILD RUN`), as [`Runs`] keeps it.
pub(crate) struct RunInfo<'a> {
    /// Index in `SyntaxTree::instructions`.
    pub index: usize,
    /// The RUN itself: for `ONBUILD RUN` the inner instruction.
    pub run: &'a Instruction,
    pub onbuild: bool,
    pub stage: Option<usize>,
    pub shell: ShellInfo,
    /// Its scripts in the store of [`Runs`].
    scripts: Range<usize>,
}

/// One RUN instruction (or the RUN of an `ONBUILD RUN`) with its scripts.
#[derive(Clone, Copy)]
pub(crate) struct Run<'r, 'a> {
    info: &'r RunInfo<'a>,
    store: &'r ScriptStore<'a>,
}

impl<'a> std::ops::Deref for Run<'_, 'a> {
    type Target = RunInfo<'a>;

    fn deref(&self) -> &RunInfo<'a> {
        self.info
    }
}

impl<'r, 'a> Run<'r, 'a> {
    /// The shell-form line, heredoc bodies that are scripts, the `sh -c` argument of the
    /// exec form, or the exec form itself as one command. None under a non-POSIX shell.
    pub fn scripts(&self) -> impl Iterator<Item = Script<'r, 'a>> + 'r {
        let store = self.store;
        self.info
            .scripts
            .clone()
            .filter_map(move |index| store.script(index))
    }

    pub fn commands(&self) -> impl Iterator<Item = Command<'r, 'a>> + 'r {
        self.scripts().flat_map(|s| s.commands())
    }
}

impl RunInfo<'_> {
    /// Targets of `--mount=type=cache` and `--mount=type=tmpfs` (what stays out of the layer).
    fn cache_mounts(&self) -> impl Iterator<Item = &str> {
        self.run
            .flags
            .iter()
            .filter(|f| f.name.eq_ignore_ascii_case("mount"))
            .filter_map(|flag| {
                let value = flag.value.as_ref()?;
                let mut kind = "bind";
                let mut target = None;
                for field in value.text.split(',') {
                    match field.split_once('=') {
                        Some(("type", v)) => kind = v,
                        Some(("target" | "dst" | "destination", v)) => target = Some(v),
                        _ => {}
                    }
                }
                if matches!(kind, "cache" | "tmpfs") {
                    target.map(|t| t.trim_end_matches('/'))
                } else {
                    None
                }
            })
    }

    /// Whether a cache or tmpfs mount covers `dir` (the mount target is `dir` or a parent).
    pub fn mounts_cache_over(&self, dir: &str) -> bool {
        self.cache_mounts().any(|t| path_covers(t, dir))
    }
}

/// Whether `path` is `dir` or one of its parents.
pub(crate) fn path_covers(path: &str, dir: &str) -> bool {
    let path = path.trim_end_matches('/');
    dir == path || (dir.starts_with(path) && dir.as_bytes().get(path.len()) == Some(&b'/'))
}

/// The shell in effect at each instruction.
pub(crate) fn shells(ctx: &RuleContext) -> Vec<ShellInfo> {
    // Without SHELL instructions each stage keeps the shell it starts with.
    let no_shell = ctx.tree.keyword_counts.of(Keyword::Shell) == 0;
    walk_shells(ctx, no_shell)
}

/// [`shells`]; `whole_stages` when no SHELL changes the shell inside a stage, so that each
/// stage's instructions are filled at once rather than looked at one by one.
fn walk_shells(ctx: &RuleContext, whole_stages: bool) -> Vec<ShellInfo> {
    let instructions = &ctx.tree.instructions;
    let keywords = ctx.keywords();
    let mut shells = vec![ShellInfo::DEFAULT; instructions.len()];
    if declares_non_posix_shell(ctx) {
        return vec![ShellInfo::NOT_POSIX; instructions.len()];
    }
    let mut stage_end = Vec::with_capacity(ctx.model.stages.len());
    // Large files repeat a few base images: each is looked at once.
    let mut windows: FxHashMap<&str, bool> = FxHashMap::default();
    for stage in &ctx.model.stages {
        let mut current = match &stage.base {
            BaseImage::Stage(parent) => stage_end
                .get(*parent)
                .copied()
                .unwrap_or(ShellInfo::DEFAULT),
            BaseImage::Image { resolved, .. }
                if *windows
                    .entry(resolved.text.as_str())
                    .or_insert_with(|| is_windows_image(&resolved.text)) =>
            {
                ShellInfo::NOT_POSIX
            }
            _ => ShellInfo::DEFAULT,
        };
        if whole_stages {
            let end = stage.instructions.end.min(keywords.len()).min(shells.len());
            if let Some(slots) = shells.get_mut(stage.instructions.start.min(end)..end) {
                slots.fill(current);
            }
            stage_end.push(current);
            continue;
        }
        for idx in stage.instructions.clone() {
            // The keywords say which instructions are SHELLs: the others are not read.
            let Some(&keyword) = keywords.get(idx) else {
                continue;
            };
            if let Some(slot) = shells.get_mut(idx) {
                *slot = current;
            }
            if keyword == Keyword::Shell {
                if let Some(Args::Exec { elements, .. }) = instructions.get(idx).map(|i| &i.args) {
                    current = ShellInfo::from_shell_instruction(elements);
                }
            }
        }
        stage_end.push(current);
    }
    shells
}

/// Windows images run RUN under `cmd` unless SHELL says otherwise.
fn is_windows_image(image: &str) -> bool {
    let image = image.to_ascii_lowercase();
    ["nanoserver", "servercore", "windows/", "windowsservercore"]
        .iter()
        .any(|w| image.contains(w))
}

/// hadolint's `# hadolint shell=powershell` pragma: the scripts are not POSIX shell.
fn declares_non_posix_shell(ctx: &RuleContext) -> bool {
    ctx.tree.comments.iter().any(|range| {
        let text = ctx.text.get(range.as_range()).unwrap_or("");
        let body = text.trim_start_matches('#').trim();
        body.strip_prefix("hadolint")
            .map(str::trim_start)
            .and_then(|rest| rest.strip_prefix("shell="))
            .is_some_and(|shell| {
                let name = shell.split_whitespace().next().unwrap_or("");
                !POSIX_SHELLS.contains(&basename(name))
            })
    })
}

/// The RUNs of the file, and what the shell rules ask of each before reading it, kept apart
/// so that asking does not read every command of a large file.
pub(crate) struct Runs<'a> {
    runs: Vec<RunInfo<'a>>,
    /// The scripts of every run, one after another.
    store: ScriptStore<'a>,
    /// The names of each run's commands and of their wrappers (`sudo`, `env`), run after run:
    /// where each is in `names_text`, `None` for a name too long for a [`ShortName`].
    names: Vec<Option<Range<usize>>>,
    /// The names of `names` one after another, so that asking reads them as they are, without
    /// checking each [`ShortName`] again.
    names_text: String,
    /// Where each run's names start in `names`, and where the last ones end.
    name_starts: Vec<usize>,
    /// Whether each run's scripts have a pipe.
    piped: Vec<bool>,
}

impl<'a> Runs<'a> {
    fn new(runs: Vec<RunInfo<'a>>, store: ScriptStore<'a>) -> Runs<'a> {
        // Sized first: the vectors would otherwise grow, and be copied, a few times over.
        // A command's name is the file name of its program, as its `ShortName` holds it: read
        // from the program's text, which needs no check that it is UTF-8.
        fn each_name<'c>(c: Command<'c, '_>) -> impl Iterator<Item = &'c str> {
            std::iter::once(c.name())
                .chain(c.wrappers().iter().map(|w| basename(&w.text)))
                .filter(|name| ShortName::fits(name))
        }
        let (name_count, name_bytes) = store.all_commands().fold((0, 0), |(count, bytes), c| {
            let kept: usize = each_name(c).map(str::len).sum();
            (count + 1 + c.wrappers().len(), bytes + kept)
        });
        let mut names = Vec::with_capacity(name_count);
        let mut names_text = String::with_capacity(name_bytes);
        let mut name_starts = Vec::with_capacity(runs.len() + 1);
        let mut piped = Vec::with_capacity(runs.len());
        let mut keep = |name: &str| {
            ShortName::fits(name).then(|| {
                let start = names_text.len();
                names_text.push_str(name);
                start..names_text.len()
            })
        };
        for info in &runs {
            name_starts.push(names.len());
            let run = Run {
                info,
                store: &store,
            };
            for command in run.commands() {
                names.push(keep(command.name()));
                for wrapper in command.wrappers() {
                    names.push(keep(basename(&wrapper.text)));
                }
            }
            piped.push(run.scripts().any(|s| !s.pipes().is_empty()));
        }
        name_starts.push(names.len());
        Runs {
            runs,
            store,
            names,
            names_text,
            name_starts,
            piped,
        }
    }

    fn get(&self, at: usize) -> Option<Run<'_, 'a>> {
        Some(Run {
            info: self.runs.get(at)?,
            store: &self.store,
        })
    }

    /// The run of the instruction at `index` in `SyntaxTree::instructions`.
    pub(crate) fn at_instruction(&self, index: usize) -> Option<Run<'_, 'a>> {
        // The runs are in instruction order.
        let at = self.runs.binary_search_by_key(&index, |r| r.index).ok()?;
        self.get(at)
    }
}

/// Every RUN (and `ONBUILD RUN`) of the file, in order, with its scripts. Computed once
/// per analysis and shared by every shell rule.
pub(crate) fn runs<'c, 'a>(ctx: &'c RuleContext<'a>) -> &'c Runs<'a> {
    ctx.hadolint_runs.get_or_init(|| compute_runs(ctx))
}

/// The runs of [`runs`] with a command, or a wrapper, whose name is `wanted` (and those
/// with a name too long to keep apart): the others are not read.
pub(crate) fn runs_using<'c, 'a>(
    ctx: &'c RuleContext<'a>,
    wanted: impl Fn(&str) -> bool + 'c,
) -> impl Iterator<Item = Run<'c, 'a>> + 'c {
    let index = runs(ctx);
    (0..index.runs.len()).filter_map(move |i| {
        let names = index
            .names
            .get(*index.name_starts.get(i)?..*index.name_starts.get(i + 1)?)?;
        names
            .iter()
            .any(|name| {
                name.as_ref()
                    .is_none_or(|range| index.names_text.get(range.clone()).is_none_or(&wanted))
            })
            .then(|| index.get(i))
            .flatten()
    })
}

/// The runs of [`runs`] whose scripts have a pipe: the others are not read.
pub(crate) fn runs_with_pipes<'c, 'a>(
    ctx: &'c RuleContext<'a>,
) -> impl Iterator<Item = Run<'c, 'a>> + 'c {
    let index = runs(ctx);
    (0..index.runs.len())
        .filter(|&i| index.piped.get(i).copied().unwrap_or(false))
        .filter_map(|i| index.get(i))
}

fn compute_runs<'a>(ctx: &RuleContext<'a>) -> Runs<'a> {
    let shells = shells(ctx);
    // Listed once (the search goes over every instruction), and counted first: a large
    // file's runs would otherwise be copied as the vector grows; and the store is sized for
    // the text of every run.
    let nesting: Vec<(usize, &'a Instruction)> =
        ctx.instructions_nesting(&[Keyword::Run]).collect();
    let mut bytes = 0;
    for (_, inst) in &nesting {
        let run = inst.effective();
        if let Args::Shell(line) = &run.args {
            bytes += line.text.len() + run.heredocs.iter().map(|h| h.content.len()).sum::<usize>();
        }
    }
    let mut out = Vec::with_capacity(nesting.len());
    let mut store = ScriptStore::with_capacity(bytes);
    for &(index, inst) in &nesting {
        let run = inst.effective();
        if run.keyword != Keyword::Run {
            continue;
        }
        let shell = shells.get(index).copied().unwrap_or(ShellInfo::DEFAULT);
        let first_script = store.script_count();
        read_scripts(&mut store, run, shell);
        out.push(RunInfo {
            index,
            run,
            onbuild: inst.keyword == Keyword::Onbuild,
            stage: ctx.model.stage_of_instruction(index).map(|s| s.index),
            shell,
            scripts: first_script..store.script_count(),
        });
    }
    Runs::new(out, store)
}

/// Reads the scripts of `run` into `store`.
fn read_scripts<'a>(store: &mut ScriptStore<'a>, run: &'a Instruction, shell: ShellInfo) {
    match &run.args {
        Args::Shell(line) => {
            if !shell.posix {
                return;
            }
            let main = store.parse_script(&line.text, &|s, e| run.rest_range(s, e));
            for heredoc in &run.heredocs {
                let Some(main_script) = store.script(main) else {
                    break;
                };
                let is_script = if main_script.commands().next().is_none() {
                    // `RUN <<EOF`: BuildKit runs the body with the shell (or its shebang).
                    !has_foreign_shebang(&heredoc.content)
                } else {
                    // `RUN bash <<EOF`: the body is the shell's input.
                    main_script.commands().any(|c| {
                        c.heredocs().iter().any(|h| *h == heredoc.name)
                            && POSIX_SHELLS.contains(&c.name())
                            && shell_c_script(&c).is_none()
                    })
                };
                if is_script {
                    let base = heredoc.body_range.start();
                    store
                        .parse_script(&heredoc.content, &|s, e| TextRange::new(base + s, base + e));
                }
            }
        }
        Args::Exec { elements, .. } => {
            let words = elements.iter().map(|w| ShellWord {
                text: Cow::Borrowed(&w.text),
                range: w.range,
                raw: 0..0,
            });
            let Some(command) = store.push_command(words) else {
                return;
            };
            let body = store
                .script(command)
                .and_then(|s| s.commands().next())
                .as_ref()
                .and_then(shell_c_script)
                .cloned();
            if let Some(body) = body {
                let range = body.range;
                // Offsets inside a JSON string map to the source only when nothing is escaped.
                let exact = range.len() == body.text.len() + 2;
                store.parse_word_script(&body, &|s, e| {
                    if exact {
                        TextRange::new(range.start() + 1 + s, range.start() + 1 + e)
                    } else {
                        range
                    }
                });
            }
        }
        _ => {}
    }
}

/// `#!/usr/bin/env python3`: a heredoc script that is not shell.
fn has_foreign_shebang(body: &str) -> bool {
    let Some(line) = body.lines().next().and_then(|l| l.strip_prefix("#!")) else {
        return false;
    };
    let mut parts = line.split_whitespace();
    let mut interpreter = parts.next().map(basename).unwrap_or("");
    if interpreter == "env" {
        interpreter = parts.find(|p| !p.starts_with('-')).unwrap_or("");
    }
    !POSIX_SHELLS.contains(&interpreter)
}

/// The stages that can be built as images: the final stage and every stage nothing refers to
/// (`FROM <stage>`, `COPY --from`, `--mount from=`).
pub(crate) fn target_stages(model: &Model) -> Vec<usize> {
    let count = model.stages.len();
    let mut referenced = vec![false; count];
    for r in &model.stage_refs {
        if let Some(t) = r.target.filter(|&t| t != r.in_stage) {
            if let Some(slot) = referenced.get_mut(t) {
                *slot = true;
            }
        }
    }
    (0..count)
        .filter(|&s| s + 1 == count || !referenced[s])
        .collect()
}

/// For each stage: whether its filesystem and settings end up in an image that is run.
///
/// A target stage carries its `FROM <stage>` ancestors. Stages only used through
/// `COPY --from` or `--mount from=` leave nothing behind but the files copied out of them.
pub(crate) fn image_stages(model: &Model) -> Vec<bool> {
    let mut in_image = vec![false; model.stages.len()];
    for target in target_stages(model) {
        for stage in ancestry(model, target) {
            in_image[stage] = true;
        }
    }
    in_image
}

/// `stage`, then the stage it is built `FROM`, and so on.
pub(crate) fn ancestry(model: &Model, stage: usize) -> Vec<usize> {
    // A parent comes before its child, so the chain ends; walked twice, to allocate once.
    let parent = |s: usize| match model.stages.get(s).map(|stage| &stage.base) {
        Some(BaseImage::Stage(parent)) if *parent < s => Some(*parent),
        _ => None,
    };
    let first = Some(stage).filter(|&s| s < model.stages.len());
    let mut chain = Vec::with_capacity(std::iter::successors(first, |&s| parent(s)).count());
    chain.extend(std::iter::successors(first, |&s| parent(s)));
    chain
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::analyze;
    use crate::rules::test_support::test_env;

    #[test]
    fn image_stages_follow_targets_and_their_bases() {
        let text = "FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS base\n\
                    FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build\nRUN x\n\
                    FROM build AS publish\nRUN y\n\
                    FROM base AS final\nCOPY --from=publish /app .\n";
        let analysis = analyze(text, &test_env());
        assert_eq!(image_stages(&analysis.model), [true, false, false, true]);
    }

    #[test]
    fn ancestry_follows_the_from_chain() {
        // The definition the two walks replace.
        fn reference(model: &Model, stage: usize) -> Vec<usize> {
            let mut chain = Vec::new();
            let mut current = Some(stage);
            while let Some(s) = current {
                if chain.contains(&s) || s >= model.stages.len() {
                    break;
                }
                chain.push(s);
                current = match model.stages[s].base {
                    BaseImage::Stage(parent) if parent < s => Some(parent),
                    _ => None,
                };
            }
            chain
        }
        let text = "FROM debian:12 AS a\nFROM a AS b\nFROM b AS c\nFROM c AS c2\n\
                    FROM d AS d\nFROM a\n";
        let analysis = analyze(text, &test_env());
        for stage in 0..analysis.model.stages.len() + 2 {
            assert_eq!(
                ancestry(&analysis.model, stage),
                reference(&analysis.model, stage),
                "{stage}"
            );
        }
        assert_eq!(ancestry(&analysis.model, 3), [3, 2, 1, 0]);
    }

    #[test]
    fn shells_fill_whole_stages_as_the_walk_does() {
        let mut texts = crate::bench_support::corpus_texts(&["tests/buildkit/corpus"]);
        texts.push(
            "FROM mcr.microsoft.com/windows/servercore AS w\nRUN a\nFROM w\nRUN b\n\
             FROM debian AS d\nRUN c\nFROM d\nRUN e\nONBUILD RUN f\n"
                .to_string(),
        );
        let mut checked = 0;
        let env = test_env();
        for text in &texts {
            let analysis = analyze(text, &env);
            if analysis.tree.keyword_counts.of(Keyword::Shell) != 0 {
                continue;
            }
            let ctx = RuleContext::new(text, &analysis.tree, &analysis.model, &env, None);
            assert_eq!(walk_shells(&ctx, true), walk_shells(&ctx, false), "{text}");
            checked += 1;
        }
        assert!(checked > 100, "{checked}");
    }

    #[test]
    fn covers_paths() {
        assert!(path_covers("/var/lib/apt", "/var/lib/apt/lists"));
        assert!(path_covers("/var/lib/apt/lists/", "/var/lib/apt/lists"));
        assert!(!path_covers("/var/lib/ap", "/var/lib/apt/lists"));
    }
}
