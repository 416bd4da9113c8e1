//! The analysis of one Dockerfile: a pure function of (text, environment).
//!
//! Both the language server and `dockside check` call [`analyze`]; editor features in
//! `ide/` take the resulting [`Analysis`].

use std::path::PathBuf;
use std::sync::Arc;

use crate::config::Config;
use crate::context::{DockerfileFacts, SolutionSnapshot};
use crate::images::registry::RegistryLookup;

use crate::model::{Model, ModelBuilder};
use crate::rules::RuleContext;
use crate::syntax::{self, SyntaxTree};
use crate::text::{LineIndex, TextRange};

/// How serious a diagnostic is. Ordered from least to most severe.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Hint,
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Hint => "hint",
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// One finding of a rule, on a byte range of the Dockerfile.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub range: TextRange,
    pub severity: Severity,
    /// The rule name, e.g. `UnknownInstruction` or `SdkImageInFinalStage`.
    pub code: &'static str,
    pub message: String,
    /// A link to the rule's documentation, shared by the diagnostics of a rule.
    pub docs_url: Option<Arc<str>>,
    /// The rule has a fix that `dockside check --fix` may apply.
    pub fixable: bool,
}

/// Everything besides the text that analysis depends on. "Today" is an input so that
/// support-lifecycle rules are reproducible in tests.
#[derive(Clone, Debug)]
pub struct AnalysisEnv {
    /// The Dockerfile's path on disk, when it has one.
    pub path: Option<PathBuf>,
    /// Today's date as `YYYY-MM-DD`.
    pub today: String,
    pub config: Arc<Config>,
    /// The indexed solution, when the Dockerfile is part of one.
    pub solution: Option<SolutionSnapshot>,
    /// Registry answers known so far, when look-ups are on (`registry.enabled`); `None` with
    /// them off. Reads never wait: the language server looks up in the background and
    /// analyses again when an answer arrives.
    pub registry: Option<Arc<dyn RegistryLookup>>,
}

impl Default for AnalysisEnv {
    fn default() -> Self {
        AnalysisEnv {
            path: None,
            today: today(),
            config: Arc::new(Config::default()),
            solution: None,
            registry: None,
        }
    }
}

/// The analysis of one document version.
#[derive(Clone, Debug)]
pub struct Analysis {
    pub text: String,
    pub line_index: LineIndex,
    pub tree: SyntaxTree,
    pub model: Model,
    /// Build context, .dockerignore and COPY sources, when the solution is known.
    pub facts: Option<DockerfileFacts>,
    pub diagnostics: Vec<Diagnostic>,
}

pub fn analyze(text: &str, env: &AnalysisEnv) -> Analysis {
    analyze_owned(text.to_string(), env)
}

/// [`analyze`] for a text the caller no longer needs, which the analysis keeps without
/// copying it.
pub fn analyze_owned(text: String, env: &AnalysisEnv) -> Analysis {
    let mut model = ModelBuilder::default();
    let (tree, line_starts) = syntax::parse_visiting(&text, &mut model);
    analyze_tree(text, tree, model.finish(), line_starts, env)
}

/// Analyses a file read from disk: invalid UTF-8 is replaced and reported.
pub fn analyze_bytes(bytes: &[u8], env: &AnalysisEnv) -> Analysis {
    let mut model = ModelBuilder::default();
    let (text, tree, line_starts) = syntax::parse_bytes_visiting(bytes, &mut model);
    analyze_tree(text, tree, model.finish(), line_starts, env)
}

/// The analysis of `text`, parsed into `tree` with `model` built along (see
/// [`ModelBuilder`]).
fn analyze_tree(
    text: String,
    tree: SyntaxTree,
    model: Model,
    line_starts: Option<Vec<u32>>,
    env: &AnalysisEnv,
) -> Analysis {
    let facts = match (&env.solution, &env.path) {
        (Some(solution), Some(path)) => Some(DockerfileFacts::compute(
            solution,
            path,
            &tree,
            &model,
            &env.config,
        )),
        _ => None,
    };
    let diagnostics =
        crate::rules::check(&RuleContext::new(&text, &tree, &model, env, facts.as_ref()));
    Analysis {
        line_index: LineIndex::from_line_starts(&text, line_starts),
        text,
        tree,
        model,
        facts,
        diagnostics,
    }
}

/// Environment variable that fixes "today" (`YYYY-MM-DD`), so that support-lifecycle results
/// can be reproduced (tests, CI runs comparing outputs).
pub const TODAY_VARIABLE: &str = "DOCKSIDE_TODAY";

/// Today's date as `YYYY-MM-DD`: `DOCKSIDE_TODAY` when it holds a valid date, else the system
/// clock (UTC).
pub fn today() -> String {
    std::env::var(TODAY_VARIABLE)
        .ok()
        .filter(|value| crate::images::support::Date::parse(value).is_some())
        .unwrap_or_else(today_utc)
}

/// Today's date (UTC) as `YYYY-MM-DD`, from the system clock.
pub fn today_utc() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let (y, m, d) = civil_from_days((secs / 86_400) as i64);
    format!("{y:04}-{m:02}-{d:02}")
}

/// Days since 1970-01-01 to a (year, month, day) date (Howard Hinnant's algorithm).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

#[cfg(test)]
mod tests {
    #[test]
    fn civil_dates() {
        assert_eq!(super::civil_from_days(0), (1970, 1, 1));
        assert_eq!(super::civil_from_days(20_783), (2026, 11, 26));
    }
}
