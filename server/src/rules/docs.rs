//! User documentation generated from the rules' doc comments (`docs/rules/<Name>.md`).

use super::{Origin, RuleMeta};

/// The Markdown page of one rule.
pub fn render_rule_page(meta: &RuleMeta) -> String {
    let mut page = format!("# {}\n\n", meta.name);
    let origin = match meta.origin {
        Origin::Syntax => "syntax error (BuildKit's parser rejects the file)".to_string(),
        Origin::BuildKit => format!(
            "BuildKit build check ([BuildKit docs]({}))",
            meta.docs_url()
        ),
        Origin::Validation => "validation (the builder rejects the instruction)".to_string(),
        Origin::Hadolint => "hadolint rule".to_string(),
        Origin::Dotnet => ".NET rule".to_string(),
        Origin::Image => ".NET image rule".to_string(),
    };
    page.push_str(&format!("- Default severity: {}\n", meta.severity.as_str()));
    page.push_str(&format!("- Origin: {origin}\n"));
    match meta.hadolint {
        [] => {}
        [dl] => page.push_str(&format!(
            "- hadolint code: {dl} (`# hadolint ignore={dl}` suppresses it)\n"
        )),
        codes => page.push_str(&format!(
            "- hadolint codes: {} (`# hadolint ignore=` with any of them suppresses it)\n",
            codes.join(", ")
        )),
    }
    page.push_str(&format!(
        "- Fixable: {}\n",
        if meta.fixable { "yes" } else { "no" }
    ));
    if !meta.default_enabled {
        page.push_str(
            "- Off by default: enable it in dockside.toml or with `# check=experimental=`\n",
        );
    }
    page.push_str(&format!(
        "- Suppress: `# dockside ignore={}` on the line above the instruction\n\n",
        meta.name
    ));
    page.push_str(&format!("{}\n\n", meta.summary));
    // Doc comments keep the space after `///`.
    for line in meta.docs.lines() {
        page.push_str(line.strip_prefix(' ').unwrap_or(line));
        page.push('\n');
    }
    page
}

/// The index page listing every rule.
pub fn render_index() -> String {
    let mut page = String::from(
        "# Rules\n\nGenerated from the rules' doc comments (`cargo test --test rule_docs` checks this page; \
         `DOCKSIDE_UPDATE_DOCS=1 cargo test --test rule_docs` rewrites it).\n\n\
         | Rule | Severity | Origin | hadolint | Fix | Summary |\n|---|---|---|---|---|---|\n",
    );
    for rule in super::all_rules() {
        let m = rule.meta();
        page.push_str(&format!(
            "| [{0}]({0}.md) | {1} | {2:?} | {3} | {4} | {5} |\n",
            m.name,
            m.severity.as_str(),
            m.origin,
            m.hadolint.join(", "),
            if m.fixable { "yes" } else { "" },
            m.summary.replace('|', "\\|")
        ));
    }
    page
}
