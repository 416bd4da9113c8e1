use super::runs::{ancestry, target_stages};
use crate::declare_rule;
use crate::rules::{Diagnostics, RuleContext};
use crate::syntax::{Args, Keyword};

declare_rule! {
/// ## What it does
/// Checks that the last `USER` in effect for an image is not `root` (or UID `0`). The image
/// is the final stage or any stage nothing else refers to, together with the stages it is
/// built `FROM`; build stages only used through `COPY --from` may switch to root freely.
///
/// ## Why is this bad?
/// A container that runs as root turns any flaw in the application into root access to the
/// container, and makes escaping to the host easier. The .NET images since .NET 8 have a
/// non-root `app` user (`$APP_UID`) for this purpose.
///
/// ## Example
/// ```dockerfile
/// FROM mcr.microsoft.com/dotnet/aspnet:10.0
/// USER root
/// RUN apt-get update && apt-get install -y --no-install-recommends libgdiplus
/// ```
///
/// ## Use instead
/// ```dockerfile
/// FROM mcr.microsoft.com/dotnet/aspnet:10.0
/// USER root
/// RUN apt-get update && apt-get install -y --no-install-recommends libgdiplus
/// USER $APP_UID
/// ```
///
/// ## Fix safety
/// No automatic fix.
///
/// ## References
/// - [hadolint DL3002](https://github.com/hadolint/hadolint/wiki/DL3002)
    LastUserRoot {
        severity: Warning,
        origin: Hadolint,
        summary: "The last USER of an image is root.",
        hadolint: "DL3002",
    }
}

fn is_root(user: &str) -> bool {
    let name = user.split(':').next().unwrap_or(user);
    name == "root" || name == "0"
}

impl LastUserRoot {
    fn run(ctx: &RuleContext, out: &mut Diagnostics) {
        let mut reported = Vec::new();
        for target in target_stages(ctx.model) {
            let last_user = ancestry(ctx.model, target).into_iter().find_map(|stage| {
                let range = ctx.model.stages.get(stage)?.instructions.clone();
                range.rev().find_map(|idx| {
                    // Only USER instructions are read.
                    if ctx.keywords().get(idx) != Some(&Keyword::User) {
                        return None;
                    }
                    let inst = ctx.tree.instructions.get(idx)?;
                    match (&inst.keyword, &inst.args) {
                        (Keyword::User, Args::String(word)) => Some((idx, stage, word)),
                        _ => None,
                    }
                })
            });
            let Some((idx, stage, word)) = last_user else {
                continue;
            };
            let user = if word.text.contains('$') {
                let expanded = ctx.model.expand_at(stage, idx, &word.text);
                if !expanded.is_complete() {
                    continue;
                }
                expanded.text
            } else {
                word.text.as_str().to_owned()
            };
            if is_root(user.trim_matches(['"', '\''])) && !reported.contains(&idx) {
                reported.push(idx);
                out.report(&Self::META, word.range, "Last USER should not be root.");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::check_rule;

    #[test]
    fn reports_root_as_last_user_of_an_image() {
        assert_eq!(
            check_rule(
                "LastUserRoot",
                "FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS base\nUSER app\nUSER root\n\
                 FROM base AS final\nRUN id\n"
            ),
            ["3:6-3:10 Last USER should not be root."]
        );
        assert_eq!(
            check_rule("LastUserRoot", "FROM debian:12\nARG U=0\nUSER ${U}:0\n"),
            ["3:6-3:12 Last USER should not be root."]
        );
    }

    #[test]
    fn silent_for_build_stages_and_non_root_users() {
        assert!(check_rule(
            "LastUserRoot",
            "FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build\nUSER root\nRUN dotnet publish -o /out\n\
             FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS final\nUSER root\nRUN apt-get update\nUSER $APP_UID\nCOPY --from=build /out /app\n"
        )
        .is_empty());
    }
}
