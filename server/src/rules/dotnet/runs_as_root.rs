use super::final_image::{run_as, RunAs};
use super::published::{last_in_final_image, published_app};
use crate::declare_rule;
use crate::images::OsFamily;
use crate::rules::hadolint::LastUserRoot;
use crate::rules::{Diagnostics, RuleContext};
use crate::syntax::{Args, Keyword};

declare_rule! {
/// ## What it does
/// Checks that the final image does not run as root: no USER at all in the final stage (and
/// the stages it is built `FROM`) on an image that starts as root. The chiseled and
/// distroless .NET images already run as the non-root `app` user and are not reported;
/// `USER $APP_UID` (the `app` user of the .NET 8+ images) counts as non-root. Only images
/// the catalog knows are judged, and only when the final image says what it runs (an
/// ENTRYPOINT or CMD): without one it is a base image for other Dockerfiles, which choose
/// their user.
///
/// An explicit `USER root` (or `0`) as the last USER is LastUserRoot's finding (hadolint
/// DL3002); this rule reports it only when LastUserRoot is disabled, and reports Windows'
/// `USER ContainerAdministrator`, which LastUserRoot does not know.
///
/// ## Why is this bad?
/// A process running as root in the container turns any flaw in the app into root access to
/// the container's filesystem and makes escaping to the host easier. Since .NET 8 every
/// Linux image has the `app` user for this (`$APP_UID`, 1654), and ASP.NET Core listens on
/// 8080, a port a non-root user may bind.
///
/// ## Example
/// ```dockerfile
/// FROM mcr.microsoft.com/dotnet/aspnet:10.0
/// WORKDIR /app
/// COPY --from=build /app/publish .
/// ENTRYPOINT ["dotnet", "Api.dll"]
/// ```
///
/// ## Use instead
/// ```dockerfile
/// FROM mcr.microsoft.com/dotnet/aspnet:10.0
/// WORKDIR /app
/// COPY --from=build /app/publish .
/// USER $APP_UID
/// ENTRYPOINT ["dotnet", "Api.dll"]
/// ```
///
/// ## Fix safety
/// The AddNonRootUser quick fix adds `USER $APP_UID` (or creates a user first on images
/// without one) and moves a port below 1024 to 8080. Unsafe: an app that writes to
/// root-owned paths fails once it no longer runs as root.
///
/// ## References
/// - [Secure your .NET containers with non-root](https://devblogs.microsoft.com/dotnet/securing-containers-with-rootless/)
    RunsAsRoot {
        severity: Warning,
        origin: Dotnet,
        summary: "The final image runs as root.",
        fixable: true,
    }
}

