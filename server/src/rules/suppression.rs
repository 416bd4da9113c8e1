//! In-file suppression: `# dockside ignore=Name[,Name]` (next instruction),
//! `# dockside ignore-file=Name`, hadolint's `# hadolint ignore=DL3020` and
//! `# hadolint global ignore=...`, and BuildKit's `# check=skip=...;error=true;experimental=...`.

use std::collections::HashSet;

use super::{all_rules, Origin, RuleContext, RuleMeta};
use crate::analysis::{Diagnostic, Severity};
use crate::text::TextRange;

/// The build argument that configures BuildKit's checks like `# check=` does.
pub const CHECK_BUILD_ARG: &str = "BUILDKIT_DOCKERFILE_CHECK";

/// Reported for a suppression comment that names no known rule.
pub const UNKNOWN_RULE_CODE: &str = "UnknownRuleInSuppression";

crate::declare_rule! {
    /// ## What it does
    /// Checks that `# dockside ignore=`, `# dockside ignore-file=` and `# hadolint ignore=`
    /// comments name rules that exist.
    ///
    /// ## Why is this bad?
    /// A misspelled rule name suppresses nothing, so the warning the comment was meant to
    /// silence keeps coming back, and the comment suggests a decision that has no effect.
    ///
    /// ## Example
    /// ```dockerfile
    /// # dockside ignore=RunAsRoot
    /// FROM mcr.microsoft.com/dotnet/aspnet:10.0
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// # dockside ignore=RunsAsRoot
    /// FROM mcr.microsoft.com/dotnet/aspnet:10.0
    /// ```
    ///
    /// ## Fix safety
    /// No automatic fix; the message suggests the closest rule name.
    UnknownRuleInSuppression {
        severity: Warning,
        origin: Validation,
        summary: "A suppression comment names a rule that does not exist.",
    }
}

impl UnknownRuleInSuppression {
    /// The findings come from [`Suppressions::collect`], which reads the comments once.
    fn run(_ctx: &RuleContext, _out: &mut super::Diagnostics) {}
}

#[derive(Default)]
pub struct Suppressions {
    /// Rule names (lower case) suppressed for the whole file.
    file: HashSet<String>,
    /// (first byte of the instruction, rule names in lower case).
    next_instruction: Vec<(usize, HashSet<String>)>,
    /// From `# check=`: BuildKit checks to skip, `all` included.
    skip_checks: HashSet<String>,
    checks_are_errors: bool,
    experimental: HashSet<String>,
    /// Diagnostics about the suppressions themselves (unknown rule names).
    pub problems: Vec<Diagnostic>,
}

impl Suppressions {
    pub fn collect(ctx: &RuleContext) -> Suppressions {
        let mut s = Suppressions::default();
        // BuildKit reads the `BUILDKIT_DOCKERFILE_CHECK` build argument instead of the
        // directive when the build passes it.
        match ctx.env.config.build_args.get(CHECK_BUILD_ARG) {
            Some(value) => s.parse_check_directive(value, TextRange::empty(0)),
            None => {
                for directive in ctx.tree.directives.iter().filter(|d| d.name == "check") {
                    s.parse_check_directive(&directive.value, directive.value_range);
                }
            }
        }
        for &comment in &ctx.tree.comments {
            let text = &ctx.text[comment.as_range()];
            let body = text.trim_start_matches('#').trim();
            let (tool, rest) = match body.split_once(char::is_whitespace) {
                Some((tool, rest)) => (tool, rest.trim()),
                None => continue,
            };
            let rest_offset = comment.start() + (text.len() - rest.len());
            match tool {
                "dockside" => {
                    if let Some(names) = rest.strip_prefix("ignore-file=") {
                        let set = s.names(ctx, names, rest_offset + 12, false);
                        s.file.extend(set);
                    } else if let Some(names) = rest.strip_prefix("ignore=") {
                        let set = s.names(ctx, names, rest_offset + 7, false);
                        s.attach_to_next_instruction(ctx, comment, set);
                    }
                }
                "hadolint" => {
                    if let Some(names) = rest.strip_prefix("global ignore=") {
                        let set = s.names(ctx, names, rest_offset + 14, true);
                        s.file.extend(set);
                    } else if let Some(names) = rest.strip_prefix("ignore=") {
                        let set = s.names(ctx, names, rest_offset + 7, true);
                        s.attach_to_next_instruction(ctx, comment, set);
                    }
                }
                _ => {}
            }
        }
        s
    }

