use super::packages::{apt, apt_get};
use super::runs::{image_stages, path_covers, runs_using};
use crate::declare_rule;
use crate::rules::{Diagnostics, RuleContext};

declare_rule! {
/// ## What it does
/// Checks that a RUN instruction that runs `apt-get update` also deletes the package lists
/// (`rm -rf /var/lib/apt/lists/*`), in stages that end up in an image. A cache mount over
/// `/var/lib/apt/lists` (or a parent) is accepted too.
///
/// ## Why is this bad?
/// `apt-get update` downloads tens of megabytes of package lists into `/var/lib/apt/lists`.
/// Unless the same RUN deletes them they stay in the layer, in every image built from it,
/// and deleting them in a later RUN does not make the image smaller. Stages only used through
/// `COPY --from` are not checked: their layers are not shipped.
///
/// ## Example
/// ```dockerfile
/// FROM mcr.microsoft.com/dotnet/aspnet:10.0
/// RUN apt-get update && apt-get install -y --no-install-recommends libgdiplus
/// ```
///
/// ## Use instead
/// ```dockerfile
/// FROM mcr.microsoft.com/dotnet/aspnet:10.0
/// RUN apt-get update \
///     && apt-get install -y --no-install-recommends libgdiplus \
///     && rm -rf /var/lib/apt/lists/*
/// ```
///
/// ## Fix safety
/// No automatic fix.
///
/// ## References
/// - [hadolint DL3009](https://github.com/hadolint/hadolint/wiki/DL3009)
    AptListsNotCleaned {
        severity: Info,
        origin: Hadolint,
        summary: "`apt-get update` leaves its package lists in the image.",
        hadolint: "DL3009",
    }
}

const LISTS: &str = "/var/lib/apt/lists";

impl AptListsNotCleaned {
    fn run(ctx: &RuleContext, out: &mut Diagnostics) {
        let in_image = image_stages(ctx.model);
        for run in runs_using(ctx, |name| matches!(name, "apt-get" | "apt")) {
            // ONBUILD runs in the images built from this one.
            let shipped = run.onbuild
                || run
                    .stage
                    .is_none_or(|s| in_image.get(s).copied().unwrap_or(true));
            if !shipped || run.mounts_cache_over(LISTS) {
                continue;
            }
            let cleaned = run.commands().any(|c| {
                c.is("rm")
                    && c.args().iter().any(|a| {
                        let path = a.text.trim_end_matches('*').trim_end_matches('/');
                        !path.is_empty() && path_covers(path, LISTS)
                    })
            });
            if cleaned {
                continue;
            }
            for update in run
                .commands()
                .filter_map(|c| apt_get(c).or_else(|| apt(c)))
                .filter(|p| p.verb.text == "update")
            {
                out.report(
                    &Self::META,
                    update.range(),
                    "Delete the apt-get lists after installing something.",
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::check_rule;

    #[test]
    fn reports_update_without_cleanup_in_shipped_stages() {
        assert_eq!(
            check_rule(
                "AptListsNotCleaned",
                "FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build\nRUN apt-get update && apt-get install -y clang\n\
                 FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS base\nRUN apt-get update && apt-get install -y curl\nRUN rm -rf /var/lib/apt/lists/*\n\
                 FROM base AS final\nCOPY --from=build /app .\nONBUILD RUN apt-get update\n"
            ),
            [
                "4:5-4:19 Delete the apt-get lists after installing something.",
                "8:13-8:27 Delete the apt-get lists after installing something.",
            ]
        );
    }

    #[test]
    fn silent_when_cleaned_or_cached() {
        assert!(check_rule(
            "AptListsNotCleaned",
            "FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends curl \\\n && rm -rf /var/lib/apt/lists/*\n\
             RUN --mount=type=cache,target=/var/lib/apt,sharing=locked apt-get update && apt-get install -y git\n\
             RUN <<EOF\napt-get update\napt-get install -y jq\nrm -rf /var/lib/apt/lists\nEOF\n"
        )
        .is_empty());
    }
}
