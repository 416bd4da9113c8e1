use std::collections::BTreeMap;

use super::dotnet_support::{
    copy_line, instruction_text, line_start, missing_platform_args, relative_to_workdir,
    runtime_option, whole_lines,
};
use super::{ActionContext, ActionKind, CodeAction};
use crate::analysis::Diagnostic;
use crate::context::stage_fs::BuildTarget;
use crate::context::SourceOutcome;
use crate::declare_action;
use crate::dotnet::ProjectId;
use crate::ide::{apply_edits, TextEdit};
use crate::rules::dotnet::restore_model::{
    context_path_within, parent_of, DotnetStep, RestoreModel,
};
use crate::syntax::{Args, Keyword};

declare_action! {
/// Gives `dotnet restore` its own cached layer: copies, at their mirrored paths, every
/// project file of the published project's `ProjectReference` closure (transitively,
/// conditions honoured), the `Directory.Build.props`/`.targets` and other MSBuild files the
/// projects import, `Directory.Packages.props`, the `NuGet.config` and `global.json` that
/// apply, and the solution when the restore runs on it; then `RUN dotnet restore` (with the
/// `-r`/`-a` of the publish), then the sources, then the build and publish with
/// `--no-restore`. The quick fix of `RestoreMissingProject`, `RestoreMissingMsbuildInput`
/// and `RestoreCacheBusted`.
///
/// Two shapes are offered: the restore layer inside the build stage, and separate stages
/// restore → build → publish → final (when the Dockerfile has a final stage of its own).
/// Paths are relative to the build context and to the stage's `WORKDIR`; a path with a
/// space is copied with the JSON-array form. Needs the solution (Dockside must know the
/// projects); files `.dockerignore` excludes are left out, since COPY cannot read them.
///
/// ## Before
/// ```dockerfile
/// FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
/// WORKDIR /src
/// COPY . .
/// RUN dotnet publish src/Api/Api.csproj -c Release -o /app$0
/// ```
///
/// ## After
/// ```dockerfile
/// FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
/// WORKDIR /src
/// COPY Directory.Build.props Directory.Packages.props ./
/// COPY src/Api/Api.csproj src/Api/
/// COPY src/Core/Core.csproj src/Core/
/// RUN dotnet restore src/Api/Api.csproj
/// COPY . .
/// RUN dotnet publish src/Api/Api.csproj -c Release -o /app --no-restore
/// ```
///
/// ## Fix safety
/// Unsafe: review the result. The restore now sees only the copied files, so a build input
/// Dockside cannot see (an import computed at build time, a file generated before the
/// restore) would be missing, and the separate-stages shape renames stages.
    SplitRestoreStage { expensive: true }
}

const FIXED_RULES: &[&str] = &[
    "RestoreMissingProject",
    "RestoreMissingMsbuildInput",
    "RestoreCacheBusted",
];

/// Which rewrite to compute.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Shape {
    /// The restore layer inside the stage that restores today.
    Layer,
    /// Stages restore, build, publish, final.
    Stages,
}

impl SplitRestoreStage {
    fn run(ctx: &ActionContext, out: &mut Vec<CodeAction>) {
        let rule_ctx = ctx.rule_context();
        let Some(model) = RestoreModel::of(&rule_ctx) else {
            return;
        };
        // Quick fixes: one per main step, attached to the first diagnostic about it.
        let mut fixed_mains: Vec<usize> = Vec::new();
        for code in FIXED_RULES {
            for diagnostic in ctx.diagnostics(code) {
                let Some((index, _)) = ctx.instruction_containing(diagnostic.range.start()) else {
                    continue;
                };
                let Some(stage) = ctx.analysis.model.stage_of_instruction(index) else {
                    continue;
                };
                let Some(main) = main_step(model, stage.index) else {
                    continue;
                };
                if fixed_mains.contains(&main) {
                    continue;
                }
                if let Some((title, edits)) = rewrite(ctx, model, main, Shape::Layer) {
                    fixed_mains.push(main);
                    out.push(
                        CodeAction::quick_fix(&Self::META, diagnostic, title, edits)
                            .preferred()
                            .unsafe_fix(),
                    );
                }
            }
        }
        if ctx.trigger == super::Trigger::FixAll {
            return;
        }
        let Some(stage) = ctx.stage_at_cursor() else {
            return;
        };
        let Some(main) = main_step(model, stage.index) else {
            return;
        };
        if !fixed_mains.contains(&main) && has_restore_problem(ctx, model, main) {
            if let Some((title, edits)) = rewrite(ctx, model, main, Shape::Layer) {
                out.push(
                    CodeAction::new(&Self::META, ActionKind::RefactorRewrite, title, edits)
                        .unsafe_fix(),
                );
            }
        }
        if let Some((title, edits)) = rewrite(ctx, model, main, Shape::Stages) {
            out.push(
                CodeAction::new(&Self::META, ActionKind::RefactorRewrite, title, edits)
                    .unsafe_fix(),
            );
        }
    }
}

