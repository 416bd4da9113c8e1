use crate::analysis::Severity;
use crate::declare_rule;
use crate::model::StageRefKind;
use crate::rules::suppression::did_you_mean;
use crate::rules::{Diagnostics, RuleContext};
use crate::syntax::Keyword;

declare_rule! {
/// ## What it does
/// Checks that `COPY --from=<name>` and `RUN --mount=from=<name>` name a stage of this
/// Dockerfile (or an image written as one: with a registry, a tag or a digest), and that a
/// stage index exists.
///
/// A bare word that is close to a stage name is an error with a suggestion: it is almost
/// certainly a typo. Another bare word is a warning: BuildKit would pull it as the image
/// `docker.io/library/<name>`, which is rarely what was meant.
///
/// ## Why is this bad?
/// BuildKit does not report a misspelt stage: it tries to pull an image with that name and
/// fails with "pull access denied", or silently copies from an unrelated public image.
///
/// ## Example
/// ```dockerfile
/// FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
/// RUN dotnet publish -c Release -o /app/publish
///
/// FROM mcr.microsoft.com/dotnet/aspnet:10.0
/// COPY --from=biuld /app/publish .
/// ```
///
/// ## Use instead
/// ```dockerfile
/// FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
/// RUN dotnet publish -c Release -o /app/publish
///
/// FROM mcr.microsoft.com/dotnet/aspnet:10.0
/// COPY --from=build /app/publish .
/// ```
///
/// ## Fix safety
/// The quick fix (action `FixStageReference`) replaces a misspelt name with the stage it is
/// close to; it is safe, since the build could not work with the misspelt name. A name
/// close to no stage has no fix.
///
/// ## References
/// hadolint's DL3022 asks for a previously defined stage; BuildKit accepts stages defined
/// later in the file, so Dockside does too.
    UndefinedStage {
        severity: Error,
        origin: Validation,
        summary: "`--from` names no stage of this Dockerfile.",
        hadolint: "DL3022",
        fixable: true,
    }
}

impl UndefinedStage {
    fn run(ctx: &RuleContext, out: &mut Diagnostics) {
        let stages = &ctx.model.stages;
        let names: Vec<&str> = stages
            .iter()
            .filter_map(|s| s.name.as_ref().map(|n| n.text.as_str()))
            .collect();
        for r in &ctx.model.stage_refs {
            if !matches!(r.kind, StageRefKind::CopyFrom | StageRefKind::MountFrom) {
                continue;
            }
            let is_add = ctx
                .tree
                .instructions
                .get(r.instruction)
                .is_some_and(|i| i.effective().keyword == Keyword::Add);
            let name = r.name.as_str();
            if r.target.is_some() || is_add || name.is_empty() || name.contains('$') {
                continue;
            }
            if let Ok(index) = name.parse::<usize>() {
                if index >= stages.len() {
                    out.report(
                        &Self::META,
                        r.range,
                        format!(
                            "invalid stage index {index}: the Dockerfile has {} stage{} (0 to {})",
                            stages.len(),
                            if stages.len() == 1 { "" } else { "s" },
                            stages.len().saturating_sub(1)
                        ),
                    );
                    if let Some(last) = out.items.last_mut() {
                        last.fixable = false;
                    }
                }
                continue;
            }
            // A stage defined later (or this one: StageSelfReference) is still a stage.
            if ctx.model.stage_by_name(name).is_some()
                || name.contains(['/', ':', '.', '@'])
                || !name.as_bytes()[0].is_ascii_alphanumeric()
            {
                continue;
            }
            match did_you_mean(name, names.iter().copied()) {
                Some(suggestion) => out.report(
                    &Self::META,
                    r.range,
                    format!("stage `{name}` is not defined (did you mean `{suggestion}`?)"),
                ),
                None => {
                    out.report_with(
                        &Self::META,
                        Severity::Warning,
                        r.range,
                        format!(
                            "`{name}` is not a stage of this Dockerfile, so BuildKit pulls the image docker.io/library/{}; write `{name}:<tag>` if an image is meant",
                            name.to_ascii_lowercase()
                        ),
                    );
                    // Only a misspelt stage has a fix (FixStageReference).
                    if let Some(last) = out.items.last_mut() {
                        last.fixable = false;
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::check_rule;

    #[test]
    fn reports_misspelt_and_unknown_stages() {
        let text = "FROM alpine AS build\n\
                    FROM alpine AS publish\n\
                    COPY --from=biuld /a /b\n\
                    COPY --from=7 /a /b\n\
                    RUN --mount=type=bind,from=pubilsh,target=/p true\n\
                    COPY --from=nginx /etc/nginx /etc/nginx\n";
        assert_eq!(
            check_rule("UndefinedStage", text),
            [
                "3:13-3:18 stage `biuld` is not defined (did you mean `build`?)",
                "4:13-4:14 invalid stage index 7: the Dockerfile has 2 stages (0 to 1)",
                "5:28-5:35 stage `pubilsh` is not defined (did you mean `publish`?)",
                "6:13-6:18 `nginx` is not a stage of this Dockerfile, so BuildKit pulls the image docker.io/library/nginx; write `nginx:<tag>` if an image is meant",
            ]
        );
    }

    #[test]
    fn silent_on_stages_indexes_and_images() {
        let text = "FROM alpine AS build\n\
                    COPY --from=Final /a /b\n\
                    FROM alpine AS final\n\
                    COPY --from=build /a /b\n\
                    COPY --from=0 /a /b\n\
                    COPY --from=nginx:1.27 /a /b\n\
                    COPY --from=mcr.microsoft.com/dotnet/sdk:10.0 /a /b\n\
                    COPY --from=$STAGE /a /b\n\
                    RUN --mount=type=cache,from=build,target=/x true\n";
        assert!(check_rule("UndefinedStage", text).is_empty());
    }
}
