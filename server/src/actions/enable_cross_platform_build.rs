use super::dotnet_support::leaves_quote_open;
use super::image_support::{in_final_image, insert_after};
use super::{ActionContext, ActionKind, CodeAction, Trigger};
use crate::declare_action;
use crate::ide::TextEdit;
use crate::images::RepoKind;
use crate::model::{DotnetInvocation, VarKind};
use crate::rules::dotnet::published::stage_image;

declare_action! {
/// Builds the app on the machine's own platform for the platform being built, the way
/// Microsoft's samples do for `docker buildx build --platform linux/amd64,linux/arm64`: the
/// SDK stage gets `FROM --platform=$BUILDPLATFORM` (no emulated SDK, a much faster build),
/// the stages that restore or publish declare `ARG TARGETARCH`, and `dotnet restore` and
/// `dotnet publish` get `-a $TARGETARCH` (and `dotnet build` too when a publish uses
/// `--no-build`), so the output targets the image's architecture.
///
/// Offered in the SDK stages; not for stages the final image is built on (their platform
/// must stay the target's), nor when a command already names a runtime with `-r`, which
/// `-a` would contradict.
///
/// ## Before
/// ```dockerfile
/// FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build$0
/// WORKDIR /src
/// COPY Api/Api.csproj Api/
/// RUN dotnet restore Api/Api.csproj
/// COPY . .
/// RUN dotnet publish Api/Api.csproj --no-restore -o /app
///
/// FROM mcr.microsoft.com/dotnet/aspnet:10.0
/// COPY --from=build /app /app
/// ```
///
/// ## After
/// ```dockerfile
/// FROM --platform=$BUILDPLATFORM mcr.microsoft.com/dotnet/sdk:10.0 AS build
/// ARG TARGETARCH
/// WORKDIR /src
/// COPY Api/Api.csproj Api/
/// RUN dotnet restore Api/Api.csproj -a $TARGETARCH
/// COPY . .
/// RUN dotnet publish Api/Api.csproj --no-restore -o /app -a $TARGETARCH
///
/// FROM mcr.microsoft.com/dotnet/aspnet:10.0
/// COPY --from=build /app /app
/// ```
///
/// ## Fix safety
/// A refactoring, never applied by `dockside check --fix`.
    EnableCrossPlatformBuild { expensive: false }
}

impl EnableCrossPlatformBuild {
    fn run(ctx: &ActionContext, out: &mut Vec<CodeAction>) {
        if ctx.trigger == Trigger::FixAll {
            return;
        }
        let model = &ctx.analysis.model;
        let instructions = &ctx.analysis.tree.instructions;
        let no_build_publish = model
            .dotnet_commands
            .iter()
            .any(|i| i.command.is("publish") && i.command.no_build);
        let commands: Vec<&DotnetInvocation> = model
            .dotnet_commands
            .iter()
            .filter(|i| {
                i.command.is("restore")
                    || i.command.is("publish")
                    || (no_build_publish && i.command.is("build"))
            })
            .filter(|i| !in_final_image(model, i.stage))
            .filter(|i| {
                stage_image(model, i.stage).and_then(|image| image.kind()) == Some(RepoKind::Sdk)
            })
            .collect();
        if commands.is_empty() || commands.iter().any(|i| i.command.runtime.is_some()) {
            return;
        }
        // With a quote left open, `-a $TARGETARCH` would land inside the quoted word.
        if commands
            .iter()
            .any(|i| leaves_quote_open(ctx.text(), &i.command))
        {
            return;
        }
        let mut affected: Vec<usize> = Vec::new();
        let mut edits: Vec<TextEdit> = Vec::new();
        let mut root_stages: Vec<usize> = Vec::new();
        let mut arg_stages: Vec<usize> = Vec::new();
        for invocation in &commands {
            let Some(root) = model.root_stage(invocation.stage) else {
                return;
            };
            if !root_stages.contains(&root.index) {
                root_stages.push(root.index);
            }
            if invocation.command.arch.is_some() {
                continue;
            }
            edits.push(TextEdit::insert(
                invocation.command.range.end(),
                " -a $TARGETARCH",
            ));
            let declared = model.stage_vars.iter().any(|v| {
                v.kind == VarKind::Arg
                    && v.name == "TARGETARCH"
                    && v.stage == Some(invocation.stage)
                    && v.instruction < invocation.instruction
            });
            if !declared && !arg_stages.contains(&invocation.stage) {
                arg_stages.push(invocation.stage);
            }
            affected.push(invocation.stage);
        }
        for &stage in &root_stages {
            let Some(from) = model
                .stages
                .get(stage)
                .and_then(|s| instructions.get(s.from))
            else {
                return;
            };
            affected.push(stage);
            if from.flag("platform").is_none() {
                edits.push(TextEdit::insert(
                    from.keyword_range.end(),
                    " --platform=$BUILDPLATFORM",
                ));
            }
        }
        for &stage in &arg_stages {
            let Some(from) = model.stages.get(stage).map(|s| s.from) else {
                return;
            };
            edits.extend(insert_after(ctx, from, &["ARG TARGETARCH".to_string()]));
        }
        if edits.is_empty()
            || !ctx
                .stage_at_cursor()
                .is_some_and(|stage| affected.contains(&stage.index))
        {
            return;
        }
        edits.sort_by_key(|e| e.range.start());
        out.push(CodeAction::new(
            &Self::META,
            ActionKind::RefactorRewrite,
            "Build on the build platform for the target architecture (--platform=$BUILDPLATFORM, -a $TARGETARCH)",
            edits,
        ));
    }
}

