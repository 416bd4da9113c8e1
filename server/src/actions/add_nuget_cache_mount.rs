use super::dotnet_support::{mount_option, mount_values, run_flag_offset, user_home};
use super::{ActionContext, ActionKind, CodeAction};
use crate::declare_action;
use crate::ide::TextEdit;
use crate::model::BaseImage;
use crate::syntax::{Args, Keyword};

declare_action! {
/// Keeps the NuGet packages in a BuildKit cache mount, so a restore after a change of a
/// project file downloads only the packages that changed instead of all of them.
///
/// Offered on a `RUN` whose `dotnet restore` (or `build`/`publish`/`test` that restores)
/// has no cache mount for the packages folder yet. The mount goes on that RUN and on every
/// later RUN of the stage (and of the stages built `FROM` it) that runs `dotnet`: packages
/// in a cache mount are not in the image, so the `--no-restore` build needs the same mount
/// to find them. The target follows the user the RUN runs as: `/root/.nuget/packages` for
/// root, `/home/app/.nuget/packages` (owned by UID 1654) for the `app` user of the .NET
/// images, or `NUGET_PACKAGES` when the stage sets it. Not offered for a user whose home
/// Dockside does not know.
///
/// ## Before
/// ```dockerfile
/// FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
/// WORKDIR /src
/// COPY src/Api/Api.csproj src/Api/
/// RUN dotnet restore $0src/Api/Api.csproj
/// COPY . .
/// RUN dotnet publish src/Api/Api.csproj -c Release -o /app --no-restore
/// ```
///
/// ## After
/// ```dockerfile
/// FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
/// WORKDIR /src
/// COPY src/Api/Api.csproj src/Api/
/// RUN --mount=type=cache,id=nuget,target=/root/.nuget/packages dotnet restore src/Api/Api.csproj
/// COPY . .
/// RUN --mount=type=cache,id=nuget,target=/root/.nuget/packages dotnet publish src/Api/Api.csproj -c Release -o /app --no-restore
/// ```
///
/// ## Fix safety
/// Safe for the build's result: the same packages are restored. The packages are no longer
/// in the stage's layers, so a `COPY --from` of the packages folder would find it empty.
    AddNugetCacheMount { expensive: false }
}

impl AddNugetCacheMount {
    fn run(ctx: &ActionContext, out: &mut Vec<CodeAction>) {
        let model = &ctx.analysis.model;
        let tree = &ctx.analysis.tree;
        for (index, inst) in ctx.instructions_at_cursor() {
            if inst.keyword != Keyword::Run || has_nuget_cache(inst) {
                continue;
            }
            let restores = model
                .dotnet_commands
                .iter()
                .any(|c| c.instruction == index && c.command.restores());
            let Some(stage) = model.stage_of_instruction(index) else {
                continue;
            };
            if !restores {
                continue;
            }
            // This RUN, then every later dotnet RUN of the stage and of stages built from it.
            let mut runs: Vec<usize> = Vec::new();
            for invocation in &model.dotnet_commands {
                let i = invocation.instruction;
                if i < index
                    || runs.contains(&i)
                    || !derives_from(model, invocation.stage, stage.index)
                {
                    continue;
                }
                runs.push(i);
            }
            let mut edits = Vec::new();
            let mut first_target = None;
            for &i in &runs {
                let Some(run) = tree.instructions.get(i) else {
                    continue;
                };
                if has_nuget_cache(run) || !matches!(run.args, Args::Shell(_) | Args::Exec { .. }) {
                    continue;
                }
                let Some(run_stage) = model.stage_of_instruction(i) else {
                    continue;
                };
                let Some(mount) = cache_mount(ctx, run_stage.index, i) else {
                    if i == index {
                        edits.clear();
                        break;
                    }
                    continue;
                };
                if i == index {
                    first_target = mount_option(&mount, "target").map(str::to_string);
                }
                edits.push(TextEdit::insert(
                    run_flag_offset(run),
                    format!(" --mount={mount}"),
                ));
            }
            let Some(target) = first_target else {
                continue;
            };
            let title = if edits.len() == 1 {
                format!("Cache NuGet packages in a cache mount at {target}")
            } else {
                format!(
                    "Cache NuGet packages in a cache mount at {target} (on {} RUN instructions)",
                    edits.len()
                )
            };
            out.push(CodeAction::new(
                &Self::META,
                ActionKind::RefactorRewrite,
                title,
                edits,
            ));
        }
    }
}

/// Whether `stage` is `ancestor` or built `FROM` it.
fn derives_from(model: &crate::model::Model, stage: usize, ancestor: usize) -> bool {
    let mut current = stage;
    for _ in 0..=model.stages.len() {
        if current == ancestor {
            return true;
        }
        match model.stages.get(current).map(|s| &s.base) {
            Some(BaseImage::Stage(parent)) if *parent < current => current = *parent,
            _ => return false,
        }
    }
    false
}

