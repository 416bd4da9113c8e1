use super::{ActionContext, CodeAction};
use crate::declare_action;
use crate::ide::TextEdit;
use crate::rules::suppression::did_you_mean;

declare_action! {
/// Replaces a misspelt stage name in `COPY --from=` or `RUN --mount=from=` with the stage
/// it is closest to. The quick fix of `UndefinedStage` when the rule has a suggestion (the
/// same "did you mean" the diagnostic shows).
///
/// Not offered for a name that is close to no stage: that one may be an image.
///
/// ## Before
/// ```dockerfile
/// FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
/// RUN dotnet publish -c Release -o /app/publish
///
/// FROM mcr.microsoft.com/dotnet/aspnet:10.0
/// COPY --from=$0biuld /app/publish .
/// ```
///
/// ## After
/// ```dockerfile
/// FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
/// RUN dotnet publish -c Release -o /app/publish
///
/// FROM mcr.microsoft.com/dotnet/aspnet:10.0
/// COPY --from=build /app/publish .
/// ```
///
/// ## Fix safety
/// Safe: the build could not have worked with the misspelt name (BuildKit would try to
/// pull an image of that name).
    FixStageReference { expensive: false }
}

impl FixStageReference {
    fn run(ctx: &ActionContext, out: &mut Vec<CodeAction>) {
        let stage_names: Vec<&str> = ctx
            .analysis
            .model
            .stages
            .iter()
            .filter_map(|s| s.name.as_ref().map(|n| n.text.as_str()))
            .collect();
        for diagnostic in ctx.diagnostics("UndefinedStage") {
            let Some(written) = ctx.text().get(diagnostic.range.as_range()) else {
                continue;
            };
            let Some(suggestion) = did_you_mean(written, stage_names.iter().copied()) else {
                continue;
            };
            out.push(
                CodeAction::quick_fix(
                    &Self::META,
                    diagnostic,
                    format!("Change `{written}` to `{suggestion}`"),
                    vec![TextEdit::replace(diagnostic.range, suggestion)],
                )
                .preferred(),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::actions::test_support::{check_action, check_not_applicable};
    use crate::actions::Safety;

    const NAME: &str = "FixStageReference";

    #[test]
    fn copy_from_a_misspelt_stage() {
        let action = check_action(
            NAME,
            "FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build\nRUN dotnet publish -c Release -o /app/publish\n\nFROM mcr.microsoft.com/dotnet/aspnet:10.0\nCOPY --from=$0biuld /app/publish .\n",
            "FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build\nRUN dotnet publish -c Release -o /app/publish\n\nFROM mcr.microsoft.com/dotnet/aspnet:10.0\nCOPY --from=build /app/publish .\n",
        );
        assert_eq!(action.title, "Change `biuld` to `build`");
        assert!(action.preferred);
        assert_eq!(action.safety, Safety::Safe);
    }

    #[test]
    fn mount_from_a_misspelt_stage_with_the_cursor_on_the_line() {
        check_action(
            NAME,
            "FROM alpine:3.20 AS publish\nFROM alpine:3.20\nRUN$0 --mount=type=bind,from=pubilsh,target=/p cp -r /p /app\n",
            "FROM alpine:3.20 AS publish\nFROM alpine:3.20\nRUN --mount=type=bind,from=publish,target=/p cp -r /p /app\n",
        );
    }

    #[test]
    fn not_offered_for_images_stages_or_distant_names() {
        check_not_applicable(
            NAME,
            "FROM alpine:3.20 AS build\nFROM alpine:3.20\nCOPY --from=$0nginx /etc/nginx /etc/nginx\n",
        );
        check_not_applicable(
            NAME,
            "FROM alpine:3.20 AS build\nFROM alpine:3.20\nCOPY --from=$0build /a /b\n",
        );
        check_not_applicable(
            NAME,
            "FROM alpine:3.20 AS build\nFROM alpine:3.20\nCOPY --from=$07 /a /b\n",
        );
    }
}
