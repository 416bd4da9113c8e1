//! `docs/actions/*.md` are generated from the actions' doc comments; this test fails when they
//! are stale. `DOCKSIDE_UPDATE_DOCS=1 cargo test --test action_docs` rewrites them.

use std::path::Path;

use dockside::actions::{docs, ACTIONS};

#[test]
fn action_docs_are_up_to_date() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/actions");
    let update = std::env::var_os("DOCKSIDE_UPDATE_DOCS").is_some();
    let mut expected = vec![("README.md".to_string(), docs::render_index())];
    for action in ACTIONS {
        let meta = action.meta();
        expected.push((format!("{}.md", meta.name), docs::render_action_page(meta)));
    }
    let mut stale = Vec::new();
    if update {
        std::fs::create_dir_all(&dir).expect("create docs/actions");
    }
    for (name, content) in &expected {
        let path = dir.join(name);
        let current = std::fs::read_to_string(&path).unwrap_or_default();
        if current != *content {
            if update {
                std::fs::write(&path, content).expect("write action doc");
            } else {
                stale.push(name.clone());
            }
        }
    }
    // Pages of rules that no longer exist.
    if let Ok(entries) = std::fs::read_dir(&dir) {
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().to_string();
            if name.ends_with(".md") && !expected.iter().any(|(n, _)| *n == name) {
                if update {
                    let _ = std::fs::remove_file(entry.path());
                } else {
                    stale.push(format!("{name} (no such action)"));
                }
            }
        }
    }
    assert!(
        stale.is_empty(),
        "docs/actions is stale for {stale:?}; run `DOCKSIDE_UPDATE_DOCS=1 cargo test --test action_docs`"
    );
}
