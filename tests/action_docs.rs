//! `docs/actions/*.md` are generated from the actions' doc comments; this test fails when
//! they are stale. `DOCKSIDE_UPDATE_DOCS=1 cargo test --test action_docs` rewrites them.

#[path = "common/generated_docs.rs"]
mod generated_docs;

use std::path::Path;

use dockside::actions::{docs, ACTIONS};

#[test]
fn action_docs_are_up_to_date() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/actions");
    let mut expected = vec![("README.md".to_string(), docs::render_index())];
    for action in ACTIONS {
        let meta = action.meta();
        expected.push((format!("{}.md", meta.name), docs::render_action_page(meta)));
    }
    generated_docs::check_generated_pages(&dir, &expected, "action_docs");
}
