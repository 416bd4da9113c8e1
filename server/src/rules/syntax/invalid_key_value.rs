use crate::declare_rule;
use crate::rules::{Diagnostics, RuleContext};
use crate::syntax::SyntaxErrorKind;

declare_rule! {
/// ## What it does
/// Checks that ENV and LABEL arguments are `key=value` pairs (or the legacy `ENV key value`).
///
/// ## Why is this bad?
/// BuildKit rejects the whole Dockerfile: `ENV X` fails with "ENV must have two arguments" and `ENV a=1 b` with "can't find = in \"b\"".
///
/// ## Example
/// ```dockerfile
/// ENV ASPNETCORE_URLS
/// ```
///
/// ## Use instead
/// ```dockerfile
/// ENV ASPNETCORE_HTTP_PORTS=8080
/// ```
///
/// ## Fix safety
/// No automatic fix.
    InvalidKeyValue {
        severity: Error,
        origin: Syntax,
        summary: "An ENV or LABEL pair is missing its `=` or value.",
    }
}

impl InvalidKeyValue {
    fn run(ctx: &RuleContext, out: &mut Diagnostics) {
        super::report_syntax_errors(ctx, out, SyntaxErrorKind::InvalidKeyValue, &Self::META);
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::check_rule;

    #[test]
    fn reports_missing_values() {
        assert_eq!(
            check_rule("InvalidKeyValue", "FROM a\nENV X\nLABEL a=1 b\n"),
            [
                "2:5-2:6 ENV must have two arguments",
                "3:11-3:12 Syntax error - can't find = in \"b\". Must be of the form: name=value"
            ]
        );
        assert!(check_rule(
            "InvalidKeyValue",
            "FROM a\nENV X=1 Y=\"a b\"\nENV Z legacy value\n"
        )
        .is_empty());
    }
}