/// The step the rewrite is about for a stage: the last `dotnet publish` (else `build`) of a
/// known project or solution whose stage is `stage` or derives from it.
fn main_step(model: &RestoreModel, stage: usize) -> Option<usize> {
    let candidates = |verb: &str| {
        model
            .steps
            .iter()
            .enumerate()
            .rev()
            .filter(|(_, s)| {
                s.command().is(verb)
                    && !matches!(s.target.target, BuildTarget::Unknown)
                    && s.anchor.is_some()
                    && model.view.fs.chain(s.stage()).contains(&stage)
            })
            .map(|(i, _)| i)
            .next()
    };
    candidates("publish").or_else(|| candidates("build"))
}

/// Whether one of the rules this action fixes reports something in the stages the main
/// step is built in.
fn has_restore_problem(ctx: &ActionContext, model: &RestoreModel, main: usize) -> bool {
    let Some(step) = model.steps.get(main) else {
        return false;
    };
    let chain = model.view.fs.chain(step.stage());
    ctx.analysis.diagnostics.iter().any(|d: &Diagnostic| {
        FIXED_RULES.contains(&d.code)
            && ctx
                .instruction_containing(d.range.start())
                .and_then(|(index, _)| ctx.analysis.model.stage_of_instruction(index))
                .is_some_and(|s| chain.contains(&s.index))
    })
}

/// What happens to the first restore.
#[derive(Clone, Copy, PartialEq, Eq)]
enum RestoreRun {
    /// An explicit `RUN dotnet restore` already after the project files: kept in place.
    Keep,
    /// An explicit `RUN dotnet restore` after the sources: moved into the new layer.
    Move,
    /// The restore was implicit (or shares its RUN): a new `RUN dotnet restore`.
    New,
}

