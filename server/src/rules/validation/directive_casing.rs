use crate::declare_rule;
use crate::rules::{Diagnostics, RuleContext};

declare_rule! {
/// ## What it does
/// Checks that parser directive names are written in lower case (`# escape=`, not
/// `# ESCAPE=`).
///
/// ## Why is this bad?
/// BuildKit accepts any case, but the Dockerfile reference writes directives in lower case
/// and other tools (and readers) may not recognise `# SYNTAX=` as a directive.
///
/// ## Example
/// ```dockerfile
/// # Syntax=docker/dockerfile:1
/// ```
///
/// ## Use instead
/// ```dockerfile
/// # syntax=docker/dockerfile:1
/// ```
///
/// ## Fix safety
/// No automatic fix.
    DirectiveCasing {
        severity: Info,
        origin: Validation,
        summary: "A parser directive name that is not lower case.",
    }
}

impl DirectiveCasing {
    fn run(ctx: &RuleContext, out: &mut Diagnostics) {
        for directive in &ctx.tree.directives {
            let written = ctx.text.get(directive.name_range.as_range()).unwrap_or("");
            if written != directive.name {
                out.report(
                    &Self::META,
                    directive.name_range,
                    format!(
                        "Parser directives should be written in lowercase letters: `{}`",
                        directive.name
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
    fn reports_upper_case_names() {
        assert_eq!(
            check_rule(
                "DirectiveCasing",
                "# Syntax=docker/dockerfile:1\n#ESCAPE=`\nFROM alpine\n"
            ),
            [
                "1:3-1:9 Parser directives should be written in lowercase letters: `syntax`",
                "2:2-2:8 Parser directives should be written in lowercase letters: `escape`",
            ]
        );
    }

    #[test]
    fn silent_on_lower_case() {
        assert!(check_rule(
            "DirectiveCasing",
            "# syntax=docker/dockerfile:1\nFROM alpine\n"
        )
        .is_empty());
    }
}