impl RunsAsRoot {
    fn run(ctx: &RuleContext, out: &mut Diagnostics) {
        let Some(app) = published_app(ctx) else {
            return;
        };
        let Some(image) = &app.runtime else { return };
        let Some(facts) = &image.facts else { return };
        let windows = facts.os_family == Some(OsFamily::Windows);
        let advice = if windows {
            "add USER ContainerUser".to_string()
        } else if image.known.as_ref().is_some_and(|k| k.image.has_app_user()) {
            "add USER $APP_UID".to_string()
        } else {
            match facts.dotnet_version {
                Some(v) if v.major < 8 => format!(
                    "create a user (the .NET {v} images have no app user) and switch to it with USER"
                ),
                _ => "switch to a non-root user with USER".to_string(),
            }
        };
        let root = if windows {
            "ContainerAdministrator"
        } else {
            "root"
        };
        match run_as(ctx, app.final_stage, Some(image)) {
            RunAs::Root { user: None } => {
                let runs_something = [Keyword::Entrypoint, Keyword::Cmd]
                    .iter()
                    .any(|k| last_in_final_image(ctx, app.final_stage, *k).is_some());
                if !runs_something {
                    return;
                }
                let Some(final_stage) = ctx.model.stages.get(app.final_stage) else {
                    return;
                };
                let Some(Args::Words(words)) =
                    ctx.tree.instructions.get(final_stage.from).map(|i| &i.args)
                else {
                    return;
                };
                let Some(from_word) = words.first() else {
                    return;
                };
                out.report(
                    &Self::META,
                    from_word.range,
                    format!(
                        "The final stage runs as {root}: {} starts as {root} and no USER switches to another user; {advice}",
                        image.name()
                    ),
                );
            }
            RunAs::Root {
                user: Some((_, word)),
            } => {
                let name = word
                    .text
                    .trim()
                    .split(':')
                    .next()
                    .unwrap_or_default()
                    .to_string();
                let last_user_root_reports = (name == "root" || name == "0")
                    && ctx.env.config.rule_enabled(&LastUserRoot::META);
                if last_user_root_reports {
                    return;
                }
                out.report(
                    &Self::META,
                    word.range,
                    format!(
                        "The final stage runs as {root} (USER {}); {advice}",
                        word.text
                    ),
                );
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::dotnet::test_support::check_rule_in_solution;
    use crate::rules::test_support::{check_rule, check_rule_with, test_env};

    #[test]
    fn reports_a_final_stage_without_user() {
        assert_eq!(
            check_rule_in_solution("RunsAsRoot", "naive-single-stage", "Dockerfile"),
            ["1:6-1:38 The final stage runs as root: mcr.microsoft.com/dotnet/sdk:8.0 starts as root and no USER switches to another user; add USER $APP_UID"]
        );
        assert_eq!(
            check_rule(
                "RunsAsRoot",
                "FROM mcr.microsoft.com/dotnet/aspnet:6.0 AS base\nFROM base\nENTRYPOINT [\"dotnet\", \"Api.dll\"]\n"
            ),
            ["2:6-2:10 The final stage runs as root: mcr.microsoft.com/dotnet/aspnet:6.0 starts as root and no USER switches to another user; create a user (the .NET 6.0 images have no app user) and switch to it with USER"]
        );
        assert_eq!(
            check_rule(
                "RunsAsRoot",
                "FROM mcr.microsoft.com/dotnet/aspnet:10.0-windowsservercore-ltsc2022\nUSER ContainerAdministrator\n"
            ),
            ["2:6-2:28 The final stage runs as ContainerAdministrator (USER ContainerAdministrator); add USER ContainerUser"]
        );
    }

    #[test]
    fn leaves_user_root_to_last_user_root_unless_it_is_disabled() {
        let text = "FROM mcr.microsoft.com/dotnet/aspnet:10.0\nUSER root\n";
        assert!(check_rule("RunsAsRoot", text).is_empty());
        let mut env = test_env();
        let mut config = (*env.config).clone();
        config.disabled.push("LastUserRoot");
        env.config = std::sync::Arc::new(config);
        assert_eq!(
            check_rule_with("RunsAsRoot", text, &env),
            ["2:6-2:10 The final stage runs as root (USER root); add USER $APP_UID"]
        );
    }

    #[test]
    fn silent_for_non_root_images_and_users() {
        for text in [
            "FROM mcr.microsoft.com/dotnet/aspnet:10.0-noble-chiseled\nENTRYPOINT [\"dotnet\", \"Api.dll\"]\n",
            "FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS base\nUSER $APP_UID\nFROM base AS final\n",
            "FROM mcr.microsoft.com/dotnet/aspnet:10.0\nARG U\nUSER $U\n",
            "FROM mcr.microsoft.com/dotnet/aspnet:10.0\nUSER ${APP_UID}:${APP_UID}\nCMD [\"./Api\"]\n",
            "FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build\nFROM scratch\nCOPY --from=build /app /\n",
            "FROM ubuntu:24.04\nRUN true\n",
            // A base image for other Dockerfiles: they choose the user.
            "FROM mcr.microsoft.com/dotnet/runtime-deps:10.0\nRUN apt-get update\n",
        ] {
            assert!(check_rule("RunsAsRoot", text).is_empty(), "{text}");
        }
        for (fixture, dockerfile) in [
            ("good", "Dockerfile"),
            ("vs-template", "src/Api/Dockerfile"),
        ] {
            assert!(
                check_rule_in_solution("RunsAsRoot", fixture, dockerfile).is_empty(),
                "{fixture}"
            );
        }
        let good = include_str!("../../../../tests/data/good.Dockerfile");
        assert!(check_rule("RunsAsRoot", good).is_empty());
    }
}
