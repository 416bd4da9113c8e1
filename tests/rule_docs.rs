//! `docs/rules/*.md` are generated from the rules' doc comments; this test fails when they
//! are stale. `DOCKSIDE_UPDATE_DOCS=1 cargo test --test rule_docs` rewrites them.

#[path = "common/generated_docs.rs"]
mod generated_docs;

use std::path::Path;

use dockside::rules::{all_rules, docs};

#[test]
fn rule_docs_are_up_to_date() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/rules");
    let mut expected = vec![("README.md".to_string(), docs::render_index())];
    for rule in all_rules() {
        let meta = rule.meta();
        expected.push((format!("{}.md", meta.name), docs::render_rule_page(meta)));
    }
    generated_docs::check_generated_pages(&dir, &expected, "rule_docs");
}
