//! Every fixture solution under `fixtures/` has its expected diagnostics checked in as
//! `fixtures/<name>/expected-diagnostics.json`: the exact output of
//! `dockside check --format json fixtures/<name>`, run from the repository root.
//! `DOCKSIDE_UPDATE_EXPECTED=1 cargo test --test fixtures_expected` rewrites them.

use std::path::{Path, PathBuf};
use std::process::Command;

/// The day the expected diagnostics hold for (after .NET 8 and 9 reached end of support).
const FIXED_TODAY: &str = "2026-11-26";

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("server/ has a parent")
        .to_path_buf()
}

fn fixture_dirs() -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(repo_root().join("fixtures"))
        .expect("fixtures/ exists")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    dirs
}

#[test]
fn every_fixture_produces_exactly_its_expected_diagnostics() {
    let root = repo_root();
    let update = std::env::var_os("DOCKSIDE_UPDATE_EXPECTED").is_some();
    let dirs = fixture_dirs();
    assert!(dirs.len() >= 8, "expected at least eight fixture solutions");
    let mut mismatches = Vec::new();
    for dir in &dirs {
        let rel = dir.strip_prefix(&root).expect("fixture under the repo");
        let output = Command::new(env!("CARGO_BIN_EXE_dockside"))
            .args(["check", "--format", "json"])
            .arg(rel)
            // Support-lifecycle rules depend on the date.
            .env("DOCKSIDE_TODAY", FIXED_TODAY)
            .current_dir(&root)
            .output()
            .expect("run dockside");
        let stdout = String::from_utf8_lossy(&output.stdout).to_string();
        let actual: serde_json::Value = serde_json::from_str(&stdout)
            .unwrap_or_else(|e| panic!("{}: not JSON ({e}): {stdout}", rel.display()));
        let pretty = serde_json::to_string_pretty(&actual).expect("serialize") + "\n";
        let expected_path = dir.join("expected-diagnostics.json");
        if update {
            std::fs::write(&expected_path, &pretty).expect("write expected");
            continue;
        }
        let expected = std::fs::read_to_string(&expected_path).unwrap_or_default();
        if expected != pretty {
            mismatches.push(format!(
                "{}: diagnostics differ from expected-diagnostics.json\n--- expected\n{expected}\n--- actual\n{pretty}",
                rel.display()
            ));
        }
    }
    assert!(
        mismatches.is_empty(),
        "{}\n(run `DOCKSIDE_UPDATE_EXPECTED=1 cargo test --test fixtures_expected` after reviewing)",
        mismatches.join("\n")
    );
}

#[test]
fn the_good_fixture_has_no_diagnostics() {
    let root = repo_root();
    let output = Command::new(env!("CARGO_BIN_EXE_dockside"))
        .args(["check", "--format", "json", "fixtures/good"])
        .env("DOCKSIDE_TODAY", FIXED_TODAY)
        .current_dir(&root)
        .output()
        .expect("run dockside");
    assert_eq!(String::from_utf8_lossy(&output.stdout).trim(), "[]");
    assert_eq!(output.status.code(), Some(0));
}