fn rewrite(
    ctx: &ActionContext,
    model: &RestoreModel,
    main_index: usize,
    shape: Shape,
) -> Option<(String, Vec<TextEdit>)> {
    let text = ctx.text();
    let line_break = ctx.line_break();
    let fs = &model.view.fs;
    let tree = fs.tree;
    let dockerfile = fs.model;
    let main = model.steps.get(main_index)?;
    main.anchor.as_ref()?;
    let main_chain = fs.chain(main.stage());

    // The first restore the main step relies on, in its own filesystem.
    let mut restores = model.earlier_restores(main_index);
    if main.restores() {
        restores.push(main_index);
    }
    let first_index = restores
        .into_iter()
        .filter(|&i| {
            model
                .steps
                .get(i)
                .is_some_and(|s| main_chain.contains(&s.stage()))
        })
        .min_by_key(|&i| model.steps.get(i).map(DotnetStep::instruction))?;
    let first = model.steps.get(first_index)?;
    let home = first.stage();
    let home_stage = dockerfile.stages.get(home)?;
    let first_inst = tree.instructions.get(first.instruction())?;

    let single_command_restore = first.command().is("restore")
        && dockerfile
            .dotnet_commands
            .iter()
            .filter(|c| c.instruction == first.instruction())
            .count()
            == 1
        && matches!(&first_inst.args, Args::Shell(shell) if shell.text.trim() == command_text(text, first.command()))
        && first_inst.heredocs.is_empty();
    let restore_step = if single_command_restore { first } else { main };
    let restored = model.restored_projects(restore_step);
    let restored_ids: Vec<ProjectId> = restored.iter().map(|r| r.project).collect();
    if main.projects.iter().any(|p| !restored_ids.contains(p)) {
        return None;
    }

    // The files restore reads, as context paths.
    let files = restore_inputs(model, restore_step, &restored_ids);
    if files.is_empty() {
        return None;
    }
    let project_dirs: Vec<String> = restored_ids
        .iter()
        .filter_map(|&id| Some(parent_of(&model.project_context_path(id)?).to_string()))
        .collect();

    // The copies before the first restore: those that bring the sources (they bust the
    // restore cache) and those that make up the current restore layer.
    let mut busting: Vec<usize> = Vec::new();
    let mut layer: Vec<usize> = Vec::new();
    for copy in fs.copies_before(home, first.instruction()) {
        let brings_sources = copy.sources.iter().any(|(_, resolution)| {
            let SourceOutcome::Found(matches) = &resolution.outcome else {
                return false;
            };
            matches.iter().any(|m| {
                m.is_dir
                    && m.excluded_by.is_none()
                    && (m.relative_path.is_empty()
                        || project_dirs
                            .iter()
                            .any(|dir| context_path_within(dir, &m.relative_path)))
            })
        });
        if copy.stage != home {
            if brings_sources {
                // The sources come from a stage this one derives from: nothing to split here.
                return None;
            }
            continue;
        }
        if brings_sources {
            busting.push(copy.instruction);
            continue;
        }
        let only_restore_inputs = !copy.sources.is_empty()
            && copy.sources.iter().all(|(_, resolution)| {
                let SourceOutcome::Found(matches) = &resolution.outcome else {
                    return false;
                };
                !matches.is_empty()
                    && matches
                        .iter()
                        .all(|m| !m.is_dir && files.contains(&m.relative_path))
            });
        if only_restore_inputs {
            layer.push(copy.instruction);
        }
    }
    // Sources must come after the restore, or the build has nothing to compile.
    let sources_after = !busting.is_empty()
        || fs
            .facts
            .copies
            .iter()
            .any(|c| c.instruction > first.instruction() && fs.chain(c.stage).contains(&home));
    if !sources_after {
        return None;
    }

    // A complete layer in front of a restore that stays is left as it is.
    let layer_files: Vec<&str> = layer
        .iter()
        .filter_map(|&i| fs.facts.copies.iter().find(|c| c.instruction == i))
        .flat_map(|c| c.sources.iter())
        .flat_map(|(_, r)| match &r.outcome {
            SourceOutcome::Found(matches) => {
                matches.iter().map(|m| m.relative_path.as_str()).collect()
            }
            _ => Vec::new(),
        })
        .collect();
    let layer_complete = busting.is_empty()
        && single_command_restore
        && files.iter().all(|f| layer_files.contains(&f.as_str()))
        && !ctx.analysis.diagnostics.iter().any(|d| {
            matches!(
                d.code,
                "RestoreMissingProject" | "RestoreMissingMsbuildInput"
            ) && ctx
                .instruction_containing(d.range.start())
                .is_some_and(|(i, _)| i == first.instruction())
        });
    if layer_complete {
        layer.clear();
    }
    let json_form = layer.iter().any(|&i| {
        tree.instructions
            .get(i)
            .is_some_and(|inst| matches!(inst.args, Args::Exec { .. }))
    });

    let restore_run = if !single_command_restore {
        RestoreRun::New
    } else if busting.is_empty() {
        RestoreRun::Keep
    } else {
        RestoreRun::Move
    };
    let insert_at = busting
        .iter()
        .chain(&layer)
        .copied()
        .chain(
            matches!(restore_run, RestoreRun::Keep | RestoreRun::Move)
                .then_some(first.instruction()),
        )
        .min()
        .unwrap_or(first.instruction());
    let insert_inst = tree.instructions.get(insert_at)?;
    let workdir = fs.workdir_at(home, insert_at);

    // COPY lines, one per directory, in path order.
    let mut by_dir: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for file in &files {
        by_dir
            .entry(parent_of(file).to_string())
            .or_default()
            .push(file.clone());
    }
    let mut new_lines: Vec<String> = Vec::new();
    for (dir, mut sources) in by_dir {
        sources.sort_by_key(|s| s.to_ascii_lowercase());
        let container_dir = model
            .mirrored(main, &format!("{dir}/x"))
            .map(|p| parent_of(&p).to_string())?;
        new_lines.push(copy_line(
            &sources,
            &relative_to_workdir(&workdir, &container_dir, true),
            json_form,
        ));
    }
    if layer_complete {
        new_lines.clear();
    }

    // The runtime the publish targets, for the restore.
    let restore_position = match restore_run {
        RestoreRun::Keep => first.instruction(),
        RestoreRun::Move | RestoreRun::New => insert_at,
    };
    let runtime = runtime_option(main.command()).and_then(|(flag, word)| {
        let args = missing_platform_args(dockerfile, home, restore_position, &word.text)?;
        Some((flag, word.text.to_string(), args))
    });

    let mut edits: Vec<TextEdit> = Vec::new();
    let mut removed: Vec<usize> = layer.clone();
    match restore_run {
        RestoreRun::Keep => {
            if let Some((edit, args)) = restore_runtime_edit(first.command(), runtime.as_ref()) {
                edits.push(edit);
                if !args.is_empty() {
                    edits.push(TextEdit::insert(
                        line_start(text, first_inst.range.start()),
                        args.iter()
                            .map(|a| format!("{a}{line_break}"))
                            .collect::<String>(),
                    ));
                }
            }
        }
        RestoreRun::Move => {
            removed.push(first.instruction());
            let start = line_start(text, first_inst.range.start());
            let original = text.get(start..first_inst.range.end())?;
            let moved = match restore_runtime_edit(first.command(), runtime.as_ref()) {
                Some((edit, args)) => {
                    new_lines.extend(args);
                    let shifted = TextEdit::replace(
                        crate::text::TextRange::new(
                            edit.range.start().checked_sub(start)?,
                            edit.range.end().checked_sub(start)?,
                        ),
                        edit.new_text,
                    );
                    apply_edits(original, &[shifted])
                }
                None => original.to_string(),
            };
            new_lines.push(moved);
        }
        RestoreRun::New => {
            let target_file = target_context_file(model, main)?;
            let container = model.mirrored(main, &target_file)?;
            let mut line = format!(
                "RUN dotnet restore {}",
                shell_quote(&relative_to_workdir(&workdir, &container, false))
            );
            if let Some((flag, word, args)) = &runtime {
                new_lines.extend(args.iter().cloned());
                line.push_str(&format!(" {flag} {word}"));
            }
            new_lines.push(line);
        }
    }

    // Every later restoring build of the restored projects relies on this restore.
    let restored_runtime = match restore_run {
        RestoreRun::New => runtime.as_ref().map(|(f, w, _)| (*f, w.clone())),
        _ => runtime
            .as_ref()
            .map(|(f, w, _)| (*f, w.clone()))
            .or_else(|| runtime_option(first.command()).map(|(f, w)| (f, w.text.to_string()))),
    };
    for step in &model.steps {
        let command = step.command();
        let builds = ["build", "publish", "test", "pack"]
            .iter()
            .any(|v| command.is(v));
        if !builds
            || !step.restores()
            || step.instruction() < insert_at
            || !fs.chain(step.stage()).contains(&home)
            || step.projects.is_empty()
            || step.projects.iter().any(|p| !restored_ids.contains(p))
        {
            continue;
        }
        let compatible = match runtime_option(command) {
            None => true,
            Some((flag, word)) => restored_runtime
                .as_ref()
                .is_some_and(|(f, w)| *f == flag && *w == word.text),
        };
        if compatible {
            edits.push(TextEdit::insert(command.range.end(), " --no-restore"));
        }
    }

    let mut title = format!(
        "Add a restore layer for {} inside {}",
        main_name(model, main),
        stage_label(home_stage)
    );
    let mut layer_text: String = new_lines
        .iter()
        .map(|l| format!("{l}{line_break}"))
        .collect();

    if shape == Shape::Stages {
        title = split_into_stages(
            ctx,
            model,
            main,
            home,
            restore_run,
            first_inst,
            insert_at,
            &mut layer_text,
            &mut edits,
        )?;
    }

    // The layer goes where the first removed or source copy was.
    let insert_line = line_start(text, insert_inst.range.start());
    if layer_text.is_empty() {
        // Nothing to insert: the layer stays as it is.
    } else if removed.contains(&insert_at) {
        edits.push(TextEdit::replace(
            whole_lines(text, insert_inst.range),
            layer_text,
        ));
    } else {
        edits.push(TextEdit::insert(insert_line, layer_text));
    }
    for index in removed.iter().filter(|&&i| i != insert_at) {
        let inst = tree.instructions.get(*index)?;
        edits.push(TextEdit::delete(whole_lines(text, inst.range)));
    }
    edits.sort_by_key(|e| (e.range.start(), e.range.end()));
    if apply_edits(text, &edits) == text {
        return None;
    }
    Some((title, edits))
}

