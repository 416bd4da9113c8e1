//! Differential test: Dockside's parser against BuildKit's own parser.
//!
//! `tests/buildkit/expected/*.json` were produced by BuildKit's parser (the PyPI package
//! `dockerfile`, see tests/buildkit/README.md) from `tests/buildkit/corpus/*.Dockerfile`.
//! For every file BuildKit accepts, the instruction keywords, lines, flags, argument values
//! and heredocs must be identical; for every file it rejects, Dockside must report a
//! syntax error (and still parse the rest).

use std::path::{Path, PathBuf};

use dockside::syntax::{parse, Args, Instruction, Keyword};
use serde_json::{json, Value};

fn corpus_dir() -> PathBuf {
    match std::env::var_os("DOCKSIDE_BUILDKIT_CORPUS") {
        Some(dir) => PathBuf::from(dir),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/buildkit"),
    }
}

fn values(args: &Args, keyword_is_arg: bool) -> Vec<String> {
    match args {
        Args::Empty => vec![],
        Args::Exec { elements, .. } => elements.iter().map(|w| w.text.to_string()).collect(),
        Args::Shell(w) | Args::String(w) => vec![w.text.to_string()],
        Args::Words(words) => words.iter().map(|w| w.text.to_string()).collect(),
        Args::KeyValues { pairs, .. } => {
            let mut out = Vec::new();
            for p in pairs {
                if keyword_is_arg {
                    match &p.value {
                        Some(v) => out.push(format!("{}={}", p.key.text, v.text)),
                        None => out.push(p.key.text.to_string()),
                    }
                } else {
                    out.push(p.key.text.to_string());
                    out.push(
                        p.value
                            .as_ref()
                            .map(|v| v.text.to_string())
                            .unwrap_or_default(),
                    );
                }
            }
            out
        }
        Args::Healthcheck { kind, command } => {
            let mut out = vec![kind.text.to_string()];
            out.extend(values(command, false));
            out
        }
        Args::OnBuild(inner) => values(&inner.args, inner.keyword == Keyword::Arg),
    }
}

fn keyword_text(text: &str, inst: &Instruction) -> String {
    text[inst.keyword_range.as_range()].to_string()
}

/// BuildKit's `json` attribute: exec form, also for HEALTHCHECK CMD and ONBUILD triggers.
fn is_json(inst: &Instruction) -> bool {
    match &inst.args {
        Args::Exec { .. } => true,
        Args::Healthcheck { command, .. } => matches!(command.as_ref(), Args::Exec { .. }),
        Args::OnBuild(inner) => is_json(inner),
        _ => false,
    }
}

/// BuildKit's value list. It drops the arguments of unknown instructions (`parseIgnore`)
/// and the oracle cannot show a nested ONBUILD.
fn oracle_values(inst: &Instruction) -> Vec<String> {
    match &inst.args {
        _ if inst.keyword == Keyword::Unknown => vec![String::new()],
        Args::OnBuild(inner) if inner.keyword == Keyword::Onbuild => vec![String::new()],
        Args::OnBuild(inner) => oracle_values(inner),
        args => values(args, inst.keyword == Keyword::Arg),
    }
}

fn to_oracle_shape(text: &str, inst: &Instruction) -> Value {
    // BuildKit attaches ONBUILD heredocs to the ONBUILD node and the oracle does not report
    // them; Dockside keeps them on the trigger instruction.
    let heredocs = &inst.heredocs;
    let sub_cmd = match &inst.args {
        Args::OnBuild(inner) => Value::String(keyword_text(text, inner)),
        _ => Value::Null,
    };
    let cmd = match keyword_text(text, inst) {
        // A line that is only a continuation character has no keyword.
        k if k.is_empty() => Value::Null,
        k => Value::String(k),
    };
    let flags: Vec<String> = inst
        .flags
        .iter()
        .map(|f| match &f.value {
            Some(v) => format!("--{}={}", f.name, v.text),
            None => format!("--{}", f.name),
        })
        .collect();
    json!({
        "cmd": cmd,
        "sub_cmd": sub_cmd,
        "json": is_json(inst),
        "start_line": inst.start_line + 1,
        "end_line": inst.end_line + 1,
        "flags": flags,
        "value": oracle_values(inst),
        "heredocs": heredocs.iter().map(|h| json!({
            "name": h.name,
            "file_descriptor": h.file_descriptor,
            "content": h.content,
        })).collect::<Vec<_>>(),
    })
}