    fn parse_check_directive(&mut self, value: &str, _range: TextRange) {
        for part in value.split(';') {
            let Some((key, val)) = part.split_once('=') else {
                continue;
            };
            let names = val.split(',').map(|n| n.trim().to_ascii_lowercase());
            match key.trim() {
                "skip" => self.skip_checks.extend(names),
                "error" => self.checks_are_errors = val.trim().eq_ignore_ascii_case("true"),
                "experimental" => self.experimental.extend(names),
                _ => {}
            }
        }
    }

    /// Parses a comma-separated list of rule names (or DL codes), reporting unknown ones.
    fn names(
        &mut self,
        _ctx: &RuleContext,
        list: &str,
        list_offset: usize,
        hadolint: bool,
    ) -> HashSet<String> {
        let mut set = HashSet::new();
        let mut offset = 0;
        for raw in list.split(',') {
            let start = list_offset + offset + (raw.len() - raw.trim_start().len());
            offset += raw.len() + 1;
            let name = raw.trim();
            let name = name.split_whitespace().next().unwrap_or("");
            if name.is_empty() {
                continue;
            }
            let found = all_rules()
                .map(|r| r.meta())
                .find(|m| m.name.eq_ignore_ascii_case(name) || m.covers_hadolint_code(name));
            match found {
                Some(meta) => {
                    set.insert(meta.name.to_ascii_lowercase());
                }
                // hadolint has rules Dockside does not implement (shellcheck's SC codes too):
                // naming them in a hadolint comment is not a mistake.
                None if hadolint && (name.starts_with("DL") || name.starts_with("SC")) => {}
                None => {
                    let suggestion = did_you_mean(name, all_rules().map(|r| r.meta().name))
                        .map(|s| format!(" Did you mean `{s}`?"))
                        .unwrap_or_default();
                    let meta = &UnknownRuleInSuppression::META;
                    self.problems.push(Diagnostic {
                        range: TextRange::new(start, start + name.len()),
                        severity: meta.severity,
                        code: meta.name,
                        message: format!(
                            "Unknown rule `{name}` in suppression comment.{suggestion}"
                        ),
                        docs_url: Some(meta.docs_url().into()),
                        fixable: false,
                    });
                }
            }
        }
        set
    }

    fn attach_to_next_instruction(
        &mut self,
        ctx: &RuleContext,
        comment: TextRange,
        names: HashSet<String>,
    ) {
        // Instructions are in file order.
        let instructions = &ctx.tree.instructions;
        let next = instructions.partition_point(|i| i.range.start < comment.end);
        if let Some(inst) = instructions.get(next) {
            self.next_instruction.push((inst.range.start(), names));
        }
    }

    /// Whether the file itself turns the rule off (`ignore-file`, `# check=skip=`).
    pub fn rule_enabled(&self, meta: &RuleMeta) -> bool {
        let lower = meta.name.to_ascii_lowercase();
        if self.file.contains(&lower) {
            return false;
        }
        !(meta.origin == Origin::BuildKit
            && (self.skip_checks.contains(&lower) || self.skip_checks.contains("all")))
    }

    /// `# check=experimental=Name` turns on an off-by-default BuildKit check.
    pub fn experimental_enabled(&self, meta: &RuleMeta) -> bool {
        let lower = meta.name.to_ascii_lowercase();
        self.experimental.contains(&lower) || self.experimental.contains("all")
    }

    /// Whether a comment suppresses rules on the instruction after it.
    pub fn suppresses_instructions(&self) -> bool {
        !self.next_instruction.is_empty()
    }

    pub fn is_suppressed(&self, ctx: &RuleContext, meta: &RuleMeta, d: &Diagnostic) -> bool {
        if self.next_instruction.is_empty() {
            return false;
        }
        let lower = meta.name.to_ascii_lowercase();
        let Some(inst) = ctx.tree.instruction_at(d.range.start()) else {
            return false;
        };
        self.next_instruction
            .iter()
            .any(|(start, names)| *start == inst.range.start() && names.contains(&lower))
    }

    pub fn adjust_severity(&self, meta: &RuleMeta, d: &mut Diagnostic) {
        if self.checks_are_errors && meta.origin == Origin::BuildKit {
            d.severity = Severity::Error;
        }
    }
}