/// The stages shape: the stage that restores becomes `restore`, the rest of it a stage
/// `FROM restore`, and a publish in that stage moves to a `publish` stage of its own.
/// Returns the title.
#[allow(clippy::too_many_arguments)]
fn split_into_stages(
    ctx: &ActionContext,
    model: &RestoreModel,
    main: &DotnetStep,
    home: usize,
    restore_run: RestoreRun,
    first_inst: &crate::syntax::Instruction,
    insert_at: usize,
    layer_text: &mut String,
    edits: &mut Vec<TextEdit>,
) -> Option<String> {
    let text = ctx.text();
    let line_break = ctx.line_break();
    let dockerfile = model.view.fs.model;
    let tree = model.view.fs.tree;
    let home_stage = dockerfile.stages.get(home)?;
    let final_stage = dockerfile.final_stage()?;
    if model.view.fs.chain(final_stage.index).contains(&home) && main.stage() == final_stage.index {
        // A single stage that publishes in place: ConvertToMultiStage comes first.
        return None;
    }
    if dockerfile
        .stage_refs
        .iter()
        .any(|r| r.name.trim().parse::<usize>().is_ok())
    {
        // Stages named by index would shift.
        return None;
    }
    let taken = |name: &str| dockerfile.stage_by_name(name).is_some();
    if taken("restore") {
        return None;
    }
    let build_name = match &home_stage.name {
        Some(name) => name.text.to_string(),
        None if !taken("build") => "build".to_string(),
        None => return None,
    };
    // A restore already alone in its stage is split already.
    if restore_run == RestoreRun::Keep {
        let index = first_inst_index(model, first_inst)?;
        if home_stage.instructions.end <= index + 1 {
            return None;
        }
    }

    // ARGs are scoped to their stage: the new stages declare again those of the old one.
    let args_before = |before: usize| -> String {
        home_stage
            .instructions
            .clone()
            .filter(|&i| i < before)
            .filter_map(|i| tree.instructions.get(i))
            .filter(|i| i.keyword == Keyword::Arg)
            .map(|i| format!("{}{line_break}", instruction_text(text, i)))
            .collect()
    };
    let from_inst = tree.instructions.get(home_stage.from)?;
    match &home_stage.name {
        Some(name) => edits.push(TextEdit::replace(name.range, "restore")),
        None => edits.push(TextEdit::insert(from_inst.range.end(), " AS restore")),
    }
    let mut generated_args: String = layer_text
        .split(line_break)
        .filter(|l| l.starts_with("ARG "))
        .map(|l| format!("{l}{line_break}"))
        .collect();
    let split = |args: &str| format!("{line_break}FROM restore AS {build_name}{line_break}{args}");
    match restore_run {
        RestoreRun::Keep => {
            let mut args = args_before(first_inst_index(model, first_inst)?);
            args.push_str(&generated_args);
            let mut end = whole_lines(text, first_inst.range).end();
            let mut inserted = String::new();
            if end == text.len() && !text.ends_with('\n') {
                inserted.push_str(line_break);
            }
            // After the blank lines that end the restore layer, which now end the stage.
            let mut blank = false;
            while let Some(rest) = text.get(end..) {
                let line_len = rest.find('\n').map_or(rest.len(), |at| at + 1);
                if line_len == 0 || !rest[..line_len].trim().is_empty() || line_len == rest.len() {
                    break;
                }
                end += line_len;
                blank = true;
            }
            let split_text = split(&args);
            inserted.push_str(if blank {
                split_text.strip_prefix(line_break).unwrap_or(&split_text)
            } else {
                &split_text
            });
            edits.push(TextEdit::insert(end, inserted));
        }
        RestoreRun::Move | RestoreRun::New => {
            let mut args = args_before(insert_at);
            args.push_str(&std::mem::take(&mut generated_args));
            layer_text.push_str(&split(&args));
        }
    }

    let mut names = vec!["restore".to_string(), build_name.clone()];
    if main.stage() == home && main.command().is("publish") {
        if taken("publish") {
            return None;
        }
        let publish_inst = tree.instructions.get(main.instruction())?;
        let single = dockerfile
            .dotnet_commands
            .iter()
            .filter(|c| c.instruction == main.instruction())
            .count()
            == 1
            && publish_inst.heredocs.is_empty();
        if !single {
            return None;
        }
        let build_line = build_command(text, main)?;
        let start = line_start(text, publish_inst.range.start());
        let original = text.get(start..publish_inst.range.end())?;
        let command = main.command();
        let at = command.range.end().checked_sub(start)?;
        let mut publish_line = original.to_string();
        let mut suffix = String::new();
        if !command.no_restore {
            suffix.push_str(" --no-restore");
        }
        suffix.push_str(" --no-build");
        publish_line.insert_str(at, &suffix);
        // The --no-restore edit of the main step is part of the new text.
        edits.retain(|e| !(e.range.is_empty() && e.range.start() == command.range.end()));
        let args = args_before(main.instruction());
        let replacement = format!(
            "RUN {build_line}{line_break}{line_break}FROM {build_name} AS publish{line_break}{args}{publish_line}{line_break}"
        );
        let lines = whole_lines(text, publish_inst.range);
        let replacement = if lines.end() == text.len() && !text.ends_with('\n') {
            replacement.trim_end_matches(line_break).to_string()
        } else {
            replacement
        };
        edits.push(TextEdit::replace(lines, replacement));
        // Later stages took the publish output from the build stage: it is in `publish` now.
        for reference in dockerfile
            .stage_refs
            .iter()
            .filter(|r| r.target == Some(home) && r.instruction > main.instruction())
        {
            edits.push(TextEdit::replace(reference.range, "publish"));
        }
        names.push("publish".to_string());
    } else if main.stage() != home {
        names.push(
            dockerfile
                .stages
                .get(main.stage())
                .map(stage_name)
                .unwrap_or_default(),
        );
    }
    names.push(stage_name(final_stage));
    names.dedup();
    Some(format!(
        "Split {} into stages {}",
        main_name(model, main),
        names.join(", ")
    ))
}