/// A RUN that already mounts a cache (or anything) on the NuGet packages folder.
fn has_nuget_cache(run: &crate::syntax::Instruction) -> bool {
    mount_values(run).any(|mount| {
        mount_option(mount, "target")
            .or_else(|| mount_option(mount, "dst"))
            .or_else(|| mount_option(mount, "destination"))
            .is_some_and(|t| t.contains(".nuget/packages") || t.contains("NUGET_PACKAGES"))
            || mount_option(mount, "id").is_some_and(|id| id.eq_ignore_ascii_case("nuget"))
    })
}

/// `type=cache,id=nuget,target=...` for a RUN at instruction `index` of `stage`.
fn cache_mount(ctx: &ActionContext, stage: usize, index: usize) -> Option<String> {
    let model = &ctx.analysis.model;
    let packages = model.expand_at(stage, index, "${NUGET_PACKAGES}");
    if packages.is_complete() && packages.text.starts_with('/') {
        return Some(format!(
            "type=cache,id=nuget,target={}",
            packages.text.trim_end_matches('/')
        ));
    }
    let (home, uid) = user_home(&ctx.analysis.tree, model, stage, index)?;
    let owner = uid
        .map(|uid| format!(",uid={uid},gid={uid}"))
        .unwrap_or_default();
    Some(format!(
        "type=cache,id=nuget,target={home}/.nuget/packages{owner}"
    ))
}

#[cfg(test)]
mod tests {
    use crate::actions::test_support::{check_action, check_not_applicable};

    const NAME: &str = "AddNugetCacheMount";

    #[test]
    fn restore_and_the_later_build_share_the_cache() {
        let action = check_action(
            NAME,
            "FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build\nWORKDIR /src\nCOPY src/Api/Api.csproj src/Api/\nRUN dotnet restore $0src/Api/Api.csproj\nCOPY . .\nRUN dotnet publish src/Api/Api.csproj -c Release -o /app --no-restore\nFROM build AS test\nRUN dotnet test --no-restore\nFROM mcr.microsoft.com/dotnet/aspnet:10.0\nCOPY --from=build /app .\n",
            "FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build\nWORKDIR /src\nCOPY src/Api/Api.csproj src/Api/\nRUN --mount=type=cache,id=nuget,target=/root/.nuget/packages dotnet restore src/Api/Api.csproj\nCOPY . .\nRUN --mount=type=cache,id=nuget,target=/root/.nuget/packages dotnet publish src/Api/Api.csproj -c Release -o /app --no-restore\nFROM build AS test\nRUN --mount=type=cache,id=nuget,target=/root/.nuget/packages dotnet test --no-restore\nFROM mcr.microsoft.com/dotnet/aspnet:10.0\nCOPY --from=build /app .\n",
        );
        assert_eq!(
            action.title,
            "Cache NuGet packages in a cache mount at /root/.nuget/packages (on 3 RUN instructions)"
        );
    }

    #[test]
    fn the_app_user_gets_its_home_and_owner() {
        let action = check_action(
            NAME,
            "FROM mcr.microsoft.com/dotnet/sdk:10.0\nUSER $APP_UID\nWORKDIR /home/app/src\nCOPY --chown=app . .\nRUN --mount=type=secret,id=npmrc dotnet publish$0 -o /home/app/out\n",
            "FROM mcr.microsoft.com/dotnet/sdk:10.0\nUSER $APP_UID\nWORKDIR /home/app/src\nCOPY --chown=app . .\nRUN --mount=type=secret,id=npmrc --mount=type=cache,id=nuget,target=/home/app/.nuget/packages,uid=1654,gid=1654 dotnet publish -o /home/app/out\n",
        );
        assert_eq!(
            action.title,
            "Cache NuGet packages in a cache mount at /home/app/.nuget/packages"
        );
    }

    #[test]
    fn nuget_packages_variable_is_the_target() {
        check_action(
            NAME,
            "FROM mcr.microsoft.com/dotnet/sdk:10.0\nENV NUGET_PACKAGES=/nuget/packages\nRUN dotnet restore$0\n",
            "FROM mcr.microsoft.com/dotnet/sdk:10.0\nENV NUGET_PACKAGES=/nuget/packages\nRUN --mount=type=cache,id=nuget,target=/nuget/packages dotnet restore\n",
        );
    }

    #[test]
    fn not_offered_with_a_cache_already_unknown_user_or_no_restore() {
        check_not_applicable(
            NAME,
            "FROM mcr.microsoft.com/dotnet/sdk:10.0\nRUN --mount=type=cache,target=/root/.nuget/packages dotnet restore$0\n",
        );
        check_not_applicable(
            NAME,
            "FROM mcr.microsoft.com/dotnet/sdk:10.0\nUSER builder\nRUN dotnet restore$0\n",
        );
        check_not_applicable(
            NAME,
            "FROM mcr.microsoft.com/dotnet/sdk:10.0\nRUN dotnet build --no-restore$0\n",
        );
        check_not_applicable(
            NAME,
            "FROM mcr.microsoft.com/dotnet/sdk:10.0\nRUN echo$0 restore\n",
        );
    }
}
