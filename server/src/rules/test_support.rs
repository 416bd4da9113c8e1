//! Helpers for rule tests: run one rule over a Dockerfile and show its diagnostics as
//! `line:col-line:col message` (1-based lines and UTF-8 columns), so tests assert exactly
//! what a user sees.

use crate::analysis::{analyze, AnalysisEnv};
use crate::text::Encoding;

/// Today's date in rule tests, so lifecycle rules are reproducible.
pub const TEST_TODAY: &str = "2026-11-26";

pub fn test_env() -> AnalysisEnv {
    AnalysisEnv {
        path: None,
        today: TEST_TODAY.to_string(),
        config: Default::default(),
        solution: None,
        registry: None,
    }
}

/// The diagnostics of rule `name` on `text`.
pub fn check_rule(name: &str, text: &str) -> Vec<String> {
    check_rule_with(name, text, &test_env())
}

/// Runs with `env`, the rule under test switched on even if it is off by default.
pub fn check_rule_with(name: &str, text: &str, env: &AnalysisEnv) -> Vec<String> {
    let mut env = env.clone();
    if let Some(rule) = crate::rules::find_rule(name) {
        let mut config = (*env.config).clone();
        if !config.disabled.contains(&rule.meta().name) {
            config.enabled.push(rule.meta().name);
        }
        env.config = std::sync::Arc::new(config);
    }
    let analysis = analyze(text, &env);
    analysis
        .diagnostics
        .iter()
        .filter(|d| d.code == name)
        .map(|d| {
            let s = analysis
                .line_index
                .line_col(text, d.range.start(), Encoding::Utf8);
            let e = analysis
                .line_index
                .line_col(text, d.range.end(), Encoding::Utf8);
            format!(
                "{}:{}-{}:{} {}",
                s.line + 1,
                s.col + 1,
                e.line + 1,
                e.col + 1,
                d.message
            )
        })
        .collect()
}