fn first_inst_index(model: &RestoreModel, inst: &crate::syntax::Instruction) -> Option<usize> {
    model
        .view
        .fs
        .tree
        .instructions
        .iter()
        .position(|i| i.range == inst.range)
}

/// `dotnet build <project> <options of the publish but -o> --no-restore`, from the
/// publish's own words.
fn build_command(text: &str, publish: &DotnetStep) -> Option<String> {
    let command = publish.command();
    let mut skip: Vec<crate::text::TextRange> = vec![command.verb_range];
    if let Some(output) = &command.output {
        let word = text.get(..output.range.start())?;
        let value_is_separate = word.trim_end().ends_with(['o', 't'])
            && !text
                .get(output.range.as_range())
                .is_some_and(|w| w.starts_with('-'));
        let start = if value_is_separate {
            let before = word.trim_end();
            before.rfind([' ', '\t']).map_or(0, |at| at + 1)
        } else {
            output.range.start()
        };
        skip.push(crate::text::TextRange::new(start, output.range.end()));
    }
    let mut edits: Vec<TextEdit> = skip
        .iter()
        .map(|r| {
            if *r == command.verb_range {
                TextEdit::replace(*r, "build")
            } else {
                TextEdit::delete(*r)
            }
        })
        .collect();
    edits.sort_by_key(|e| e.range.start());
    let start = command.range.start();
    let shifted: Vec<TextEdit> = edits
        .into_iter()
        .filter_map(|e| {
            Some(TextEdit::replace(
                crate::text::TextRange::new(
                    e.range.start().checked_sub(start)?,
                    e.range.end().checked_sub(start)?,
                ),
                e.new_text,
            ))
        })
        .collect();
    let original = text.get(command.range.as_range())?;
    let built = apply_edits(original, &shifted);
    let words: Vec<&str> = built.split_whitespace().collect();
    let mut line = words.join(" ");
    if !command.no_restore {
        line.push_str(" --no-restore");
    }
    Some(line)
}

