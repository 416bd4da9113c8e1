use crate::declare_rule;
use crate::rules::{Diagnostics, InstructionRule, Interest, RuleContext};
use crate::syntax::{Instruction, Keyword};

declare_rule! {
/// ## What it does
/// Checks for the `MAINTAINER` instruction.
///
/// ## Why is this bad?
/// `MAINTAINER` is deprecated. The OCI label `org.opencontainers.image.authors` records the
/// author in a way registries and tools understand.
///
/// ## Example
/// ```dockerfile
/// MAINTAINER Jane Doe <jane@example.com>
/// ```
///
/// ## Use instead
/// ```dockerfile
/// LABEL org.opencontainers.image.authors="jane@example.com"
/// ```
///
/// ## Fix safety
/// The quick fix (action `ReplaceMaintainerWithLabel`) writes the text as the
/// `org.opencontainers.image.authors` label. It is safe: only metadata changes (the image's
/// `Author` field becomes a label).
///
/// ## References
/// - BuildKit's `linter/ruleset.go` (`RuleMaintainerDeprecated`)
    MaintainerDeprecated {
        severity: Warning,
        origin: BuildKit,
        summary: "The MAINTAINER instruction is deprecated, use a label instead to define an image author.",
        hadolint: "DL4000",
        fixable: true,
        per_instruction: true,
    }
}

impl InstructionRule for MaintainerDeprecated {
    fn interest(&self) -> Interest {
        Interest::own(&[Keyword::Maintainer])
    }

    fn check_instruction(
        &self,
        _: &RuleContext,
        _: usize,
        inst: &Instruction,
        out: &mut Diagnostics,
    ) {
        out.report(
            &Self::META,
            inst.range,
            "Maintainer instruction is deprecated in favor of using label",
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::check_rule;

    #[test]
    fn reports_maintainer() {
        assert_eq!(
            check_rule(
                "MaintainerDeprecated",
                "FROM alpine\nmaintainer Jane Doe <jane@example.com>\n"
            ),
            ["2:1-2:39 Maintainer instruction is deprecated in favor of using label"]
        );
    }

    #[test]
    fn accepts_the_authors_label() {
        assert!(check_rule(
            "MaintainerDeprecated",
            "FROM alpine\nLABEL org.opencontainers.image.authors=\"jane@example.com\"\n"
        )
        .is_empty());
    }
}
