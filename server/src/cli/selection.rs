//! `--select` / `--ignore` of `dockside check`: which rules run, by rule name or hadolint code.

use crate::analysis::Diagnostic;
use crate::config::Config;
use crate::rules::{all_rules, suppression::did_you_mean, RuleMeta};

/// The rules chosen on the command line. Empty lists choose nothing, so the default selection
/// changes nothing.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RuleSelection {
    /// When not empty, only these rules run.
    pub select: Vec<&'static str>,
    /// These rules never run (wins over `select`).
    pub ignore: Vec<&'static str>,
}

impl RuleSelection {
    /// Adds the comma-separated `list` given to `--select` (`select = true`) or `--ignore`.
    pub fn add(&mut self, list: &str, select: bool, option: &str) -> Result<(), String> {
        let names = resolve_rule_list(list, option)?;
        let target = if select {
            &mut self.select
        } else {
            &mut self.ignore
        };
        for name in names {
            if !target.contains(&name) {
                target.push(name);
            }
        }
        Ok(())
    }

    pub fn is_empty(&self) -> bool {
        self.select.is_empty() && self.ignore.is_empty()
    }

    /// Whether diagnostics of `rule` are kept.
    pub fn keeps(&self, rule: &str) -> bool {
        (self.select.is_empty() || self.select.contains(&rule)) && !self.ignore.contains(&rule)
    }

    /// Applies the selection on top of the configuration files: the command line wins, so a
    /// selected rule runs even when `dockside.toml` turns it off or it is off by default
    /// (BuildKit's experimental checks), and the other rules do not run at all.
    pub fn apply_to(&self, config: &mut Config) {
        if self.is_empty() {
            return;
        }
        for meta in all_rules().map(|rule| rule.meta()) {
            if self.keeps(meta.name) {
                if !self.select.is_empty() {
                    config.disabled.retain(|name| *name != meta.name);
                    if !meta.default_enabled && !config.enabled.contains(&meta.name) {
                        config.enabled.push(meta.name);
                    }
                }
            } else if !config.disabled.contains(&meta.name) {
                config.disabled.push(meta.name);
            }
        }
    }

    /// Drops the diagnostics of rules that were not selected. Configuration already keeps
    /// most of them from running; this also covers findings that no rule run produces (the
    /// suppression comments' own UnknownRuleInSuppression).
    pub fn filter(&self, diagnostics: &mut Vec<Diagnostic>) {
        if !self.is_empty() {
            diagnostics.retain(|diagnostic| self.keeps(diagnostic.code));
        }
    }
}

/// The rule a name stands for: its name in any letter case, or one of its hadolint codes.
pub fn find_rule_by_name_or_code(name: &str) -> Option<&'static RuleMeta> {
    all_rules()
        .map(|rule| rule.meta())
        .find(|meta| meta.name.eq_ignore_ascii_case(name) || meta.covers_hadolint_code(name))
}

/// The message for a name that is no rule, with the closest rule name when there is one.
pub fn unknown_rule_message(name: &str) -> String {
    let looks_like_hadolint = match (name.get(..2), name.get(2..)) {
        (Some(prefix), Some(number)) => {
            (prefix.eq_ignore_ascii_case("DL") || prefix.eq_ignore_ascii_case("SC"))
                && !number.is_empty()
                && number.bytes().all(|b| b.is_ascii_digit())
        }
        _ => false,
    };
    if looks_like_hadolint {
        return format!("no Dockside rule covers hadolint's `{name}` (docs/parity.md says why)");
    }
    let suggestion = did_you_mean(name, all_rules().map(|rule| rule.meta().name))
        .map(|s| format!("; did you mean `{s}`?"))
        .unwrap_or_default();
    format!("unknown rule `{name}`{suggestion}")
}

fn resolve_rule_list(list: &str, option: &str) -> Result<Vec<&'static str>, String> {
    let mut names = Vec::new();
    for raw in list.split(',') {
        let name = raw.trim();
        if name.is_empty() {
            continue;
        }
        match find_rule_by_name_or_code(name) {
            Some(meta) => names.push(meta.name),
            None => return Err(format!("{option}: {}", unknown_rule_message(name))),
        }
    }
    if names.is_empty() {
        return Err(format!(
            "`{option}` needs at least one rule name or DL code"
        ));
    }
    Ok(names)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn selection(select: &str, ignore: &str) -> RuleSelection {
        let mut selection = RuleSelection::default();
        if !select.is_empty() {
            selection.add(select, true, "--select").unwrap();
        }
        if !ignore.is_empty() {
            selection.add(ignore, false, "--ignore").unwrap();
        }
        selection
    }

    #[test]
    fn names_and_codes_in_any_case() {
        let chosen = selection("stagenamecasing, dl3020,DL4004", "");
        assert_eq!(
            chosen.select,
            [
                "StageNameCasing",
                "AddInsteadOfCopy",
                "MultipleInstructionsDisallowed"
            ]
        );
        assert!(chosen.keeps("AddInsteadOfCopy"));
        assert!(!chosen.keeps("UndefinedVar"));
    }

    #[test]
    fn ignore_wins_over_select() {
        let chosen = selection("StageNameCasing,UndefinedVar", "undefinedvar");
        assert!(chosen.keeps("StageNameCasing"));
        assert!(!chosen.keeps("UndefinedVar"));
        let only_ignore = selection("", "DL3059");
        assert!(!only_ignore.keeps("ConsecutiveRunInstructions"));
        assert!(only_ignore.keeps("UndefinedVar"));
    }

    #[test]
    fn unknown_names_are_errors_with_a_suggestion() {
        let mut chosen = RuleSelection::default();
        assert_eq!(
            chosen.add("StageNameCasing,StageNameCasng", true, "--select"),
            Err("--select: unknown rule `StageNameCasng`; did you mean `StageNameCasing`?".into())
        );
        assert_eq!(
            chosen.add("Frobnicate", false, "--ignore"),
            Err("--ignore: unknown rule `Frobnicate`".into())
        );
        assert_eq!(
            chosen.add("dl3013", false, "--ignore"),
            Err(
                "--ignore: no Dockside rule covers hadolint's `dl3013` (docs/parity.md says why)"
                    .into()
            )
        );
        assert_eq!(
            chosen.add("éé", true, "--select"),
            Err("--select: unknown rule `éé`".into())
        );
        assert_eq!(
            chosen.add(" , ", true, "--select"),
            Err("`--select` needs at least one rule name or DL code".into())
        );
        assert_eq!(chosen, RuleSelection::default());
    }

    #[test]
    fn selecting_turns_on_experimental_rules_and_off_the_others() {
        let mut config = Config::default();
        config.disabled.push("InvalidDefinitionDescription");
        selection("InvalidDefinitionDescription", "").apply_to(&mut config);
        assert!(!config.disabled.contains(&"InvalidDefinitionDescription"));
        assert_eq!(config.enabled, ["InvalidDefinitionDescription"]);
        assert!(config.disabled.contains(&"UndefinedVar"));
        assert_eq!(config.disabled.len(), all_rules().count() - 1);

        let mut untouched = Config::default();
        RuleSelection::default().apply_to(&mut untouched);
        assert_eq!(untouched, Config::default());
    }
}