/// The edit giving the restore the publish's runtime, and the `ARG` lines it needs.
fn restore_runtime_edit(
    restore: &crate::model::DotnetCommand,
    runtime: Option<&(&'static str, String, Vec<String>)>,
) -> Option<(TextEdit, Vec<String>)> {
    let (flag, word, args) = runtime?;
    match runtime_option(restore) {
        Some((existing_flag, existing)) if existing_flag == *flag => {
            (existing.text != *word).then(|| {
                (
                    TextEdit::replace(existing.range, word.clone()),
                    args.clone(),
                )
            })
        }
        Some(_) => None,
        None => Some((
            TextEdit::insert(restore.range.end(), format!(" {flag} {word}")),
            args.clone(),
        )),
    }
}

/// The context path of what the main step builds: its project or solution file.
fn target_context_file(model: &RestoreModel, step: &DotnetStep) -> Option<String> {
    match &step.target.target {
        BuildTarget::Project(id) => model.project_context_path(*id),
        BuildTarget::Solution { path, .. } => model.view.context_path(path),
        BuildTarget::Unknown => None,
    }
}

/// Everything restore reads, as context paths the build context holds: project files,
/// MSBuild inputs, NuGet.config, global.json, and the solution when restore runs on one.
fn restore_inputs(model: &RestoreModel, step: &DotnetStep, projects: &[ProjectId]) -> Vec<String> {
    let view = &model.view;
    let workspace = model.workspace();
    let mut files: Vec<String> = Vec::new();
    let mut add = |path: &std::path::Path| {
        if let Some(context_path) = view.context_path(path) {
            let excluded = view
                .facts
                .dockerignore
                .as_ref()
                .is_some_and(|d| d.ignore.is_excluded(&context_path).is_some());
            if !excluded && !context_path.is_empty() && !files.contains(&context_path) {
                files.push(context_path);
            }
        }
    };
    if let BuildTarget::Solution { path, .. } = &step.target.target {
        add(path);
    }
    for &id in projects {
        let Some(project) = workspace.project(id) else {
            continue;
        };
        add(&project.path);
        for input in &project.inputs {
            add(input);
        }
    }
    if let Some(anchor) = &step.anchor {
        let dir = view.context_dir.join(&anchor.context_dir);
        let command = step.command();
        if command.config_file.is_none() && command.sources.is_empty() {
            for config in workspace.nuget_configs_for(&dir) {
                add(&config.path);
            }
        }
        if let Some(global) = workspace.global_json_for(&dir) {
            add(&global.path);
        }
    }
    files
}

fn command_text<'t>(text: &'t str, command: &crate::model::DotnetCommand) -> &'t str {
    text.get(command.range.as_range()).unwrap_or_default()
}

fn shell_quote(path: &str) -> String {
    if !path.contains([' ', '\t', '\'', '"', '$', '`', '\\']) {
        return path.to_string();
    }
    let mut quoted = String::from("\"");
    for c in path.chars() {
        if matches!(c, '"' | '\\' | '$' | '`') {
            quoted.push('\\');
        }
        quoted.push(c);
    }
    quoted.push('"');
    quoted
}

fn main_name(model: &RestoreModel, step: &DotnetStep) -> String {
    match &step.target.target {
        BuildTarget::Project(id) => model.project_name(*id),
        BuildTarget::Solution { path, .. } => model.view.display_path(path),
        BuildTarget::Unknown => "the project".to_string(),
    }
}

fn stage_name(stage: &crate::model::Stage) -> String {
    stage
        .name
        .as_ref()
        .map(|n| n.text.to_string())
        .unwrap_or_else(|| format!("stage {}", stage.index))
}

fn stage_label(stage: &crate::model::Stage) -> String {
    match &stage.name {
        Some(name) => format!("stage `{}`", name.text),
        None => format!("stage {}", stage.index),
    }
}

#[cfg(test)]
mod tests {
    use crate::actions::test_support::{
        check_action_with, check_not_applicable, check_not_applicable_with, offered_titles,
        solution_env,
    };
    use crate::actions::{ActionKind, Safety};
    use crate::rules::dotnet::test_support::{csproj, fixture_dir, solution};

    const NAME: &str = "SplitRestoreStage";

    fn fixture_text(fixture: &str, dockerfile: &str) -> String {
        std::fs::read_to_string(fixture_dir(fixture).join(dockerfile)).expect("fixture")
    }

    fn marked(text: &str, needle: &str) -> String {
        let at = text.find(needle).expect("needle in the Dockerfile");
        format!("{}$0{}", &text[..at], &text[at..])
    }

    const CHAIN_LAYER: &str = "FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build\nWORKDIR /src\nCOPY Directory.Build.props Directory.Packages.props ./\nCOPY src/Api/Api.csproj src/Api/\nCOPY src/Core/Core.csproj src/Core/\nCOPY src/Domain/Domain.csproj src/Domain/\nRUN dotnet restore src/Api/Api.csproj\nCOPY . .\nRUN dotnet publish src/Api/Api.csproj -c Release -o /app/publish --no-restore\n\nFROM mcr.microsoft.com/dotnet/aspnet:10.0 AS final\nWORKDIR /app\nCOPY --from=build /app/publish .\nUSER $APP_UID\nEXPOSE 8080\nENTRYPOINT [\"dotnet\", \"Api.dll\"]\n";

