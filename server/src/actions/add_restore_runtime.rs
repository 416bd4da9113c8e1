use super::dotnet_support::{leaves_quote_open, line_start, missing_platform_args, runtime_option};
use super::{ActionContext, CodeAction};
use crate::declare_action;
use crate::ide::TextEdit;
use crate::rules::dotnet::restore_model::RestoreModel;

declare_action! {
/// Gives `dotnet restore` the runtime (`-r <rid>`, `-a <arch>` or `--os <os>`) of the
/// `--no-restore` build or publish that relies on it, so `project.assets.json` has the
/// runtime's target. The quick fix of `RestoreTargetMismatch` when the restore ran without
/// a runtime or for another one.
///
/// When the option uses one of BuildKit's platform arguments (`$TARGETARCH`) that the
/// restore's stage has not declared, the fix declares it with `ARG` before the restore.
/// Not offered when it references another variable the restore cannot see.
///
/// ## Before
/// ```dockerfile
/// FROM --platform=$BUILDPLATFORM mcr.microsoft.com/dotnet/sdk:10.0 AS build
/// ARG TARGETARCH
/// WORKDIR /src
/// COPY src/ src/
/// RUN dotnet restore src/Api/Api.csproj
/// RUN dotnet publish src/Api/Api.csproj -a $0$TARGETARCH --no-restore -o /app
/// ```
///
/// ## After
/// ```dockerfile
/// FROM --platform=$BUILDPLATFORM mcr.microsoft.com/dotnet/sdk:10.0 AS build
/// ARG TARGETARCH
/// WORKDIR /src
/// COPY src/ src/
/// RUN dotnet restore src/Api/Api.csproj -a $TARGETARCH
/// RUN dotnet publish src/Api/Api.csproj -a $TARGETARCH --no-restore -o /app
/// ```
///
/// ## Fix safety
/// Safe: a restore for a runtime also restores the portable target, so other builds that
/// relied on it keep working.
    AddRestoreRuntime { expensive: false }
}

