use super::image_support::{insert_after, insert_before, move_privileged_ports};
use super::{ActionContext, ActionKind, CodeAction};
use crate::declare_action;
use crate::images::OsFamily;
use crate::rules::dotnet::final_image::{run_as, RunAs};
use crate::rules::dotnet::published::{final_image_instructions, stage_image, StageImage};
use crate::syntax::Keyword;

/// UID and GID of the user created on images without one: the .NET images' `app` user has
/// the same, so volumes and Kubernetes `runAsUser` settings carry over.
const APP_UID: u16 = 1654;

declare_action! {
/// Makes the final image run as a non-root user. On .NET 8+ images, which have the `app`
/// user, it adds `USER $APP_UID`; on other images (older .NET images, `debian`, `ubuntu`,
/// `alpine`, Azure Linux) it first creates `app` (UID 1654, like the .NET images) with the
/// distribution's own tools: `groupadd`/`useradd` on Debian, Ubuntu and Azure Linux,
/// BusyBox `addgroup -S`/`adduser -S -G` on Alpine. The USER goes after the last
/// instruction that may need root (every RUN, a `USER root`) and before ENTRYPOINT/CMD.
///
/// When the app listens on a port below 1024, which a non-root user cannot bind, the action
/// also moves it to 8080 (8443 for 443): the ENV that sets the port and the matching EXPOSE;
/// the title says so. The quick fix of `RunsAsRoot`.
///
/// Offered on the FROM and USER lines of the final stage. Not offered when the image
/// already runs as non-root (chiseled, distroless, a USER), for
/// Windows images, or for images whose distribution Dockside does not know.
///
/// ## Before
/// ```dockerfile
/// FROM mcr.microsoft.com/dotnet/aspnet:10.0$0
/// RUN apt-get update && apt-get install -y --no-install-recommends libgdiplus
/// WORKDIR /app
/// COPY --from=build /app/publish .
/// ENTRYPOINT ["dotnet", "Api.dll"]
/// ```
///
/// ## After
/// ```dockerfile
/// FROM mcr.microsoft.com/dotnet/aspnet:10.0
/// RUN apt-get update && apt-get install -y --no-install-recommends libgdiplus
/// WORKDIR /app
/// COPY --from=build /app/publish .
/// USER $APP_UID
/// ENTRYPOINT ["dotnet", "Api.dll"]
/// ```
///
/// ## Fix safety
/// Unsafe: an app that writes outside its own files (logs under `/app`, `/var`, a mounted
/// volume owned by root) fails once it no longer runs as root.
    AddNonRootUser { expensive: false }
}

/// How the image gets a non-root user.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum UserSetup {
    /// The .NET 8+ images' `app` user.
    AppUid,
    /// `groupadd`/`useradd` (Debian, Ubuntu, Azure Linux, CBL-Mariner).
    Useradd,
    /// BusyBox `addgroup`/`adduser` (Alpine).
    BusyBox,
}

