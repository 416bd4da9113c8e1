use crate::declare_rule;
use crate::rules::{Diagnostics, RuleContext};
use crate::syntax::SyntaxErrorKind;

declare_rule! {
/// ## What it does
/// Checks that the Dockerfile is UTF-8 text.
///
/// ## Why is this bad?
/// BuildKit reads Dockerfiles as UTF-8. A file saved in another encoding (Windows-1252, UTF-16) has its non-ASCII characters mangled in labels, paths and commands.
///
/// ## Example
/// ```dockerfile
/// F\0R\0O\0M\0 ...  (a UTF-16 file)
/// ```
///
/// ## Use instead
/// ```dockerfile
/// FROM mcr.microsoft.com/dotnet/aspnet:10.0  (saved as UTF-8)
/// ```
///
/// ## Fix safety
/// No automatic fix.
    InvalidUtf8 {
        severity: Error,
        origin: Syntax,
        summary: "The file is not valid UTF-8.",
    }
}

impl InvalidUtf8 {
    fn run(ctx: &RuleContext, out: &mut Diagnostics) {
        super::report_syntax_errors(ctx, out, SyntaxErrorKind::InvalidUtf8, &Self::META);
    }
}