/// Files where the oracle (BuildKit v0.12.5) and current BuildKit disagree; Dockside follows
/// current BuildKit. v0.12.5 does not know the `# check=` directive (Dockerfile 1.8), so it
/// accepts a repeated `check` that current BuildKit rejects.
const NEWER_BUILDKIT_DIFFERS: &[&str] = &["028-directive-check-duplicate", "493-gen-directives-01"];

#[test]
fn parser_matches_buildkit_on_the_whole_corpus() {
    let dir = corpus_dir();
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir.join("corpus"))
        .expect("the corpus folder tests/buildkit/corpus exists")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "Dockerfile"))
        .collect();
    files.sort();
    assert!(
        files.len() >= 150 || std::env::var_os("DOCKSIDE_BUILDKIT_CORPUS").is_some(),
        "corpus has only {} files",
        files.len()
    );

    let mut failures = Vec::new();
    let (mut accepted, mut rejected) = (0, 0);
    for path in &files {
        let name = path
            .file_stem()
            .unwrap_or_default()
            .to_string_lossy()
            .to_string();
        let bytes = std::fs::read(path).expect("corpus file is readable");
        let text = String::from_utf8_lossy(&bytes);
        let expected_path = dir.join("expected").join(format!("{name}.json"));
        let expected: Value = serde_json::from_str(
            &std::fs::read_to_string(&expected_path)
                .unwrap_or_else(|e| panic!("{}: {e}", expected_path.display())),
        )
        .expect("expected file is JSON");
        let tree = parse(&text);
        if NEWER_BUILDKIT_DIFFERS.contains(&name.as_str()) {
            assert!(
                tree.errors
                    .iter()
                    .any(|e| e.message.contains("only one check parser directive")),
                "{name}: current BuildKit rejects a repeated check directive"
            );
            continue;
        }
        if expected["ok"] == json!(true) {
            accepted += 1;
            let actual: Vec<Value> = tree
                .instructions
                .iter()
                .map(|i| to_oracle_shape(&text, i))
                .collect();
            let want = expected["instructions"]
                .as_array()
                .cloned()
                .unwrap_or_default();
            if actual != want {
                let first_diff = actual
                    .iter()
                    .zip(want.iter())
                    .find(|(a, w)| a != w)
                    .map(|(a, w)| format!("\n  dockside: {a}\n  buildkit: {w}"))
                    .unwrap_or_else(|| {
                        format!(
                            "\n  dockside has {} instructions, buildkit {}",
                            actual.len(),
                            want.len()
                        )
                    });
                failures.push(format!("{name}: instructions differ{first_diff}"));
            } else if !tree.errors.is_empty() {
                failures.push(format!(
                    "{name}: BuildKit accepts the file but Dockside reports {:?}",
                    tree.errors
                ));
            }
        } else {
            rejected += 1;
            if tree.errors.is_empty() {
                failures.push(format!(
                    "{name}: BuildKit rejects the file ({}) but Dockside reports no syntax error",
                    expected["error"]
                ));
            }
        }
    }
    eprintln!(
        "BuildKit differential: {} of {} files agree ({accepted} accepted, {rejected} rejected by BuildKit; \
         {} more where current BuildKit differs from the v0.12.5 oracle)",
        files.len() - failures.len() - NEWER_BUILDKIT_DIFFERS.len(),
        files.len() - NEWER_BUILDKIT_DIFFERS.len(),
        NEWER_BUILDKIT_DIFFERS.len()
    );
    assert!(
        failures.is_empty(),
        "{} mismatches:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
