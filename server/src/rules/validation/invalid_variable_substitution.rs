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
            // Only `${...}` substitutions have modifiers.
            if !text.contains("${") {
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