/// The closest name by edit distance, if it is close enough to be a likely typo.
pub fn did_you_mean<'a>(name: &str, candidates: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    let lower = name.to_ascii_lowercase();
    candidates
        .map(|c| (strsim::levenshtein(&lower, &c.to_ascii_lowercase()), c))
        .filter(|(d, c)| *d <= (c.len() / 3).max(2))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use crate::analysis::analyze;
    use crate::config::Config;
    use crate::rules::test_support::{check_rule, check_rule_with, test_env};

    #[test]
    fn ignore_comment_silences_the_next_instruction_only() {
        let text = "FROM a\n# dockside ignore=InvalidKeyValue\n# another comment\nENV X\nENV Y\n";
        assert_eq!(
            check_rule("InvalidKeyValue", text),
            ["5:5-5:6 ENV must have two arguments"]
        );
    }

    #[test]
    fn the_check_build_argument_replaces_the_directive() {
        let text = "# check=skip=JSONArgsRecommended\nFROM alpine:3.20\nCMD ./app\nMAINTAINER me\n";
        assert!(check_rule("JSONArgsRecommended", text).is_empty());
        let mut config = Config::default();
        config.build_args.insert(
            super::CHECK_BUILD_ARG.to_string(),
            "skip=MaintainerDeprecated".to_string(),
        );
        let env = crate::analysis::AnalysisEnv {
            config: Arc::new(config),
            ..test_env()
        };
        assert_eq!(
            check_rule_with("JSONArgsRecommended", text, &env),
            ["3:5-3:10 JSON arguments recommended for CMD to prevent unintended behavior related to OS signals"]
        );
        assert!(check_rule_with("MaintainerDeprecated", text, &env).is_empty());
    }

    #[test]
    fn ignore_file_silences_everywhere() {
        let text = "# dockside ignore-file=InvalidKeyValue\nFROM a\nENV X\nENV Y\n";
        assert!(check_rule("InvalidKeyValue", text).is_empty());
    }

    #[test]
    fn unknown_names_are_reported_with_a_suggestion() {
        let text = "FROM a\n# dockside ignore=InvalidKeyValu, Nope\nENV X\n";
        assert_eq!(
            check_rule(super::UNKNOWN_RULE_CODE, text),
            [
                "2:19-2:33 Unknown rule `InvalidKeyValu` in suppression comment. Did you mean `InvalidKeyValue`?",
                "2:35-2:39 Unknown rule `Nope` in suppression comment."
            ]
        );
        // hadolint codes Dockside does not implement are not mistakes in hadolint comments.
        assert!(check_rule(
            super::UNKNOWN_RULE_CODE,
            "FROM a\n# hadolint ignore=DL9999\nRUN x\n"
        )
        .is_empty());
    }

    #[test]
    fn every_hadolint_code_of_a_rule_suppresses_it() {
        let text = "FROM a\nWORKDIR app\n";
        assert_eq!(
            check_rule("WorkdirRelativePath", text),
            ["2:9-2:12 Relative workdir \"app\" can have unexpected results if the base image changes"]
        );
        let ignored = "FROM a\n# hadolint ignore=DL3000\nWORKDIR app\n";
        assert!(check_rule("WorkdirRelativePath", ignored).is_empty());
        let three_cmds =
            "FROM a\nCMD [\"a\"]\n# hadolint ignore=dl4003\nCMD [\"b\"]\nCMD [\"c\"]\n";
        assert_eq!(
            check_rule("MultipleInstructionsDisallowed", three_cmds),
            ["2:1-2:10 Multiple CMD instructions should not be used in the same stage because only the last one will be used"]
        );
        let global = "# hadolint global ignore=DL3012\nFROM a\nCMD [\"a\"]\nCMD [\"b\"]\n";
        assert!(check_rule("MultipleInstructionsDisallowed", global).is_empty());
    }

    #[test]
    fn configuration_disables_and_changes_severity() {
        let mut config = Config::default();
        config.disabled.push("InvalidKeyValue");
        let mut env = test_env();
        env.config = Arc::new(config);
        assert!(check_rule_with("InvalidKeyValue", "FROM a\nENV X\n", &env).is_empty());

        let mut config = Config::default();
        config
            .severity
            .insert("InvalidKeyValue", crate::analysis::Severity::Warning);
        env.config = Arc::new(config);
        let analysis = analyze("FROM a\nENV X\n", &env);
        assert_eq!(
            analysis.diagnostics[0].severity,
            crate::analysis::Severity::Warning
        );
    }
}