#[cfg(test)]
mod tests {
    use crate::actions::test_support::{check_action, check_not_applicable};

    const NAME: &str = "EnableCrossPlatformBuild";

    #[test]
    fn restore_layer_and_publish_in_one_sdk_stage() {
        let action = check_action(
            NAME,
            "FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build$0\nWORKDIR /src\nCOPY Api/Api.csproj Api/\nRUN dotnet restore Api/Api.csproj\nCOPY . .\nRUN dotnet publish Api/Api.csproj --no-restore -o /app\n\nFROM mcr.microsoft.com/dotnet/aspnet:10.0\nCOPY --from=build /app /app\n",
            "FROM --platform=$BUILDPLATFORM mcr.microsoft.com/dotnet/sdk:10.0 AS build\nARG TARGETARCH\nWORKDIR /src\nCOPY Api/Api.csproj Api/\nRUN dotnet restore Api/Api.csproj -a $TARGETARCH\nCOPY . .\nRUN dotnet publish Api/Api.csproj --no-restore -o /app -a $TARGETARCH\n\nFROM mcr.microsoft.com/dotnet/aspnet:10.0\nCOPY --from=build /app /app\n",
        );
        assert_eq!(
            action.title,
            "Build on the build platform for the target architecture (--platform=$BUILDPLATFORM, -a $TARGETARCH)"
        );
    }

    #[test]
    fn visual_studio_shape_with_a_publish_stage_and_continuations() {
        check_action(
            NAME,
            "FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS base\nUSER $APP_UID\n\nFROM mcr.microsoft.com/dotnet/sdk:10.0 AS build\nARG BUILD_CONFIGURATION=Release\nWORKDIR /src\nCOPY [\"Api/Api.csproj\", \"Api/\"]\nRUN dotnet restore \"./Api/Api.csproj\"\nCOPY . .\nRUN dotnet build \"./Api/Api.csproj\" -c $BUILD_CONFIGURATION -o /app/build\n\nFROM build AS publish$0\nARG BUILD_CONFIGURATION=Release\nRUN dotnet publish \"./Api/Api.csproj\" \\\n    -c $BUILD_CONFIGURATION -o /app/publish /p:UseAppHost=false\n\nFROM base AS final\nCOPY --from=publish /app/publish .\n",
            "FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS base\nUSER $APP_UID\n\nFROM --platform=$BUILDPLATFORM mcr.microsoft.com/dotnet/sdk:10.0 AS build\nARG TARGETARCH\nARG BUILD_CONFIGURATION=Release\nWORKDIR /src\nCOPY [\"Api/Api.csproj\", \"Api/\"]\nRUN dotnet restore \"./Api/Api.csproj\" -a $TARGETARCH\nCOPY . .\nRUN dotnet build \"./Api/Api.csproj\" -c $BUILD_CONFIGURATION -o /app/build\n\nFROM build AS publish\nARG TARGETARCH\nARG BUILD_CONFIGURATION=Release\nRUN dotnet publish \"./Api/Api.csproj\" \\\n    -c $BUILD_CONFIGURATION -o /app/publish /p:UseAppHost=false -a $TARGETARCH\n\nFROM base AS final\nCOPY --from=publish /app/publish .\n",
        );
    }

    #[test]
    fn not_offered_when_a_quote_is_left_open_in_the_command() {
        // `-a $TARGETARCH` would be appended inside the quoted word, again on every use
        // (found by the `actions` fuzz target).
        check_not_applicable(
            NAME,
            "FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build$0\nRUN dotnet publish \"Api.csproj -o /app\nFROM mcr.microsoft.com/dotnet/aspnet:10.0\nCOPY --from=build /app /app\n",
        );
    }

    #[test]
    fn not_offered_when_done_single_stage_or_with_a_runtime() {
        check_not_applicable(
            NAME,
            "FROM --platform=$BUILDPLATFORM mcr.microsoft.com/dotnet/sdk:10.0 AS build$0\nARG TARGETARCH\nRUN dotnet publish Api.csproj -a $TARGETARCH -o /app\nFROM mcr.microsoft.com/dotnet/aspnet:10.0\n",
        );
        check_not_applicable(
            NAME,
            "FROM mcr.microsoft.com/dotnet/sdk:10.0$0\nRUN dotnet publish Api.csproj -o /app\nENTRYPOINT [\"dotnet\", \"/app/Api.dll\"]\n",
        );
        check_not_applicable(
            NAME,
            "FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build$0\nRUN dotnet publish Api.csproj -r linux-musl-x64 -o /app\nFROM mcr.microsoft.com/dotnet/runtime-deps:10.0-alpine\n",
        );
        check_not_applicable(
            NAME,
            "FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build\nRUN dotnet publish Api.csproj -o /app\nFROM mcr.microsoft.com/dotnet/aspnet:10.0$0\n",
        );
    }
}
