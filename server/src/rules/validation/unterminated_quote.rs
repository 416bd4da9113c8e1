use super::common::{expanded_words, word_sub_range, EXPANDED_KEYWORDS};
use crate::declare_rule;
use crate::rules::{Diagnostics, InstructionRule, Interest, RuleContext, SourceMarks};
use crate::syntax::Instruction;

declare_rule! {
/// ## What it does
/// Finds an opening `"` or `'` without its closing quote in the words BuildKit processes
/// itself: ENV, LABEL and ARG values, COPY/ADD/VOLUME/EXPOSE arguments, WORKDIR, USER,
/// STOPSIGNAL and the FROM image.
///
/// ## Why is this bad?
/// BuildKit stops with "unexpected end of statement while looking for matching
/// double-quote". (RUN and CMD are left alone: their shell reads the quotes.)
///
/// ## Example
/// ```dockerfile
/// ENV ASPNETCORE_URLS="http://+:8080
/// ```
///
/// ## Use instead
/// ```dockerfile
/// ENV ASPNETCORE_URLS="http://+:8080"
/// ```
///
/// ## Fix safety
/// No automatic fix.
    UnterminatedQuote {
        severity: Error,
        origin: Validation,
        summary: "A quote that is never closed in a word BuildKit processes.",
        per_instruction: true,
    }
}

impl InstructionRule for UnterminatedQuote {
    fn interest(&self) -> Interest {
        Interest::with_triggers(EXPANDED_KEYWORDS).marked(SourceMarks::QUOTE)
    }

    fn check_instruction(
        &self,
        ctx: &RuleContext,
        _: usize,
        inst: &Instruction,
        out: &mut Diagnostics,
    ) {
        let escape = ctx.tree.escape;
        // An open quote needs a quote.
        for (word, raw) in expanded_words(inst) {
            // Only a quote can be left open.
            if !raw || !word.text.contains(['"', '\'']) {
                continue;
            }
            if let Some((at, quote)) = open_quote(&word.text, escape) {
                let kind = if quote == '"' { "double" } else { "single" };
                out.report(
                    &Self::META,
                    word_sub_range(ctx.text, word, at, word.text.len()),
                    format!(
                        "failed to process \"{}\": unexpected end of statement while looking for matching {kind}-quote",
                        word.text
                    ),
                );
            }
        }
    }
}

/// The offset and kind of a quote left open, following BuildKit's shell lexer: the escape
/// character escapes outside quotes and inside double quotes, not inside single quotes.
fn open_quote(text: &str, escape: char) -> Option<(usize, char)> {
    let mut chars = text.char_indices();
    while let Some((i, c)) = chars.next() {
        if c == escape {
            chars.next();
            continue;
        }
        if c != '"' && c != '\'' {
            continue;
        }
        let mut closed = false;
        while let Some((_, inner)) = chars.next() {
            if c == '"' && inner == escape {
                chars.next();
                continue;
            }
            if inner == c {
                closed = true;
                break;
            }
        }
        if !closed {
            return Some((i, c));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::check_rule;

    #[test]
    fn reports_open_quotes() {
        let text = "FROM alpine\nENV URLS=\"http://+:8080\nLABEL a='b\nWORKDIR /app/\"x\n";
        assert_eq!(
            check_rule("UnterminatedQuote", text),
            [
                "2:10-2:24 failed to process \"\"http://+:8080\": unexpected end of statement while looking for matching double-quote",
                "3:9-3:11 failed to process \"'b\": unexpected end of statement while looking for matching single-quote",
                "4:14-4:16 failed to process \"/app/\"x\": unexpected end of statement while looking for matching double-quote",
            ]
        );
    }

    #[test]
    fn silent_on_balanced_quotes() {
        let text = "FROM alpine\nENV A=\"x \\\" y\" B='it''s' C=\"a\\\\\"\nRUN echo \"unbalanced\nCOPY [\"a\", \"b\"] /c/\nUSER \"app\"\n";
        assert!(check_rule("UnterminatedQuote", text).is_empty());
    }
}