impl AddNonRootUser {
    fn run(ctx: &ActionContext, out: &mut Vec<CodeAction>) {
        let model = &ctx.analysis.model;
        let Some(final_stage) = model.final_stage() else {
            return;
        };
        let diagnostic = ctx.diagnostics("RunsAsRoot").next();
        // As a refactoring: on the final stage's FROM or one of its USER lines, not on
        // every line of the stage.
        let instructions = &ctx.analysis.tree.instructions;
        let on_from_or_user = final_stage.instructions.clone().any(|i| {
            instructions.get(i).is_some_and(|inst| {
                (i == final_stage.from || inst.keyword == Keyword::User) && ctx.touches(inst.range)
            })
        });
        if diagnostic.is_none() && (!on_from_or_user || ctx.trigger == super::Trigger::FixAll) {
            return;
        }
        let rctx = ctx.rule_context();
        let image = stage_image(model, final_stage.index);
        let Some(image) = image else { return };
        let Some(setup) = user_setup(&image) else {
            return;
        };
        let runs_as_root = match run_as(&rctx, final_stage.index, Some(&image)) {
            RunAs::Root { .. } => true,
            RunAs::NonRoot { .. } => false,
            // Images the catalog does not know: root unless a USER says otherwise.
            RunAs::Unknown => {
                image.facts.is_none()
                    && !final_image_instructions(model, final_stage.index)
                        .iter()
                        .any(|(_, i)| {
                            ctx.analysis
                                .tree
                                .instructions
                                .get(*i)
                                .is_some_and(|inst| inst.keyword == Keyword::User)
                        })
            }
        };
        if !runs_as_root {
            return;
        }
        let Some(ports) = move_privileged_ports(&rctx, final_stage.index, Some(&image)) else {
            return;
        };

        let mut lines = Vec::new();
        let user = match setup {
            UserSetup::AppUid => "$APP_UID".to_string(),
            UserSetup::Useradd => {
                lines.push(format!("RUN groupadd --system --gid {APP_UID} app && useradd --system --uid {APP_UID} --gid app --create-home app"));
                APP_UID.to_string()
            }
            UserSetup::BusyBox => {
                lines.push(format!(
                    "RUN addgroup -S -g {APP_UID} app && adduser -S -u {APP_UID} -G app app"
                ));
                APP_UID.to_string()
            }
        };
        lines.extend(ports.new_env.clone());
        lines.push(format!("USER {user}"));

        let Some(insert) = insertion(ctx, final_stage.instructions.clone(), &lines) else {
            return;
        };
        let mut edits = ports.edits.clone();
        edits.push(insert);
        edits.sort_by_key(|e| e.range.start());

        let mut title = match setup {
            UserSetup::AppUid => "Run as the non-root app user (USER $APP_UID)".to_string(),
            UserSetup::Useradd | UserSetup::BusyBox => {
                format!("Create the non-root user app (UID {APP_UID}) and run as it")
            }
        };
        if !ports.moved.is_empty() {
            title.push_str(&format!(", moving {}", ports.describe()));
        }
        let action = match diagnostic {
            Some(diagnostic) => CodeAction::quick_fix(&Self::META, diagnostic, title, edits),
            None => CodeAction::new(&Self::META, ActionKind::RefactorRewrite, title, edits),
        };
        out.push(action.preferred().unsafe_fix());
    }
}

/// Where the new lines go: before the first ENTRYPOINT/CMD after the last instruction that
/// may need root, else after the stage's last instruction.
fn insertion(
    ctx: &ActionContext,
    stage: std::ops::Range<usize>,
    lines: &[String],
) -> Option<crate::ide::TextEdit> {
    let instructions = &ctx.analysis.tree.instructions;
    let keyword = |i: usize| instructions.get(i).map(|inst| inst.keyword);
    let first = stage.start;
    let last_root = stage
        .clone()
        .filter(|&i| matches!(keyword(i), Some(Keyword::Run | Keyword::User)))
        .max()
        .unwrap_or(first);
    let runs_app = stage
        .clone()
        .filter(|&i| i > last_root)
        .find(|&i| matches!(keyword(i), Some(Keyword::Entrypoint | Keyword::Cmd)));
    match runs_app {
        Some(index) => insert_before(ctx, index, lines),
        None => insert_after(ctx, stage.end.checked_sub(1)?, lines),
    }
}

fn user_setup(image: &StageImage) -> Option<UserSetup> {
    let Some(facts) = &image.facts else {
        return os_image_setup(image);
    };
    if facts.non_root_by_default == Some(true)
        || facts.distroless == Some(true)
        || facts.has_shell == Some(false)
        || facts.os_family == Some(OsFamily::Windows)
    {
        return None;
    }
    if image.known.as_ref().is_some_and(|k| k.image.has_app_user()) {
        return Some(UserSetup::AppUid);
    }
    match facts.os_family {
        Some(OsFamily::Alpine) => Some(UserSetup::BusyBox),
        Some(OsFamily::Debian | OsFamily::Ubuntu | OsFamily::AzureLinux | OsFamily::CblMariner) => {
            Some(UserSetup::Useradd)
        }
        // The OS-less tags of .NET 7 and earlier are Debian.
        None if facts.repo_kind.is_dotnet() => Some(UserSetup::Useradd),
        _ => None,
    }
}

