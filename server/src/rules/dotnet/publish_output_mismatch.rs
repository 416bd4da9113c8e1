use super::published::{
    copies_from, expand_word, is_under, line_of, output_dir, paths_related, OutputDir, OutputOrigin,
};
use super::restore_model::SolutionView;
use crate::context::stage_fs::{dotnet_target, posix_join, BuildTarget, StageFs};
use crate::declare_rule;
use crate::dotnet::Project;
use crate::model::{unquote, DotnetInvocation};
use crate::rules::hadolint::runs::ancestry;
use crate::rules::{Diagnostics, RuleContext};
use crate::syntax::{Args, Keyword};

declare_rule! {
/// ## What it does
/// Checks that each `COPY --from=<stage> <path>` whose stage runs `dotnet publish` takes a
/// path that exists there: the `-o` directory of a `dotnet publish` or `dotnet build` of that
/// stage (or a stage it is built `FROM`), something inside it, or a folder above it;
/// without `-o`, the project's `bin/<Configuration>/<TFM>/…/publish` folder. Paths that
/// another instruction of the stage writes (WORKDIR, COPY/ADD destinations, a RUN that names
/// the path) and system folders (`/usr`, `/root`, ...) are not judged, nor is a stage whose
/// publish output is unknown (a variable without value, `--artifacts-path`, a project that
/// moves its output).
///
/// ## Why is this bad?
/// BuildKit fails the build at the COPY: "failed to compute cache key: "/app/out": not
/// found". Typical causes are an `-o` renamed on one side only, or a `dotnet publish`
/// without `-o` whose output went to `bin/Release/<TFM>/publish/` under the project.
///
/// ## Example
/// ```dockerfile
/// FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
/// WORKDIR /src
/// COPY . .
/// RUN dotnet publish src/Api/Api.csproj -c Release -o /app/publish
///
/// FROM mcr.microsoft.com/dotnet/aspnet:10.0
/// COPY --from=build /app/out /app
/// ```
///
/// ## Use instead
/// ```dockerfile
/// FROM mcr.microsoft.com/dotnet/aspnet:10.0
/// COPY --from=build /app/publish /app
/// ```
///
/// ## Fix safety
/// No automatic fix.
    PublishOutputMismatch {
        severity: Error,
        origin: Dotnet,
        summary: "`COPY --from` takes a path that the stage's `dotnet publish` does not produce.",
    }
}

/// Folders of the base images (and of NuGet) that a COPY may take without any instruction
/// of the stage writing them.
const SYSTEM_PREFIXES: &[&str] = &[
    "/usr", "/etc", "/lib", "/lib64", "/bin", "/sbin", "/opt", "/var", "/root", "/home", "/tmp",
    "/proc", "/sys", "/dev", "/run", "/srv", "/mnt", "/media",
];

/// `SYSTEM_PREFIXES.iter().any(|p| is_under(path, p))`, by the path's first component: each
/// prefix is one component, and this runs for every path of every `COPY --from`.
fn in_system_dir(path: &str) -> bool {
    let Some(top) = path
        .strip_prefix('/')
        .and_then(|rest| rest.split('/').next())
    else {
        return false;
    };
    SYSTEM_PREFIXES
        .iter()
        .any(|prefix| prefix.strip_prefix('/') == Some(top))
}

fn describe(out: &OutputDir, rid: Option<&str>) -> String {
    match out.origin {
        OutputOrigin::DefaultLayout => {
            let rid = rid.map(|r| format!("{r}/")).unwrap_or_default();
            format!("{}/{rid}publish (no -o)", out.path)
        }
        _ => out.path.clone(),
    }
}

