use crate::declare_rule;
use crate::rules::{Diagnostics, RuleContext};
use crate::syntax::SyntaxErrorKind;

declare_rule! {
/// ## What it does
/// Checks that no physical line is longer than 65,535 bytes.
///
/// ## Why is this bad?
/// BuildKit's line scanner stops with "dockerfile line greater than max allowed size of 65535". Split long commands with line continuations or move them to a script.
///
/// ## Example
/// ```dockerfile
/// RUN echo <65,536 characters...>
/// ```
///
/// ## Use instead
/// ```dockerfile
/// RUN echo part-one \
///     part-two
/// ```
///
/// ## Fix safety
/// No automatic fix.
    LineTooLong {
        severity: Error,
        origin: Syntax,
        summary: "A line is longer than BuildKit's parser accepts (64 KiB).",
    }
}

impl LineTooLong {
    fn run(ctx: &RuleContext, out: &mut Diagnostics) {
        super::report_syntax_errors(ctx, out, SyntaxErrorKind::LineTooLong, &Self::META);
    }
}
