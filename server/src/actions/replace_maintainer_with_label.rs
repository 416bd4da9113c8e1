use super::{ActionContext, CodeAction};
use crate::declare_action;
use crate::ide::TextEdit;
use crate::syntax::Args;

declare_action! {
/// Replaces the deprecated `MAINTAINER` with the OCI label
/// `org.opencontainers.image.authors`, keeping the text as the label's value: the quick fix
/// of `MaintainerDeprecated`.
///
/// Not offered for a `MAINTAINER` that spans several lines.
///
/// ## Before
/// ```dockerfile
/// FROM mcr.microsoft.com/dotnet/aspnet:10.0
/// $0MAINTAINER Jane Doe <jane@example.com>
/// ```
///
/// ## After
/// ```dockerfile
/// FROM mcr.microsoft.com/dotnet/aspnet:10.0
/// LABEL org.opencontainers.image.authors="Jane Doe <jane@example.com>"
/// ```
///
/// ## Fix safety
/// Safe: only the image metadata changes (the author moves from the deprecated `Author`
/// field to the label registries and tools read).
    ReplaceMaintainerWithLabel { expensive: false }
}

impl ReplaceMaintainerWithLabel {
    fn run(ctx: &ActionContext, out: &mut Vec<CodeAction>) {
        for diagnostic in ctx.diagnostics("MaintainerDeprecated") {
            let Some((_, inst)) = ctx.instruction_containing(diagnostic.range.start()) else {
                continue;
            };
            let Args::String(author) = &inst.args else {
                continue;
            };
            let Some(raw) = ctx.text().get(author.range.as_range()) else {
                continue;
            };
            let raw = raw.trim();
            if raw.is_empty() || raw.contains(['\n', '\r']) {
                continue;
            }
            let Some(keyword) = ctx.text().get(inst.keyword_range.as_range()) else {
                continue;
            };
            let label = if keyword == "maintainer" {
                "label"
            } else {
                "LABEL"
            };
            // MAINTAINER takes its text literally; in a LABEL value `"`, `\` and `$` are
            // special.
            let mut value = String::with_capacity(raw.len() + 2);
            for c in raw.chars() {
                if matches!(c, '"' | '\\' | '$') {
                    value.push('\\');
                }
                value.push(c);
            }
            let range = crate::text::TextRange::new(inst.keyword_range.start(), author.range.end());
            out.push(
                CodeAction::quick_fix(
                    &Self::META,
                    diagnostic,
                    "Replace MAINTAINER with LABEL org.opencontainers.image.authors",
                    vec![TextEdit::replace(
                        range,
                        format!("{label} org.opencontainers.image.authors=\"{value}\""),
                    )],
                )
                .preferred(),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::actions::test_support::{check_action, check_not_applicable};

    const NAME: &str = "ReplaceMaintainerWithLabel";

    #[test]
    fn maintainer_becomes_the_authors_label() {
        let action = check_action(
            NAME,
            "FROM mcr.microsoft.com/dotnet/aspnet:10.0\n$0MAINTAINER Jane Doe <jane@example.com>\nUSER $APP_UID\n",
            "FROM mcr.microsoft.com/dotnet/aspnet:10.0\nLABEL org.opencontainers.image.authors=\"Jane Doe <jane@example.com>\"\nUSER $APP_UID\n",
        );
        assert_eq!(
            action.title,
            "Replace MAINTAINER with LABEL org.opencontainers.image.authors"
        );
    }

    #[test]
    fn quotes_and_dollars_are_escaped() {
        check_action(
            NAME,
            "from alpine:3.20\nmaintainer$0 \"Ops\" $TEAM\n",
            "from alpine:3.20\nlabel org.opencontainers.image.authors=\"\\\"Ops\\\" \\$TEAM\"\n",
        );
    }

    #[test]
    fn not_offered_elsewhere() {
        check_not_applicable(
            NAME,
            "FROM alpine:3.20\n$0LABEL org.opencontainers.image.authors=\"x\"\n",
        );
    }
}
