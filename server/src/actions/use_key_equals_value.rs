use super::{ActionContext, CodeAction};
use crate::declare_action;
use crate::ide::TextEdit;
use crate::syntax::Args;

declare_action! {
/// Rewrites a legacy `ENV key value` or `LABEL key value` as `key=value`, quoting the value
/// when it has spaces: the quick fix of `LegacyKeyValueFormat`.
///
/// Not offered when the value spans several lines, or mixes quotes, backslashes or
/// variables with spaces in a way that quoting could change.
///
/// ## Before
/// ```dockerfile
/// FROM mcr.microsoft.com/dotnet/aspnet:10.0
/// ENV $0ASPNETCORE_ENVIRONMENT Production
/// ```
///
/// ## After
/// ```dockerfile
/// FROM mcr.microsoft.com/dotnet/aspnet:10.0
/// ENV ASPNETCORE_ENVIRONMENT=Production
/// ```
///
/// ## Fix safety
/// Safe: the variable or label gets the same value.
    UseKeyEqualsValue { expensive: false }
}

impl UseKeyEqualsValue {
    fn run(ctx: &ActionContext, out: &mut Vec<CodeAction>) {
        let text = ctx.text();
        for diagnostic in ctx.diagnostics("LegacyKeyValueFormat") {
            let Some((_, inst)) = ctx.instruction_containing(diagnostic.range.start()) else {
                continue;
            };
            let Args::KeyValues { pairs, .. } = &inst.args else {
                continue;
            };
            let Some(pair) = pairs.iter().find(|p| p.range == diagnostic.range) else {
                continue;
            };
            let Some(value) = &pair.value else { continue };
            let (Some(key), Some(raw)) = (
                text.get(pair.key.range.as_range()),
                text.get(value.range.as_range()),
            ) else {
                continue;
            };
            let Some(value) = equals_value(raw.trim_end()) else {
                continue;
            };
            let fixed = format!("{key}={value}");
            out.push(
                CodeAction::quick_fix(
                    &Self::META,
                    diagnostic,
                    format!("Use `{fixed}`"),
                    vec![TextEdit::replace(pair.range, fixed)],
                )
                .preferred(),
            );
        }
    }
}

/// The value as written after `=`, meaning what `raw` meant after the legacy separator.
fn equals_value(raw: &str) -> Option<String> {
    if raw.is_empty() || raw.contains(['\n', '\r']) {
        return None;
    }
    if !raw.contains([' ', '\t']) {
        return Some(raw.to_string());
    }
    // Spaces inside: a value that is one quoted string keeps its quotes; plain words get
    // double quotes (variables still expand inside them).
    let quoted_whole = |q: char| {
        raw.len() >= 2
            && raw.starts_with(q)
            && raw.ends_with(q)
            && !raw[1..raw.len() - 1].contains([q, '\\'])
    };
    if quoted_whole('"') || quoted_whole('\'') {
        return Some(raw.to_string());
    }
    if raw.contains(['"', '\'', '\\']) {
        return None;
    }
    Some(format!("\"{raw}\""))
}

#[cfg(test)]
mod tests {
    use crate::actions::test_support::{check_action, check_not_applicable};

    const NAME: &str = "UseKeyEqualsValue";

    #[test]
    fn env_key_value() {
        let action = check_action(
            NAME,
            "FROM mcr.microsoft.com/dotnet/aspnet:10.0\nENV $0ASPNETCORE_ENVIRONMENT Production\n",
            "FROM mcr.microsoft.com/dotnet/aspnet:10.0\nENV ASPNETCORE_ENVIRONMENT=Production\n",
        );
        assert_eq!(action.title, "Use `ASPNETCORE_ENVIRONMENT=Production`");
    }

    #[test]
    fn value_with_spaces_is_quoted() {
        check_action(
            NAME,
            "FROM alpine:3.20\nLABEL$0 description Orders API for $REGION\n",
            "FROM alpine:3.20\nLABEL description=\"Orders API for $REGION\"\n",
        );
        check_action(
            NAME,
            "FROM alpine:3.20\nENV $0GREETING \"hello world\"\n",
            "FROM alpine:3.20\nENV GREETING=\"hello world\"\n",
        );
    }

    #[test]
    fn not_offered_for_mixed_quotes_or_key_value_form() {
        check_not_applicable(NAME, "FROM alpine:3.20\nENV $0A \"x\" y\n");
        check_not_applicable(NAME, "FROM alpine:3.20\nENV $0A=b\n");
    }
}
