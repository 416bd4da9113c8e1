use super::common::{expanded_words, word_sub_range, EXPANDED_KEYWORDS};
use crate::declare_rule;
use crate::model::var_refs;
use crate::rules::{Diagnostics, InstructionRule, Interest, RuleContext, SourceMarks};
use crate::syntax::Instruction;

declare_rule! {
/// ## What it does
/// Checks `${...}` substitutions in the words BuildKit expands (ENV, LABEL, ARG, COPY, ADD,
/// VOLUME, EXPOSE, WORKDIR, USER, STOPSIGNAL, the FROM image): after the name only `}`,
/// `:-`, `-`, `:+`, `+`, `:?`, `?`, `#`, `##`, `%`, `%%`, `/` and `//` may follow, and the
/// `}` must be there.
///
/// ## Why is this bad?
/// BuildKit stops with "unsupported modifier (:) in substitution" (or a missing `}`). Bash
/// forms such as `${VAR:0:3}` or `${VAR^^}` do not exist in Dockerfiles.
///
/// ## Example
/// ```dockerfile
/// ENV SHORT_SHA=${GIT_SHA:0:7}
/// WORKDIR /src/${PROJECT
/// ```
///
/// ## Use instead
/// ```dockerfile
/// ENV GIT_SHA=${GIT_SHA:-unknown}
/// WORKDIR /src/${PROJECT}
/// ```
///
/// ## Fix safety
/// No automatic fix.
    InvalidVariableSubstitution {
        severity: Error,
        origin: Validation,
        summary: "A `${...}` substitution Docker does not support.",
        per_instruction: true,
    }
}

const MODIFIERS: &[&str] = &[":-", ":+", ":?", "-", "+", "?", "#", "%", "/"];

/// Whether every `${` of `text` opens a plain `${NAME}` (a name as the lexer reads one, then
/// `}`): no substitution has a modifier or misses its `}`, and the references need not be
/// listed (listing them copies every name). True when there is no `${` at all.
fn only_plain_substitutions(text: &str) -> bool {
    let bytes = text.as_bytes();
    memchr::memchr_iter(b'$', bytes).all(|at| {
        let Some(rest) = bytes.get(at + 1..) else {
            return true;
        };
        let Some((b'{', name)) = rest.split_first() else {
            return true;
        };
        let len = name
            .iter()
            .enumerate()
            .take_while(|&(i, &c)| {
                c == b'_' || c.is_ascii_alphabetic() || (i > 0 && c.is_ascii_digit())
            })
            .count();
        len > 0 && name.get(len) == Some(&b'}')
    })
}

impl InstructionRule for InvalidVariableSubstitution {
    fn interest(&self) -> Interest {
        Interest::with_triggers(EXPANDED_KEYWORDS).marked(SourceMarks::DOLLAR)
    }

    fn check_instruction(
        &self,
        ctx: &RuleContext,
        _: usize,
        inst: &Instruction,
        out: &mut Diagnostics,
    ) {
        let escape = ctx.tree.escape;
        // A substitution needs a `$`.
        for (word, _) in expanded_words(inst) {
            let text = word.text.as_str();
            // Only `${...}` substitutions have modifiers (or miss their `}`).
            if only_plain_substitutions(text) {
                continue;
            }
            for r in var_refs(text, escape) {
                if text.as_bytes().get(r.start + 1) != Some(&b'{') {
                    continue;
                }
                let body = &text[r.name_end..r.end];
                let Some(modifier) = body.strip_suffix('}') else {
                    out.report(
                        &Self::META,
                        word_sub_range(ctx.text, word, r.start, r.end),
                        format!("missing `}}` in substitution `{}`", &text[r.start..r.end]),
                    );
                    continue;
                };
                if modifier.is_empty() || MODIFIERS.iter().any(|m| modifier.starts_with(m)) {
                    continue;
                }
                let op_len = if modifier.starts_with(':') {
                    modifier.chars().take(2).map(char::len_utf8).sum()
                } else {
                    modifier.chars().next().map_or(0, char::len_utf8)
                };
                let op = &modifier[..op_len];
                out.report(
                    &Self::META,
                    word_sub_range(ctx.text, word, r.name_end, r.name_end + op_len),
                    format!(
                        "unsupported modifier ({op}) in substitution `{}`: use ${{VAR:-default}}, ${{VAR:+alt}}, ${{VAR:?msg}}, #, %, or /",
                        &text[r.start..r.end]
                    ),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::check_rule;

    /// Whether the full check finds a substitution to report in `text`.
    fn has_problem(text: &str, escape: char) -> bool {
        crate::model::var_refs(text, escape).iter().any(|r| {
            text.as_bytes().get(r.start + 1) == Some(&b'{')
                && match text[r.name_end..r.end].strip_suffix('}') {
                    None => true,
                    Some(modifier) => {
                        !modifier.is_empty()
                            && !super::MODIFIERS.iter().any(|m| modifier.starts_with(m))
                    }
                }
        })
    }

    #[test]
    fn plain_substitutions_have_nothing_to_report() {
        // Every text of up to 6 characters over the characters that matter.
        let alphabet = ['$', '{', '}', 'a', '1', '_', ':', '\'', '\\', '\u{e9}'];
        let mut texts = vec![String::new()];
        let mut plain = 0;
        for _ in 0..6 {
            let mut longer = Vec::with_capacity(texts.len() * alphabet.len());
            for text in &texts {
                for c in alphabet {
                    let mut t = text.clone();
                    t.push(c);
                    longer.push(t);
                }
            }
            for text in &longer {
                if super::only_plain_substitutions(text) {
                    plain += 1;
                    for escape in ['\\', '`'] {
                        assert!(!has_problem(text, escape), "{text:?}");
                    }
                }
            }
            texts = longer;
        }
        assert!(plain > 1000);
        assert!(super::only_plain_substitutions("FROM ${A_1}:${b}"));
        assert!(!super::only_plain_substitutions("${A:-x}"));
        assert!(!super::only_plain_substitutions("${A"));
        assert!(!super::only_plain_substitutions("${1A}"));
    }

    #[test]
    fn reports_bash_only_forms() {
        let text =
            "FROM alpine\nENV SHORT=${GIT_SHA:0:7}\nWORKDIR /src/${PROJECT\nLABEL v=${V^^}\n";
        assert_eq!(
            check_rule("InvalidVariableSubstitution", text),
            [
                "2:20-2:22 unsupported modifier (:0) in substitution `${GIT_SHA:0:7}`: use ${VAR:-default}, ${VAR:+alt}, ${VAR:?msg}, #, %, or /",
                "3:14-3:23 missing `}` in substitution `${PROJECT`",
                "4:12-4:13 unsupported modifier (^) in substitution `${V^^}`: use ${VAR:-default}, ${VAR:+alt}, ${VAR:?msg}, #, %, or /",
            ]
        );
    }

    #[test]
    fn silent_on_supported_forms() {
        let text = "ARG V=10.0\nFROM mcr.microsoft.com/dotnet/sdk:${V:-10.0}\n\
                    ENV A=${V} B=${V:+x} C=${V?required} D=${V#1} E=${V%%.*} F=${V//./-} G='${literal:0}'\n\
                    RUN echo ${BASH:0:3}\n";
        assert!(check_rule("InvalidVariableSubstitution", text).is_empty());
    }
}