    #[test]
    fn copy_everything_then_publish_gets_a_restore_layer_for_the_whole_chain() {
        let env = solution_env(&fixture_dir("restore-chain"), "Dockerfile");
        let text = fixture_text("restore-chain", "Dockerfile");
        let action = check_action_with(
            &env,
            NAME,
            Some("Add a restore layer for Api inside stage `build`"),
            &marked(&text, "COPY . ."),
            CHAIN_LAYER,
        );
        assert_eq!(action.kind, ActionKind::QuickFix);
        assert_eq!(
            action.fixes.as_ref().map(|d| d.code),
            Some("RestoreCacheBusted")
        );
        assert!(action.preferred);
        assert_eq!(action.safety, Safety::Unsafe);
        assert_eq!(
            offered_titles(&env, NAME, &marked(&text, "COPY . .")),
            [
                "Add a restore layer for Api inside stage `build`",
                "Split Api into stages restore, build, publish, final"
            ]
        );
    }

    #[test]
    fn separate_stages_split_the_publish_and_retarget_the_final_copy() {
        let env = solution_env(&fixture_dir("restore-chain"), "Dockerfile");
        let text = fixture_text("restore-chain", "Dockerfile");
        check_action_with(
            &env,
            NAME,
            Some("Split Api into stages restore, build, publish, final"),
            &marked(&text, "WORKDIR"),
            "FROM mcr.microsoft.com/dotnet/sdk:10.0 AS restore\nWORKDIR /src\nCOPY Directory.Build.props Directory.Packages.props ./\nCOPY src/Api/Api.csproj src/Api/\nCOPY src/Core/Core.csproj src/Core/\nCOPY src/Domain/Domain.csproj src/Domain/\nRUN dotnet restore src/Api/Api.csproj\n\nFROM restore AS build\nCOPY . .\nRUN dotnet build src/Api/Api.csproj -c Release --no-restore\n\nFROM build AS publish\nRUN dotnet publish src/Api/Api.csproj -c Release -o /app/publish --no-restore --no-build\n\nFROM mcr.microsoft.com/dotnet/aspnet:10.0 AS final\nWORKDIR /app\nCOPY --from=publish /app/publish .\nUSER $APP_UID\nEXPOSE 8080\nENTRYPOINT [\"dotnet\", \"Api.dll\"]\n",
        );
        // The result is split already: only the in-stage shape would be a change, and the
        // restore has nothing left to fix.
        let stages = fixture_text("restore-chain", "Dockerfile");
        let stages = crate::ide::apply_edits(
            &stages,
            &crate::actions::test_support::offered(
                &env,
                NAME,
                &stages,
                crate::text::TextRange::empty(stages.find("WORKDIR").unwrap_or(0)),
            )
            .into_iter()
            .find(|a| a.title.starts_with("Split"))
            .expect("the stages shape")
            .edits,
        );
        check_not_applicable_with(&env, NAME, &marked(&stages, "COPY . ."));
        assert_eq!(
            offered_titles(&env, NAME, &marked(CHAIN_LAYER, "COPY . .")),
            ["Split Api into stages restore, build, publish, final"]
        );
    }

    #[test]
    fn visual_studio_template_gets_the_referenced_project() {
        let env = solution_env(&fixture_dir("vs-template"), "src/Api/Dockerfile");
        let text = fixture_text("vs-template", "src/Api/Dockerfile");
        let layer = text
            .replace(
                "COPY [\"src/Api/Api.csproj\", \"src/Api/\"]\n",
                "COPY [\"src/Api/Api.csproj\", \"src/Api/\"]\nCOPY [\"src/Domain/Domain.csproj\", \"src/Domain/\"]\n",
            )
            .replace("-o /app/build\n", "-o /app/build --no-restore\n")
            .replace("/p:UseAppHost=false\n", "/p:UseAppHost=false --no-restore\n");
        let action = check_action_with(
            &env,
            NAME,
            Some("Add a restore layer for Api inside stage `build`"),
            &marked(&text, "RUN dotnet restore"),
            &layer,
        );
        assert_eq!(
            action.fixes.as_ref().map(|d| d.code),
            Some("RestoreMissingProject")
        );
        let stages = layer
            .replace("sdk:8.0 AS build\n", "sdk:8.0 AS restore\n")
            .replace(
                "RUN dotnet restore \"./src/Api/Api.csproj\"\n",
                "RUN dotnet restore \"./src/Api/Api.csproj\"\n\nFROM restore AS build\nARG BUILD_CONFIGURATION=Release\n",
            );
        check_action_with(
            &env,
            NAME,
            Some("Split Api into stages restore, build, publish, final"),
            &marked(&text, "RUN dotnet restore"),
            &stages,
        );
    }

