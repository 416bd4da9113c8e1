use super::published::{expand_word, line_of};
use super::restore_model::SolutionView;
use crate::context::stage_fs::{dotnet_target, posix_join, BuildTarget};
use crate::declare_rule;
use crate::model::DotnetInvocation;
use crate::rules::hadolint::runs::ancestry;
use crate::rules::{Diagnostics, RuleContext};
use crate::text::TextRange;

declare_rule! {
/// ## What it does
/// Checks for a `dotnet publish` without `--no-build` of a project that a `dotnet build`
/// earlier in the same stage (or a stage it is built `FROM`) already compiled.
///
/// ## Why is this bad?
/// `dotnet publish` builds the project itself. The earlier `dotnet build` (the Visual Studio
/// template has one in its `build` stage) compiles everything a second time, and with
/// `build -o` its output is not even used. On a large solution that doubles the build
/// time of every image.
///
/// ## Example
/// ```dockerfile
/// RUN dotnet build "./Api.csproj" -c Release -o /app/build
/// FROM build AS publish
/// RUN dotnet publish "./Api.csproj" -c Release -o /app/publish
/// ```
///
/// ## Use instead
/// ```dockerfile
/// FROM build AS publish
/// RUN dotnet publish "./Api.csproj" -c Release -o /app/publish
/// ```
///
/// or keep the build and publish its output with `--no-build` (same configuration, and no
/// `-o` on the build, whose output `--no-build` would not find).
///
/// ## Fix safety
/// No automatic fix.
    DoubleCompile {
        severity: Info,
        origin: Dotnet,
        summary: "`dotnet publish` compiles again what `dotnet build` just compiled.",
    }
}

/// What a command builds: a project or solution of the workspace, else its container path.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Built {
    Target(BuildTarget),
    Path(String),
}

fn container_path(ctx: &RuleContext, invocation: &DotnetInvocation) -> Option<String> {
    let workdir = ctx.workdir_at(invocation.stage, invocation.instruction);
    match &invocation.command.project {
        Some(p) => Some(posix_join(workdir, &expand_word(ctx, invocation, &p.text)?)),
        None => Some(workdir.to_string()),
    }
}

impl DoubleCompile {
    fn run(ctx: &RuleContext, out: &mut Diagnostics) {
        let commands = &ctx.model.dotnet_commands;
        let fs = SolutionView::of(ctx).map(|view| &view.fs);
        let built = |invocation: &DotnetInvocation| -> Option<Built> {
            let target = match (&fs, ctx.workspace()) {
                (Some(fs), Some(workspace)) => dotnet_target(fs, workspace, invocation).target,
                _ => BuildTarget::Unknown,
            };
            match target {
                BuildTarget::Unknown => container_path(ctx, invocation).map(Built::Path),
                target => Some(Built::Target(target)),
            }
        };
        // The build commands of each stage, by index in `commands`.
        let mut builds_in: Vec<Vec<usize>> = vec![Vec::new(); ctx.model.stages.len()];
        for (n, b) in commands.iter().enumerate() {
            if b.command.is("build") {
                if let Some(list) = builds_in.get_mut(b.stage) {
                    list.push(n);
                }
            }
        }
        for (p, publish) in commands.iter().enumerate() {
            if !publish.command.is("publish") || publish.command.no_build {
                continue;
            }
            let stages = ancestry(ctx.model, publish.stage);
            // The builds before the publish in its stages, in command order.
            let mut before: Vec<usize> = stages
                .iter()
                .filter_map(|&s| builds_in.get(s))
                .flat_map(|list| list.iter().copied().take_while(|&n| n < p))
                .collect();
            before.sort_unstable();
            let builds: Vec<&DotnetInvocation> =
                before.iter().filter_map(|&n| commands.get(n)).collect();
            if builds.is_empty() {
                continue;
            }
            let Some(published) = built(publish) else {
                continue;
            };
            let Some(build) = builds
                .into_iter()
                .rev()
                .find(|b| built(b).as_ref() == Some(&published))
            else {
                continue;
            };
            let what = publish
                .command
                .project
                .as_ref()
                .map(|p| p.text.trim_matches('"').to_string())
                .unwrap_or_else(|| "the project".to_string());
            let line = line_of(ctx.text, build.command.range.start());
            let range = TextRange::new(
                publish.command.range.start(),
                publish.command.verb_range.end(),
            );
            out.report(
                &Self::META,
                range,
                format!(
                    "dotnet publish compiles {what} again after the dotnet build on line {line}: drop the build step (publish builds), or publish with --no-build"
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::dotnet::test_support::check_rule_in_solution;
    use crate::rules::test_support::check_rule;

    #[test]
    fn reports_the_visual_studio_template() {
        assert_eq!(
            check_rule_in_solution("DoubleCompile", "vs-template", "src/Api/Dockerfile"),
            ["24:5-24:19 dotnet publish compiles ./Api.csproj again after the dotnet build on line 19: drop the build step (publish builds), or publish with --no-build"]
        );
    }

    #[test]
    fn compares_container_paths_without_a_solution() {
        assert_eq!(
            check_rule(
                "DoubleCompile",
                "FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build\nWORKDIR /src/App\nRUN dotnet build -c Release && dotnet publish -c Release -o /out\n"
            ),
            ["3:32-3:46 dotnet publish compiles the project again after the dotnet build on line 3: drop the build step (publish builds), or publish with --no-build"]
        );
        assert!(check_rule(
            "DoubleCompile",
            "FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build\nWORKDIR /src\nRUN dotnet build App/App.csproj -c Release\nRUN dotnet publish App/App.csproj -c Release --no-build -o /out\nRUN dotnet publish Other/Other.csproj -o /other\n"
        )
        .is_empty());
        // A build in an unrelated stage does not count.
        assert!(check_rule(
            "DoubleCompile",
            "FROM mcr.microsoft.com/dotnet/sdk:10.0 AS test\nWORKDIR /src\nRUN dotnet build App/App.csproj\nFROM mcr.microsoft.com/dotnet/sdk:10.0 AS publish\nWORKDIR /src\nRUN dotnet publish App/App.csproj -o /out\n"
        )
        .is_empty());
    }

    #[test]
    fn silent_on_the_good_dockerfiles() {
        assert!(check_rule_in_solution("DoubleCompile", "good", "Dockerfile").is_empty());
        let good = include_str!("../../../../tests/data/good.Dockerfile");
        assert!(check_rule("DoubleCompile", good).is_empty());
    }
}
