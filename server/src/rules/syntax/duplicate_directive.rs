use crate::declare_rule;
use crate::rules::{Diagnostics, RuleContext};
use crate::syntax::SyntaxErrorKind;

declare_rule! {
/// ## What it does
/// Checks that each parser directive (`syntax`, `escape`, `check`) is given at most once.
///
/// ## Why is this bad?
/// BuildKit rejects the file: "only one escape parser directive can be used".
///
/// ## Example
/// ```dockerfile
/// # syntax=docker/dockerfile:1
/// # syntax=docker/dockerfile:1.7
/// ```
///
/// ## Use instead
/// ```dockerfile
/// # syntax=docker/dockerfile:1.7
/// ```
///
/// ## Fix safety
/// No automatic fix.
    DuplicateDirective {
        severity: Error,
        origin: Syntax,
        summary: "A parser directive appears twice.",
    }
}

impl DuplicateDirective {
    fn run(ctx: &RuleContext, out: &mut Diagnostics) {
        super::report_syntax_errors(ctx, out, SyntaxErrorKind::DuplicateDirective, &Self::META);
    }
}