    #[test]
    fn naive_single_stage_and_no_split_without_a_final_stage() {
        let env = solution_env(&fixture_dir("naive-single-stage"), "Dockerfile");
        let text = fixture_text("naive-single-stage", "Dockerfile");
        check_action_with(
            &env,
            NAME,
            None,
            &marked(&text, "RUN dotnet publish"),
            &text.replace(
                "COPY . .\nRUN dotnet publish WebApp/WebApp.csproj -c Release -o out\n",
                "COPY WebApp/WebApp.csproj WebApp/\nRUN dotnet restore WebApp/WebApp.csproj\nCOPY . .\nRUN dotnet publish WebApp/WebApp.csproj -c Release -o out --no-restore\n",
            ),
        );
    }

    fn three_level_solution() -> tempfile::TempDir {
        let sln = "Microsoft Visual Studio Solution File, Format Version 12.00\n";
        solution(&[
            ("Shop.sln", sln),
            ("global.json", "{\"sdk\": {\"version\": \"10.0.100\"}}"),
            ("NuGet.config", "<configuration><packageSources><add key=\"contoso\" value=\"https://pkgs.dev.azure.com/contoso/_packaging/internal/nuget/v3/index.json\" /></packageSources></configuration>"),
            ("src/Directory.Build.props", "<Project><PropertyGroup><Nullable>enable</Nullable></PropertyGroup></Project>"),
            ("src/Orders Api/Orders.Api.csproj", &csproj("Microsoft.NET.Sdk.Web", &["../Orders.Application/Orders.Application.csproj"])),
            ("src/Orders.Application/Orders.Application.csproj", &csproj("Microsoft.NET.Sdk", &["../Shared.Core/Shared.Core.csproj"])),
            ("src/Shared.Core/Shared.Core.csproj", &csproj("Microsoft.NET.Sdk", &[])),
            ("src/Worker/Worker.csproj", &csproj("Microsoft.NET.Sdk.Worker", &[])),
            ("Dockerfile", ""),
        ])
    }

    #[test]
    fn one_project_restore_layer_in_a_solution_with_a_three_level_chain() {
        let dir = three_level_solution();
        let env = solution_env(dir.path(), "Dockerfile");
        let before = "FROM --platform=$BUILDPLATFORM mcr.microsoft.com/dotnet/sdk:10.0 AS build\nWORKDIR /app\n# restore first\nCOPY [\"src/Orders Api/Orders.Api.csproj\", \"src/Orders Api/\"]\nRUN dotnet restore$0 \"src/Orders Api/Orders.Api.csproj\"\nCOPY src/ src/\nRUN dotnet publish \"src/Orders Api/Orders.Api.csproj\" -a $TARGETARCH -o /out\nFROM mcr.microsoft.com/dotnet/aspnet:10.0\nCOPY --from=build /out .\n";
        let after = "FROM --platform=$BUILDPLATFORM mcr.microsoft.com/dotnet/sdk:10.0 AS build\nWORKDIR /app\n# restore first\nCOPY [\"global.json\", \"NuGet.config\", \"./\"]\nCOPY [\"src/Directory.Build.props\", \"src/\"]\nCOPY [\"src/Orders Api/Orders.Api.csproj\", \"src/Orders Api/\"]\nCOPY [\"src/Orders.Application/Orders.Application.csproj\", \"src/Orders.Application/\"]\nCOPY [\"src/Shared.Core/Shared.Core.csproj\", \"src/Shared.Core/\"]\nARG TARGETARCH\nRUN dotnet restore \"src/Orders Api/Orders.Api.csproj\" -a $TARGETARCH\nCOPY src/ src/\nRUN dotnet publish \"src/Orders Api/Orders.Api.csproj\" -a $TARGETARCH -o /out --no-restore\nFROM mcr.microsoft.com/dotnet/aspnet:10.0\nCOPY --from=build /out .\n";
        let action = check_action_with(
            &env,
            NAME,
            Some("Add a restore layer for Orders.Api inside stage `build`"),
            before,
            after,
        );
        assert_eq!(
            action.fixes.as_ref().map(|d| d.code),
            Some("RestoreMissingProject")
        );
    }

    #[test]
    fn not_applicable_without_a_solution_or_a_known_project() {
        let text = fixture_text("restore-chain", "Dockerfile");
        check_not_applicable(NAME, &marked(&text, "COPY . ."));
        let dir = three_level_solution();
        let env = solution_env(dir.path(), "Dockerfile");
        check_not_applicable_with(
            &env,
            NAME,
            "FROM mcr.microsoft.com/dotnet/sdk:10.0\nWORKDIR /src\nCOPY . .\nRUN dotnet publish$0 src/Missing/Missing.csproj -o /out\n",
        );
        // A single stage that publishes in place cannot be split into stages; its restore
        // layer is complete already.
        check_not_applicable_with(
            &env,
            NAME,
            "FROM mcr.microsoft.com/dotnet/sdk:10.0\nWORKDIR /src\nCOPY NuGet.config global.json ./\nCOPY src/Directory.Build.props src/\nCOPY src/Worker/Worker.csproj src/Worker/\nRUN dotnet restore src/Worker/Worker.csproj\nCOPY . .\nRUN dotnet publish$0 src/Worker/Worker.csproj -o /out --no-restore\n",
        );
    }
}