impl PublishOutputMismatch {
    fn run(ctx: &RuleContext, out: &mut Diagnostics) {
        let model = ctx.model;
        let fs = SolutionView::of(ctx).map(|view| &view.fs);
        // Traced only for commands without -o, whose output folder depends on the project.
        let project_of = |invocation: &DotnetInvocation| -> Option<&Project> {
            let (fs, workspace) = (fs.as_ref()?, ctx.workspace()?);
            match dotnet_target(fs, workspace, invocation).target {
                BuildTarget::Project(id) => workspace.project(id),
                _ => None,
            }
        };
        let all_stages: Vec<usize> = (0..model.stages.len()).collect();
        // The publish and build commands of each stage, by index in `dotnet_commands`.
        let mut producers_in: Vec<Vec<usize>> = vec![Vec::new(); model.stages.len()];
        for (n, i) in model.dotnet_commands.iter().enumerate() {
            if i.command.is("publish") || i.command.is("build") {
                if let Some(list) = producers_in.get_mut(i.stage) {
                    list.push(n);
                }
            }
        }
        for copy in copies_from(ctx, &all_stages) {
            let chain = ancestry(model, copy.from_stage);
            let mut found: Vec<usize> = chain
                .iter()
                .filter_map(|&s| producers_in.get(s))
                .flatten()
                .copied()
                .collect();
            // In the order of `dotnet_commands`, as a pass over it would find them.
            found.sort_unstable();
            let producers: Vec<&DotnetInvocation> = found
                .iter()
                .filter_map(|&n| model.dotnet_commands.get(n))
                .collect();
            if !producers.iter().any(|i| i.command.is("publish")) {
                continue;
            }
            let outputs: Option<Vec<(&DotnetInvocation, OutputDir, Option<String>)>> = producers
                .iter()
                .filter(|i| i.command.is("publish") || i.command.output.is_some())
                .map(|i| {
                    let project = if i.command.output.is_none() {
                        project_of(i)
                    } else {
                        None
                    };
                    let dir = output_dir(ctx, i, project)?;
                    let rid = match &i.command.runtime {
                        Some(r) => expand_word(ctx, i, &r.text),
                        None if i.command.arch.is_none() && i.command.os.is_none() => project
                            .and_then(|p| p.property("RuntimeIdentifier"))
                            .map(|p| p.value.clone()),
                        None => Some("<rid>".to_string()),
                    };
                    Some((*i, dir, rid))
                })
                .collect();
            let Some(outputs) = outputs else { continue };
            for (word, path) in &copy.paths {
                if in_system_dir(path)
                    || outputs.iter().any(|(_, o, _)| paths_related(path, &o.path))
                    || written_by_stage(ctx, &chain, path)
                {
                    continue;
                }
                let Some((last, last_out, rid)) =
                    outputs.iter().rfind(|(i, _, _)| i.command.is("publish"))
                else {
                    continue;
                };
                let stage_name = model
                    .stages
                    .get(copy.from_stage)
                    .and_then(|s| s.name.as_ref())
                    .map(|n| n.text.to_string())
                    .unwrap_or_else(|| copy.from_stage.to_string());
                out.report(
                    &Self::META,
                    word.range,
                    format!(
                        "stage {stage_name} has no {path}: dotnet publish on line {} writes to {}",
                        line_of(ctx.text, last.command.range.start()),
                        describe(last_out, rid.as_deref())
                    ),
                );
            }
        }
    }
}

/// Some instruction of `stages` other than dotnet may have written `path`: it is a WORKDIR
/// (or above one), a COPY/ADD put something there, or a RUN names it.
fn written_by_stage(ctx: &RuleContext, stages: &[usize], path: &str) -> bool {
    let model = ctx.model;
    for &stage in stages {
        let Some(s) = model.stages.get(stage) else {
            continue;
        };
        for idx in s.instructions.clone() {
            // Other instructions write nothing: they are not read.
            if !ctx.nests_any(
                idx,
                &[Keyword::Workdir, Keyword::Copy, Keyword::Add, Keyword::Run],
            ) {
                continue;
            }
            let Some(inst) = ctx.tree.instructions.get(idx).map(|i| i.effective()) else {
                continue;
            };
            let workdir = ctx.workdir_at(stage, idx + 1);
            match inst.keyword {
                Keyword::Workdir if is_under(workdir, path) => return true,
                Keyword::Copy | Keyword::Add => {
                    let words: Vec<&crate::syntax::Word> = match &inst.args {
                        Args::Words(w) => w.iter().collect(),
                        Args::Exec { elements, .. } => elements.iter().collect(),
                        _ => continue,
                    };
                    let Some(dest) = words.last() else { continue };
                    let expanded = model.expand_at(stage, idx, &dest.text);
                    if !expanded.is_complete() {
                        return true;
                    }
                    let dest = posix_join(workdir, &unquote(&expanded.text));
                    if is_under(&dest, path) {
                        return true;
                    }
                    if is_under(path, &dest) && copied_into(ctx, stage, idx, path) {
                        return true;
                    }
                }
                Keyword::Run => {
                    let text = &inst.rest.text;
                    let relative = path
                        .strip_prefix(workdir.trim_end_matches('/'))
                        .and_then(|r| r.strip_prefix('/'));
                    if text.contains(path)
                        || relative.is_some_and(|r| !r.is_empty() && text.contains(r))
                    {
                        return true;
                    }
                    if inst.heredocs.iter().any(|h| h.content.contains(path)) {
                        return true;
                    }
                }
                _ => {}
            }
        }
    }
    false
}

