use crate::declare_rule;
use crate::rules::{Diagnostics, RuleContext};
use crate::syntax::SyntaxErrorKind;

declare_rule! {
/// ## What it does
/// Checks the value of the `# escape=` parser directive.
///
/// ## Why is this bad?
/// BuildKit accepts only a backslash or a backtick as the escape character and rejects the file otherwise.
///
/// ## Example
/// ```dockerfile
/// # escape=^
/// FROM mcr.microsoft.com/windows/nanoserver:ltsc2022
/// ```
///
/// ## Use instead
/// ```dockerfile
/// # escape=`
/// FROM mcr.microsoft.com/windows/nanoserver:ltsc2022
/// ```
///
/// ## Fix safety
/// No automatic fix.
    InvalidEscapeDirective {
        severity: Error,
        origin: Syntax,
        summary: "The `# escape=` parser directive names something other than `\\` or `` ` ``.",
    }
}

impl InvalidEscapeDirective {
    fn run(ctx: &RuleContext, out: &mut Diagnostics) {
        super::report_syntax_errors(
            ctx,
            out,
            SyntaxErrorKind::InvalidEscapeDirective,
            &Self::META,
        );
    }
}
