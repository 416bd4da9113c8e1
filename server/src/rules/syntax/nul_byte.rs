use crate::declare_rule;
use crate::rules::{Diagnostics, RuleContext};
use crate::syntax::SyntaxErrorKind;

declare_rule! {
/// ## What it does
/// Checks that the Dockerfile is text.
///
/// ## Why is this bad?
/// A NUL byte usually means the file was saved in UTF-16 or is binary; BuildKit reads it as garbage instructions.
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
    NulByte {
        severity: Error,
        origin: Syntax,
        summary: "The file contains a NUL byte.",
    }
}

impl NulByte {
    fn run(ctx: &RuleContext, out: &mut Diagnostics) {
        super::report_syntax_errors(ctx, out, SyntaxErrorKind::NulByte, &Self::META);
    }
}
