//! Rules: every diagnostic comes from a rule with a stable PascalCase name.

use crate::analysis::{Diagnostic, Severity};
use crate::syntax::SyntaxTree;

/// Runs every rule over a parsed Dockerfile.
pub fn check(_text: &str, tree: &SyntaxTree) -> Vec<Diagnostic> {
    tree.errors
        .iter()
        .map(|e| Diagnostic {
            range: e.range,
            severity: Severity::Error,
            code: "SyntaxError",
            message: e.message.clone(),
            docs_url: None,
            fixable: false,
        })
        .collect()
}
