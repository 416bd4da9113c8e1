use super::support::{description_comment, from_words};
use crate::declare_rule;
use crate::rules::{Diagnostics, InstructionRule, Interest, RuleContext};
use crate::syntax::{Args, Instruction, KeyValue, Keyword, Word};
use crate::text::TextRange;

declare_rule! {
/// ## What it does
/// Checks that a comment directly above a named `FROM` or an `ARG` starts with the stage or
/// argument name: `# <name> <description>`. Experimental in BuildKit, so off by default:
/// enable it with `# check=experimental=InvalidDefinitionDescription` or in
/// `dockside.toml`.
///
/// ## Why is this bad?
/// `docker buildx build --call=outline` and `--call=targets` show such comments as the
/// descriptions of build arguments and targets. A comment that is not meant as a
/// description shows up there anyway; separate it with an empty line.
///
/// ## Example
/// ```dockerfile
/// # Restore and publish the API
/// FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
/// ```
///
/// ## Use instead
/// ```dockerfile
/// # build restores and publishes the API
/// FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
/// ```
///
/// ## Fix safety
/// No automatic fix yet. Inserting an empty line after the comment is safe.
///
/// ## References
/// - BuildKit's `linter/ruleset.go` (`RuleInvalidDefinitionDescription`)
/// - <https://docs.docker.com/reference/cli/docker/buildx/build/#descriptions>
    InvalidDefinitionDescription {
        severity: Warning,
        origin: BuildKit,
        summary: "Comment for build stage or argument should follow the format: `# <arg/stage name> <description>`.",
        default_enabled: false,
        per_instruction: true,
    }
}

impl InstructionRule for InvalidDefinitionDescription {
    fn interest(&self) -> Interest {
        Interest::own(&[Keyword::From, Keyword::Arg])
    }

    fn check_instruction(
        &self,
        ctx: &RuleContext,
        idx: usize,
        inst: &Instruction,
        out: &mut Diagnostics,
    ) {
        // The names are only spelled out for an instruction with a comment above it.
        let (instruction, defined, range): (&str, Defined, TextRange) = match inst.keyword {
            Keyword::From => match from_words(inst) {
                [_, as_word, name] if as_word.text.eq_ignore_ascii_case("as") => {
                    ("FROM", Defined::Stage(name), name.range)
                }
                _ => return,
            },
            Keyword::Arg => match &inst.args {
                Args::KeyValues { pairs, .. } if !pairs.is_empty() => {
                    let range = match pairs.as_slice() {
                        [only] => only.key.range,
                        _ => inst.rest.range,
                    };
                    ("ARG", Defined::Args(pairs), range)
                }
                _ => return,
            },
            _ => return,
        };
        let Some(comment) = description_comment(ctx, idx) else {
            return;
        };
        let names: Vec<String> = match defined {
            Defined::Stage(name) => vec![name.text.as_str().to_lowercase()],
            Defined::Args(pairs) => pairs.iter().map(|p| p.key.text.to_string()).collect(),
        };
        let first_word = comment.split(' ').next().unwrap_or("");
        if names.iter().any(|n| n == first_word) {
            return;
        }
        let example = match names.as_slice() {
            [only] => only.as_str(),
            _ => "<arg_key>",
        };
        out.report(
            &Self::META,
            range,
            format!(
                "Comment for {instruction} should follow the format: `# {example} <description>`"
            ),
        );
    }
}

/// What an instruction defines: a stage (its name word) or build arguments.
enum Defined<'a> {
    Stage(&'a Word),
    Args(&'a [KeyValue]),
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::check_rule;

    const ENABLE: &str = "# check=experimental=InvalidDefinitionDescription\n";

    #[test]
    fn reports_comments_that_are_not_descriptions() {
        let text = format!(
            "{ENABLE}# bar this is the bar\nARG foo=bar\n# BasE this is the BasE image\nFROM scratch AS base\n# definitely a bad comment\nARG version=latest other=1\n"
        );
        assert_eq!(
            check_rule("InvalidDefinitionDescription", &text),
            [
                "3:5-3:8 Comment for ARG should follow the format: `# foo <description>`",
                "5:17-5:21 Comment for FROM should follow the format: `# base <description>`",
                "7:5-7:27 Comment for ARG should follow the format: `# <arg_key> <description>`",
            ]
        );
    }

    #[test]
    fn accepts_descriptions_and_separated_comments() {
        let text = format!(
            "{ENABLE}# VERSION the version to build\nARG VERSION=1\n# a note\n\nFROM scratch AS base\n# build compiles the app\nFROM base AS build\n#\nARG OTHER\n"
        );
        assert!(check_rule("InvalidDefinitionDescription", &text).is_empty());
    }

    #[test]
    fn is_off_unless_enabled() {
        // `check_rule` switches the rule on; the default configuration must not.
        let analysis = crate::analysis::analyze(
            "# not a description\nARG foo=bar\nFROM alpine\n",
            &crate::rules::test_support::test_env(),
        );
        assert!(!analysis
            .diagnostics
            .iter()
            .any(|d| d.code == "InvalidDefinitionDescription"));
    }
}
