use crate::declare_rule;
use crate::rules::{Diagnostics, RuleContext};
use crate::syntax::SyntaxErrorKind;

declare_rule! {
/// ## What it does
/// Checks that every heredoc (`<<EOF`) in RUN, COPY or ADD is closed by a line that consists of its delimiter.
///
/// ## Why is this bad?
/// BuildKit refuses to build a Dockerfile with an unterminated heredoc ("unterminated heredoc"). Everything after the `<<EOF` line becomes the heredoc's body, so the instructions that follow silently disappear from the build.
///
/// ## Example
/// ```dockerfile
/// RUN <<EOF
/// apt-get update
/// apt-get install -y curl
/// ```
///
/// ## Use instead
/// ```dockerfile
/// RUN <<EOF
/// apt-get update
/// apt-get install -y curl
/// EOF
/// ```
///
/// ## Fix safety
/// No automatic fix.
    UnterminatedHeredoc {
        severity: Error,
        origin: Syntax,
        summary: "A heredoc has no terminator line before the end of the file.",
    }
}

impl UnterminatedHeredoc {
    fn run(ctx: &RuleContext, out: &mut Diagnostics) {
        super::report_syntax_errors(ctx, out, SyntaxErrorKind::UnterminatedHeredoc, &Self::META);
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::check_rule;

    #[test]
    fn reports_the_heredoc_token() {
        assert_eq!(
            check_rule("UnterminatedHeredoc", "FROM a\nRUN <<EOF\necho hi\n"),
            ["2:5-2:10 unterminated heredoc: no line `EOF` ends it before the end of the file"]
        );
    }

    #[test]
    fn silent_when_terminated() {
        assert!(check_rule("UnterminatedHeredoc", "FROM a\nRUN <<EOF\necho hi\nEOF\n").is_empty());
    }
}