/// The distribution images outside the catalog that start as root: Docker Hub's `debian`,
/// `ubuntu` and `alpine`, Azure Linux and CBL-Mariner base images.
fn os_image_setup(image: &StageImage) -> Option<UserSetup> {
    let repository = image.reference.repository();
    let name = repository.rsplit('/').next().unwrap_or(repository);
    match name {
        "debian" | "ubuntu" => Some(UserSetup::Useradd),
        "alpine" => Some(UserSetup::BusyBox),
        _ if repository.ends_with("azurelinux/base/core")
            || repository.ends_with("cbl-mariner/base/core") =>
        {
            Some(UserSetup::Useradd)
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use crate::actions::test_support::{check_action, check_not_applicable};
    use crate::actions::Safety;

    const NAME: &str = "AddNonRootUser";

    #[test]
    fn aspnet_with_apt_get_in_the_final_stage() {
        let action = check_action(
            NAME,
            "FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build\nWORKDIR /src\nCOPY . .\nRUN dotnet publish Api.csproj -o /app/publish\n\nFROM mcr.microsoft.com/dotnet/aspnet:10.0$0\nRUN apt-get update \\\n    && apt-get install -y --no-install-recommends libgdiplus \\\n    && rm -rf /var/lib/apt/lists/*\nWORKDIR /app\nCOPY --from=build /app/publish .\n# start the API\nENTRYPOINT [\"dotnet\", \"Api.dll\"]\n",
            "FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build\nWORKDIR /src\nCOPY . .\nRUN dotnet publish Api.csproj -o /app/publish\n\nFROM mcr.microsoft.com/dotnet/aspnet:10.0\nRUN apt-get update \\\n    && apt-get install -y --no-install-recommends libgdiplus \\\n    && rm -rf /var/lib/apt/lists/*\nWORKDIR /app\nCOPY --from=build /app/publish .\nUSER $APP_UID\n# start the API\nENTRYPOINT [\"dotnet\", \"Api.dll\"]\n",
        );
        assert_eq!(action.title, "Run as the non-root app user (USER $APP_UID)");
        assert_eq!(action.fixes.as_ref().map(|d| d.code), Some("RunsAsRoot"));
        assert_eq!(action.safety, Safety::Unsafe);
    }

    #[test]
    fn after_user_root_and_its_installs() {
        check_action(
            NAME,
            "FROM mcr.microsoft.com/dotnet/aspnet:10.0-alpine\nUSER root$0\nRUN apk add --no-cache icu-libs\nCMD [\"dotnet\", \"Api.dll\"]\n",
            "FROM mcr.microsoft.com/dotnet/aspnet:10.0-alpine\nUSER root\nRUN apk add --no-cache icu-libs\nUSER $APP_UID\nCMD [\"dotnet\", \"Api.dll\"]\n",
        );
    }

    #[test]
    fn alpine_base_gets_a_busybox_user() {
        let action = check_action(
            NAME,
            "FROM alpine:3.20$0\nRUN apk add --no-cache libstdc++\nCOPY --from=build /app/publish /app\nENTRYPOINT [\"/app/Worker\"]\n",
            "FROM alpine:3.20\nRUN apk add --no-cache libstdc++\nCOPY --from=build /app/publish /app\nRUN addgroup -S -g 1654 app && adduser -S -u 1654 -G app app\nUSER 1654\nENTRYPOINT [\"/app/Worker\"]\n",
        );
        assert_eq!(
            action.title,
            "Create the non-root user app (UID 1654) and run as it"
        );
        assert_eq!(action.fixes, None);
    }

    #[test]
    fn not_offered_after_a_heredoc_that_runs_to_the_end_of_the_file() {
        // The new lines would become the heredoc's body (found by the `actions` fuzz target).
        check_not_applicable(NAME, "FROM alpine:3.20$0\nCOPY <<eot /x\nunterminated\n");
    }

    #[test]
    fn debian_and_ubuntu_bases_get_useradd() {
        check_action(
            NAME,
            "FROM ubuntu:24.04$0\nCOPY --from=build /app/publish /app\n",
            "FROM ubuntu:24.04\nCOPY --from=build /app/publish /app\nRUN groupadd --system --gid 1654 app && useradd --system --uid 1654 --gid app --create-home app\nUSER 1654\n",
        );
        check_action(
            NAME,
            "FROM debian:bookworm-slim$0\nRUN apt-get update && apt-get install -y --no-install-recommends libicu72\nENTRYPOINT [\"/app/Api\"]",
            "FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y --no-install-recommends libicu72\nRUN groupadd --system --gid 1654 app && useradd --system --uid 1654 --gid app --create-home app\nUSER 1654\nENTRYPOINT [\"/app/Api\"]",
        );
    }

    #[test]
    fn old_dotnet_image_listening_on_port_80_moves_to_8080() {
        let action = check_action(
            NAME,
            "FROM mcr.microsoft.com/dotnet/aspnet:6.0$0\nWORKDIR /app\nEXPOSE 80\nCOPY --from=build /app/publish .\nENTRYPOINT [\"dotnet\", \"Api.dll\"]\n",
            "FROM mcr.microsoft.com/dotnet/aspnet:6.0\nWORKDIR /app\nEXPOSE 8080\nCOPY --from=build /app/publish .\nRUN groupadd --system --gid 1654 app && useradd --system --uid 1654 --gid app --create-home app\nENV ASPNETCORE_URLS=http://+:8080\nUSER 1654\nENTRYPOINT [\"dotnet\", \"Api.dll\"]\n",
        );
        assert_eq!(
            action.title,
            "Create the non-root user app (UID 1654) and run as it, moving port 80 to 8080"
        );
    }

    #[test]
    fn port_80_set_by_env_moves_with_its_expose() {
        let action = check_action(
            NAME,
            "FROM mcr.microsoft.com/dotnet/aspnet:8.0 AS base\nWORKDIR /app\nEXPOSE 80\nEXPOSE 443\n\nFROM base AS final$0\nENV ASPNETCORE_URLS=\"http://+:80;https://+:443\"\nCOPY --from=build /app/publish .\nENTRYPOINT [\"dotnet\", \"Api.dll\"]\n",
            "FROM mcr.microsoft.com/dotnet/aspnet:8.0 AS base\nWORKDIR /app\nEXPOSE 8080\nEXPOSE 8443\n\nFROM base AS final\nENV ASPNETCORE_URLS=\"http://+:8080;https://+:8443\"\nCOPY --from=build /app/publish .\nUSER $APP_UID\nENTRYPOINT [\"dotnet\", \"Api.dll\"]\n",
        );
        assert_eq!(
            action.title,
            "Run as the non-root app user (USER $APP_UID), moving ports 80 and 443 to 8080 and 8443"
        );
        check_action(
            NAME,
            "FROM mcr.microsoft.com/dotnet/aspnet:10.0$0\nENV ASPNETCORE_HTTP_PORTS=80\nEXPOSE 80/tcp\n",
            "FROM mcr.microsoft.com/dotnet/aspnet:10.0\nENV ASPNETCORE_HTTP_PORTS=8080\nEXPOSE 8080/tcp\nUSER $APP_UID\n",
        );
    }

    #[test]
    fn not_offered_on_non_root_images_or_users() {
        for text in [
            "FROM mcr.microsoft.com/dotnet/aspnet:10.0-noble-chiseled$0\nENTRYPOINT [\"dotnet\", \"Api.dll\"]\n",
            "FROM mcr.microsoft.com/dotnet/aspnet:10.0-azurelinux3.0-distroless$0\n",
            "FROM mcr.microsoft.com/dotnet/aspnet:10.0$0\nUSER $APP_UID\n",
            "FROM ubuntu:24.04$0\nUSER nobody\n",
            "FROM node:22$0\nCMD [\"node\", \"app.js\"]\n",
            "FROM mcr.microsoft.com/dotnet/aspnet:10.0-nanoserver-ltsc2022$0\n",
        ] {
            check_not_applicable(NAME, text);
        }
        // Only on the final stage's FROM and USER lines.
        check_not_applicable(
            NAME,
            "FROM mcr.microsoft.com/dotnet/aspnet:10.0\nWORKDIR /app$0\nCOPY . .\n",
        );
        check_not_applicable(
            NAME,
            "FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build$0\nFROM mcr.microsoft.com/dotnet/aspnet:10.0-noble-chiseled\n",
        );
    }
}
