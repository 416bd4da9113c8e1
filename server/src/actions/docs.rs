//! User documentation generated from the actions' doc comments (`docs/actions/<Name>.md`).

use super::{ActionMeta, ACTIONS};

/// The doc comment as Markdown: the space after `///` dropped, the `$0` cursor markers of the
/// examples removed.
fn body(meta: &ActionMeta) -> String {
    let mut out = String::new();
    for line in meta.docs.lines() {
        out.push_str(&line.strip_prefix(' ').unwrap_or(line).replace("$0", ""));
        out.push('\n');
    }
    out
}

/// The first paragraph of the doc comment, on one line.
pub fn summary(meta: &ActionMeta) -> String {
    body(meta)
        .split("\n\n")
        .next()
        .unwrap_or("")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The Markdown page of one action.
pub fn render_action_page(meta: &ActionMeta) -> String {
    format!("# {}\n\n{}", meta.name, body(meta))
}

/// The index page listing every action.
pub fn render_index() -> String {
    let mut page = String::from(
        "# Code actions\n\nGenerated from the actions' doc comments (`cargo test --test action_docs` checks these pages; \
         `DOCKSIDE_UPDATE_DOCS=1 cargo test --test action_docs` rewrites them). Editors show them as quick fixes \
         and refactorings; `dockside check --fix` applies the quick fixes marked safe.\n\n\
         | Action | What it does |\n|---|---|\n",
    );
    for action in ACTIONS {
        let m = action.meta();
        page.push_str(&format!(
            "| [{0}]({0}.md) | {1} |\n",
            m.name,
            summary(m).replace('|', "\\|")
        ));
    }
    page
}
