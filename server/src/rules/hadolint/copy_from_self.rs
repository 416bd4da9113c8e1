use crate::declare_rule;
use crate::model::StageRefKind;
use crate::rules::{Diagnostics, RuleContext};

declare_rule! {
/// ## What it does
/// Checks that `COPY --from=` and `RUN --mount=from=` do not name the stage they are in
/// (by name or by index).
///
/// ## Why is this bad?
/// A stage cannot read its own files through `--from`: its filesystem is not finished yet.
/// The builder resolves the name to something else (an image of that name, or nothing) and
/// the build fails or copies the wrong files. Usually the name of an earlier stage was meant.
///
/// ## Example
/// ```dockerfile
/// FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
/// COPY --from=build /src/out /app
/// ```
///
/// ## Use instead
/// ```dockerfile
/// FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
/// RUN dotnet publish -o /app/publish
///
/// FROM mcr.microsoft.com/dotnet/aspnet:10.0
/// COPY --from=build /app/publish /app
/// ```
///
/// ## Fix safety
/// No automatic fix.
///
/// ## References
/// - [hadolint DL3023](https://github.com/hadolint/hadolint/wiki/DL3023)
    CopyFromSelf {
        severity: Error,
        origin: Hadolint,
        summary: "`COPY --from` names the stage it is in.",
        hadolint: "DL3023",
    }
}

impl CopyFromSelf {
    fn run(ctx: &RuleContext, out: &mut Diagnostics) {
        for reference in &ctx.model.stage_refs {
            let what = match reference.kind {
                StageRefKind::CopyFrom => "`COPY --from`",
                StageRefKind::MountFrom => "`RUN --mount=from`",
                StageRefKind::From => continue,
            };
            let Some(stage) = ctx.model.stages.get(reference.in_stage) else {
                continue;
            };
            let by_name = stage
                .normalized_name()
                .is_some_and(|name| name == reference.name.to_ascii_lowercase());
            let by_index = reference.name.parse::<usize>().ok() == Some(stage.index);
            if by_name || by_index {
                out.report(
                    &Self::META,
                    reference.range,
                    format!("{what} cannot reference its own `FROM` alias"),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::check_rule;

    #[test]
    fn reports_self_references() {
        assert_eq!(
            check_rule(
                "CopyFromSelf",
                "FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build\nCOPY --from=Build /a /b\nRUN --mount=type=bind,from=build,target=/x ls\nCOPY --from=0 /a /c\n"
            ),
            [
                "2:13-2:18 `COPY --from` cannot reference its own `FROM` alias",
                "3:28-3:33 `RUN --mount=from` cannot reference its own `FROM` alias",
                "4:13-4:14 `COPY --from` cannot reference its own `FROM` alias",
            ]
        );
    }

    #[test]
    fn silent_for_earlier_stages() {
        assert!(check_rule(
            "CopyFromSelf",
            "FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build\nRUN dotnet publish -o /out\nFROM mcr.microsoft.com/dotnet/aspnet:10.0 AS final\nCOPY --from=build /out /app\nCOPY --from=0 /out /app2\nCOPY --from=nginx:latest /etc/nginx /n\n"
        )
        .is_empty());
    }
}