/// Whether a COPY/ADD at `idx` may have put `path` in place. With the build context known, the
/// context file must exist; without it, any copy into a folder above `path` may have.
fn copied_into(ctx: &RuleContext, stage: usize, idx: usize, path: &str) -> bool {
    let Some(facts) = ctx.facts else {
        return true;
    };
    let is_local = ctx
        .tree
        .instructions
        .get(idx)
        .is_some_and(|i| i.flag("from").is_none());
    if !is_local {
        return true;
    }
    let built;
    let fs = match SolutionView::of(ctx) {
        Some(view) => &view.fs,
        None => {
            built = StageFs::new(ctx.tree, ctx.model, facts);
            &built
        }
    };
    fs.to_context(stage, idx + 1, path)
        .is_some_and(|rel| facts.build_context.dir.join(rel).exists())
}

#[cfg(test)]
mod tests {
    #[test]
    fn system_dirs_are_found_by_the_first_component() {
        // What the shortcut relies on.
        assert!(super::SYSTEM_PREFIXES.iter().all(|p| p
            .strip_prefix('/')
            .is_some_and(|top| !top.is_empty() && !top.contains('/'))));
        for path in [
            "/usr",
            "/usr/",
            "/usr/lib/x",
            "/usrx",
            "/app/usr",
            "usr/lib",
            "//usr",
            "/",
            "",
            "/tmp/a",
            "/media",
            "/mediax/a",
            "/ho/me",
        ] {
            assert_eq!(
                super::in_system_dir(path),
                super::SYSTEM_PREFIXES
                    .iter()
                    .any(|p| super::is_under(path, p)),
                "{path}"
            );
        }
    }

    use crate::rules::dotnet::test_support::check_rule_in_solution;
    use crate::rules::test_support::check_rule;

    #[test]
    fn reports_a_copy_of_the_wrong_folder() {
        assert_eq!(
            check_rule_in_solution("PublishOutputMismatch", "console-runtime-deps", "Dockerfile"),
            ["11:19-11:31 stage build has no /app/publish: dotnet publish on line 7 writes to /src/src/Jobs/bin/Debug/net8.0/publish (no -o)"]
        );
        assert_eq!(
            check_rule(
                "PublishOutputMismatch",
                "FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build\nWORKDIR /src\nCOPY . .\nRUN dotnet publish src/Api/Api.csproj -c Release -o /app/publish\n\nFROM mcr.microsoft.com/dotnet/aspnet:10.0\nCOPY --from=build /app/out /app\nCOPY --from=build /app/publish/appsettings.json /app/\n"
            ),
            ["7:19-7:27 stage build has no /app/out: dotnet publish on line 4 writes to /app/publish"]
        );
        // Relative -o resolves against the WORKDIR.
        assert_eq!(
            check_rule(
                "PublishOutputMismatch",
                "FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build\nWORKDIR /src\nRUN dotnet publish -o out\nFROM build AS publish\nFROM mcr.microsoft.com/dotnet/runtime:10.0\nCOPY --from=publish /out /app\n"
            ),
            ["6:21-6:25 stage publish has no /out: dotnet publish on line 3 writes to /src/out"]
        );
    }

    #[test]
    fn paths_written_otherwise_are_not_judged() {
        // Only the last COPY takes something nobody wrote.
        assert_eq!(
            check_rule(
                "PublishOutputMismatch",
                "FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build\nWORKDIR /src\nRUN dotnet publish -o /app/publish && mkdir -p /app/extra\nRUN dotnet tool install --tool-path /tools dotnet-counters\nFROM mcr.microsoft.com/dotnet/aspnet:10.0\nCOPY --from=build /app /app\nCOPY --from=build /app/extra /extra\nCOPY --from=build /root/.dotnet/tools /tools\nCOPY --from=build /tools /tools\nCOPY --from=build /src/appsettings.json /app/\n"
            ),
            ["10:19-10:40 stage build has no /src/appsettings.json: dotnet publish on line 3 writes to /app/publish"]
        );
        assert!(check_rule(
            "PublishOutputMismatch",
            "FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build\nARG OUT\nRUN dotnet publish -o $OUT\nFROM mcr.microsoft.com/dotnet/aspnet:10.0\nCOPY --from=build /app/out /app\n"
        )
        .is_empty());
    }

    #[test]
    fn silent_on_the_fixtures_that_copy_the_right_folder() {
        for (fixture, dockerfile) in [
            ("good", "Dockerfile"),
            ("vs-template", "src/Api/Dockerfile"),
            ("compose-app", "src/Api/Dockerfile"),
            ("compose-app", "src/Worker/Dockerfile"),
            ("aot-app", "Dockerfile"),
        ] {
            assert!(
                check_rule_in_solution("PublishOutputMismatch", fixture, dockerfile).is_empty(),
                "{fixture}"
            );
        }
        let good = include_str!("../../../../tests/data/good.Dockerfile");
        assert!(check_rule("PublishOutputMismatch", good).is_empty());
    }
}
