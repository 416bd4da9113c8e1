//! `dockside check --fix` and `--diff`: apply the quick fixes marked safe (all of them with
//! `--unsafe-fixes`) to a Dockerfile, like `ruff --fix`.

use std::path::Path;

use crate::actions::{fix_all, FixOutcome};
use crate::analysis::AnalysisEnv;

/// What to do with the fixes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FixMode {
    /// Report only (the default).
    Off,
    /// Write the fixed files, then report what remains.
    Write,
    /// Print a unified diff of the fixes and write nothing.
    Diff,
}

/// The fixes of one file: its new text when something changed.
pub struct FileFixes {
    pub outcome: FixOutcome,
    pub changed: bool,
}

/// Computes the fixes for `text`. Files that are not valid UTF-8 are left alone: writing
/// them back would replace bytes the user may need.
pub fn fixes_for(text: &str, env: &AnalysisEnv, unsafe_fixes: bool) -> FileFixes {
    let outcome = fix_all(text, env, unsafe_fixes);
    FileFixes {
        changed: outcome.text != text,
        outcome,
    }
}

/// A unified diff from `before` to `after`, with `a/` and `b/` headers like git's.
pub fn unified_diff(path: &Path, before: &str, after: &str) -> String {
    // git writes `a/tmp/x` for `/tmp/x`: the prefix replaces the root.
    let display = path.display().to_string();
    let name = display.trim_start_matches('/');
    similar::TextDiff::from_lines(before, after)
        .unified_diff()
        .context_radius(3)
        .header(&format!("a/{name}"), &format!("b/{name}"))
        .to_string()
}

/// "Fixed 2 problems in Dockerfile (JSONArgsRecommended ×2)" for stderr.
pub fn summary_line(path: &Path, fixed: &[&str]) -> String {
    let mut counts: Vec<(&str, usize)> = Vec::new();
    for code in fixed {
        match counts.iter_mut().find(|(c, _)| c == code) {
            Some((_, n)) => *n += 1,
            None => counts.push((code, 1)),
        }
    }
    let detail = counts
        .iter()
        .map(|(code, n)| {
            if *n == 1 {
                code.to_string()
            } else {
                format!("{code} ×{n}")
            }
        })
        .collect::<Vec<_>>()
        .join(", ");
    let noun = if fixed.len() == 1 {
        "problem"
    } else {
        "problems"
    };
    format!(
        "Fixed {} {noun} in {} ({detail})",
        fixed.len(),
        path.display()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diff_has_git_style_headers_and_context() {
        let diff = unified_diff(
            Path::new("app/Dockerfile"),
            "FROM a\nCMD x\n",
            "FROM a\nCMD [\"x\"]\n",
        );
        assert_eq!(
            diff,
            "--- a/app/Dockerfile\n+++ b/app/Dockerfile\n@@ -1,2 +1,2 @@\n FROM a\n-CMD x\n+CMD [\"x\"]\n"
        );
    }

    #[test]
    fn summary_counts_each_rule() {
        assert_eq!(
            summary_line(Path::new("Dockerfile"), &["A", "B", "A"]),
            "Fixed 3 problems in Dockerfile (A ×2, B)"
        );
    }
}
