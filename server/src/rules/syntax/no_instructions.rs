use crate::declare_rule;
use crate::rules::{Diagnostics, RuleContext};
use crate::syntax::SyntaxErrorKind;

declare_rule! {
/// ## What it does
/// Checks that a Dockerfile contains at least one instruction.
///
/// ## Why is this bad?
/// BuildKit refuses a file made only of comments and blank lines ("file with no instructions").
///
/// ## Example
/// ```dockerfile
/// # TODO: write the Dockerfile
/// ```
///
/// ## Use instead
/// ```dockerfile
/// FROM mcr.microsoft.com/dotnet/aspnet:10.0
/// ```
///
/// ## Fix safety
/// No automatic fix.
    NoInstructions {
        severity: Error,
        origin: Syntax,
        summary: "The file has no instruction.",
    }
}

impl NoInstructions {
    fn run(ctx: &RuleContext, out: &mut Diagnostics) {
        super::report_syntax_errors(ctx, out, SyntaxErrorKind::NoInstructions, &Self::META);
    }
}