impl AddRestoreRuntime {
    fn run(ctx: &ActionContext, out: &mut Vec<CodeAction>) {
        let diagnostics: Vec<_> = ctx.diagnostics("RestoreTargetMismatch").collect();
        if diagnostics.is_empty() {
            return;
        }
        let rule_ctx = ctx.rule_context();
        let Some(model) = RestoreModel::of(&rule_ctx) else {
            return;
        };
        let text = ctx.text();
        for diagnostic in diagnostics {
            let Some((index, step)) = model.steps.iter().enumerate().find(|(_, s)| {
                runtime_option(s.command()).is_some_and(|(_, w)| w.range == diagnostic.range)
            }) else {
                continue;
            };
            let Some((flag, word)) = runtime_option(step.command()) else {
                continue;
            };
            // The latest restore that covers the built projects, as the rule finds it.
            let Some(restore) = model
                .earlier_restores(index)
                .into_iter()
                .rev()
                .filter_map(|i| model.steps.get(i))
                .find(|s| {
                    model
                        .restored_set(s)
                        .is_none_or(|set| step.projects.iter().all(|p| set.contains(p)))
                })
            else {
                continue;
            };
            let Some(args) = missing_platform_args(
                model.view.fs.model,
                restore.stage(),
                restore.instruction(),
                &word.text,
            ) else {
                continue;
            };
            let line = model.view.line_of(restore.words_range().start());
            let mut edits = Vec::new();
            let title = match runtime_option(restore.command()) {
                None if leaves_quote_open(text, restore.command()) => continue,
                None => {
                    edits.push(TextEdit::insert(
                        restore.command().range.end(),
                        format!(" {flag} {}", word.text),
                    ));
                    format!(
                        "Add `{flag} {}` to `dotnet {}` (line {line})",
                        word.text,
                        restore.command().verb
                    )
                }
                Some((restore_flag, restore_word)) if restore_flag == flag => {
                    edits.push(TextEdit::replace(restore_word.range, word.text.clone()));
                    format!(
                        "Restore for `{flag} {}` in `dotnet {}` (line {line})",
                        word.text,
                        restore.command().verb
                    )
                }
                Some(_) => continue,
            };
            if !args.is_empty() {
                let Some(restore_inst) = ctx.analysis.tree.instructions.get(restore.instruction())
                else {
                    continue;
                };
                let line_break = ctx.line_break();
                edits.push(TextEdit::insert(
                    line_start(text, restore_inst.range.start()),
                    args.iter()
                        .map(|a| format!("{a}{line_break}"))
                        .collect::<String>(),
                ));
            }
            out.push(CodeAction::quick_fix(&Self::META, diagnostic, title, edits).preferred());
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::actions::test_support::{
        check_action_with, check_not_applicable_with, solution_env,
    };
    use crate::actions::Safety;
    use crate::rules::dotnet::test_support::{csproj, fixture_dir, solution};

    const NAME: &str = "AddRestoreRuntime";

    fn dir() -> tempfile::TempDir {
        solution(&[
            (
                "src/Api/Api.csproj",
                &csproj("Microsoft.NET.Sdk.Web", &["../Domain/Domain.csproj"]),
            ),
            (
                "src/Domain/Domain.csproj",
                &csproj("Microsoft.NET.Sdk", &[]),
            ),
            ("Dockerfile", ""),
        ])
    }

    #[test]
    fn multi_arch_fixture() {
        let root = fixture_dir("multi-arch");
        let env = solution_env(&root, "Dockerfile");
        let text = std::fs::read_to_string(root.join("Dockerfile")).expect("fixture");
        let at = text.find("-a $TARGETARCH --no-restore").expect("publish") + 3;
        let before = format!("{}$0{}", &text[..at], &text[at..]);
        let restore = text.find("RUN dotnet restore").expect("restore");
        let restore_end = restore + text[restore..].find('\n').expect("line");
        let after = format!(
            "{} -a $TARGETARCH{}",
            &text[..restore_end],
            &text[restore_end..]
        );
        let action = check_action_with(&env, NAME, None, &before, &after);
        assert_eq!(
            action.title,
            "Add `-a $TARGETARCH` to `dotnet restore` (line 7)"
        );
        assert!(action.preferred);
        assert_eq!(action.safety, Safety::Safe);
    }

    #[test]
    fn another_runtime_is_replaced_and_a_platform_arg_declared() {
        let dir = dir();
        let env = solution_env(dir.path(), "Dockerfile");
        check_action_with(
            &env,
            NAME,
            Some("Restore for `-r linux-musl-x64` in `dotnet restore` (line 4)"),
            "FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build\nWORKDIR /src\nCOPY src/ src/\nRUN dotnet restore src/Api/Api.csproj -r linux-x64\nRUN dotnet publish src/Api/Api.csproj -r $0linux-musl-x64 --no-restore -o /app\n",
            "FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build\nWORKDIR /src\nCOPY src/ src/\nRUN dotnet restore src/Api/Api.csproj -r linux-musl-x64\nRUN dotnet publish src/Api/Api.csproj -r linux-musl-x64 --no-restore -o /app\n",
        );
        check_action_with(
            &env,
            NAME,
            Some("Add `-a $TARGETARCH` to `dotnet restore` (line 4)"),
            "FROM mcr.microsoft.com/dotnet/sdk:10.0 AS restore\nWORKDIR /src\nCOPY src/ src/\nRUN dotnet restore src/Api/Api.csproj\nFROM restore AS build\nARG TARGETARCH\nRUN dotnet publish src/Api/Api.csproj -a $0$TARGETARCH --no-restore -o /app\n",
            "FROM mcr.microsoft.com/dotnet/sdk:10.0 AS restore\nWORKDIR /src\nCOPY src/ src/\nARG TARGETARCH\nRUN dotnet restore src/Api/Api.csproj -a $TARGETARCH\nFROM restore AS build\nARG TARGETARCH\nRUN dotnet publish src/Api/Api.csproj -a $TARGETARCH --no-restore -o /app\n",
        );
    }

    #[test]
    fn not_offered_when_the_restore_leaves_a_quote_open() {
        // Found by the `analysis` fuzz target: the option landed inside the open quote, so
        // the fix never satisfied the rule and `--fix` appended it again on every run.
        let dir = dir();
        let env = solution_env(dir.path(), "Dockerfile");
        let before = "FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build\nARG TARGETARCH\nWORKDIR /src\nCOPY src/ src/\nRUN dotnet restore src/Api/Ap'i.csproj\nRUN dotnet publish src/Api/Api.csproj -a $0$TARGETARCH --no-restore -o /app\n";
        let analysis = crate::analysis::analyze(&before.replace("$0", ""), &env);
        assert!(
            analysis
                .diagnostics
                .iter()
                .any(|d| d.code == "RestoreTargetMismatch"),
            "{:?}",
            analysis.diagnostics
        );
        check_not_applicable_with(&env, NAME, before);
    }

    #[test]
    fn not_offered_for_a_variable_the_restore_cannot_see_or_without_a_mismatch() {
        let dir = dir();
        let env = solution_env(dir.path(), "Dockerfile");
        check_not_applicable_with(
            &env,
            NAME,
            "FROM mcr.microsoft.com/dotnet/sdk:10.0 AS restore\nWORKDIR /src\nCOPY src/ src/\nRUN dotnet restore src/Api/Api.csproj\nFROM restore AS build\nARG RID=linux-x64\nRUN dotnet publish src/Api/Api.csproj -r $0$RID --no-restore -o /app\n",
        );
        check_not_applicable_with(
            &env,
            NAME,
            "FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build\nWORKDIR /src\nCOPY src/ src/\nRUN dotnet restore src/Api/Api.csproj -r linux-x64\nRUN dotnet publish src/Api/Api.csproj -r $0linux-x64 --no-restore -o /app\n",
        );
    }
}
