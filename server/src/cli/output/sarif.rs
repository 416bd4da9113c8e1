//! `--format sarif`: a SARIF 2.1.0 log with one run, for GitHub code scanning
//! (`github/codeql-action/upload-sarif`) and other SARIF viewers.
//!
//! Artifact locations are the printed paths as URI references: relative paths stay relative
//! (to the directory `dockside check` ran in, normally the repository root), absolute paths
//! become `file://` URIs. Regions are 1-based with UTF-16 columns, SARIF's default
//! `columnKind`, stated explicitly on the run. `tool.driver.rules` lists the rules that
//! reported something, sorted by name; each result points at its rule by `ruleIndex`.

use std::collections::BTreeMap;
use std::path::{Component, Path};

use serde::Serialize;

use super::{slash_path, to_pretty_json, CheckedFile, ColumnUnit};
use crate::analysis::Severity;

const SARIF_SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

#[derive(Serialize)]
struct Log<'a> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: [Run<'a>; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run<'a> {
    tool: Tool<'a>,
    column_kind: &'static str,
    results: Vec<SarifResult<'a>>,
}

#[derive(Serialize)]
struct Tool<'a> {
    driver: Driver<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver<'a> {
    name: &'static str,
    version: &'static str,
    semantic_version: &'static str,
    rules: Vec<Rule<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Rule<'a> {
    // No `name`: SARIF wants it only when it differs from the id, and ours are one string.
    id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    help_uri: Option<&'a str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult<'a> {
    rule_id: &'a str,
    rule_index: usize,
    level: &'static str,
    message: Message<'a>,
    locations: [Location; 1],
}

#[derive(Serialize)]
struct Message<'a> {
    text: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location {
    physical_location: PhysicalLocation,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    region: Region,
}

#[derive(Serialize)]
struct ArtifactLocation {
    uri: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: u32,
    start_column: u32,
    end_line: u32,
    end_column: u32,
}

pub(super) fn render(files: &[CheckedFile]) -> String {
    // Rule id -> documentation link; the first link a rule reports wins.
    let mut rule_links: BTreeMap<&str, Option<&str>> = BTreeMap::new();
    for diagnostic in files.iter().flat_map(|file| &file.diagnostics) {
        let link = rule_links.entry(diagnostic.code).or_insert(None);
        if link.is_none() {
            *link = diagnostic.docs_url.as_deref();
        }
    }
    let rule_index: BTreeMap<&str, usize> = rule_links
        .keys()
        .enumerate()
        .map(|(index, id)| (*id, index))
        .collect();
    let rules = rule_links
        .iter()
        .map(|(id, link)| Rule {
            id,
            help_uri: *link,
        })
        .collect();

    let mut results = Vec::new();
    for file in files {
        let uri = path_to_uri(&file.path);
        for diagnostic in &file.diagnostics {
            let (start, end) = file.span(diagnostic.range, ColumnUnit::Utf16CodeUnits);
            results.push(SarifResult {
                rule_id: diagnostic.code,
                rule_index: rule_index.get(diagnostic.code).copied().unwrap_or(0),
                level: match diagnostic.severity {
                    Severity::Error => "error",
                    Severity::Warning => "warning",
                    Severity::Info | Severity::Hint => "note",
                },
                message: Message {
                    text: &diagnostic.message,
                },
                locations: [Location {
                    physical_location: PhysicalLocation {
                        artifact_location: ArtifactLocation { uri: uri.clone() },
                        region: Region {
                            start_line: start.line + 1,
                            start_column: start.column + 1,
                            end_line: end.line + 1,
                            end_column: end.column + 1,
                        },
                    },
                }],
            });
        }
    }

    let version = env!("CARGO_PKG_VERSION");
    to_pretty_json(&Log {
        schema: SARIF_SCHEMA,
        version: "2.1.0",
        runs: [Run {
            tool: Tool {
                driver: Driver {
                    name: "Dockside",
                    version,
                    semantic_version: version,
                    rules,
                },
            },
            column_kind: "utf16CodeUnits",
            results,
        }],
    })
}

/// A path as a URI reference: relative paths as relative references with `/` separators,
/// absolute paths as `file://` URIs; every byte outside RFC 3986's unreserved set is
/// percent-encoded.
pub(crate) fn path_to_uri(path: &Path) -> String {
    let encoded = percent_encode_path(&slash_path(path));
    if path.is_absolute() {
        // `C:/x` on Windows becomes `file:///C:/x`; `/x` on Unix becomes `file:///x`.
        let starts_with_root = matches!(path.components().next(), Some(Component::RootDir));
        if starts_with_root {
            format!("file://{encoded}")
        } else {
            format!("file:///{}", encoded.replacen("%3A", ":", 1))
        }
    } else {
        encoded
    }
}

fn percent_encode_path(path: &str) -> String {
    let mut encoded = String::with_capacity(path.len());
    for byte in path.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                encoded.push(byte as char)
            }
            _ => encoded.push_str(&format!("%{byte:02X}")),
        }
    }
    encoded
}

#[cfg(test)]
mod tests {
    use std::path::{Path, PathBuf};

    use super::super::test_support::diagnostic_on;
    use super::super::{render, CheckedFile, OutputFormat, RenderOptions};
    use super::path_to_uri;
    use crate::analysis::Severity;

    #[test]
    fn one_run_with_rules_and_results() {
        let text = "FROM a AS Build\nLABEL k=\"🐳\" x\n";
        let mut casing = diagnostic_on(
            text,
            "Build",
            Severity::Warning,
            "StageNameCasing",
            "Stage name 'Build' should be lowercase",
        );
        casing.docs_url =
            Some("https://docs.docker.com/go/dockerfile/rule/stage-name-casing/".into());
        let after_emoji = diagnostic_on(text, "x", Severity::Hint, "AfterEmoji", "after");
        let files = [
            CheckedFile::new(
                PathBuf::from("src/my app/Dockerfile"),
                text.into(),
                vec![casing, after_emoji],
            ),
            CheckedFile::new(PathBuf::from("Dockerfile"), "FROM a\n".into(), vec![]),
        ];
        let rendered = render(OutputFormat::Sarif, &files, &RenderOptions::default());
        let expected = format!(
            r#"{{
  "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
  "version": "2.1.0",
  "runs": [
    {{
      "tool": {{
        "driver": {{
          "name": "Dockside",
          "version": "{version}",
          "semanticVersion": "{version}",
          "rules": [
            {{
              "id": "AfterEmoji"
            }},
            {{
              "id": "StageNameCasing",
              "helpUri": "https://docs.docker.com/go/dockerfile/rule/stage-name-casing/"
            }}
          ]
        }}
      }},
      "columnKind": "utf16CodeUnits",
      "results": [
        {{
          "ruleId": "StageNameCasing",
          "ruleIndex": 1,
          "level": "warning",
          "message": {{
            "text": "Stage name 'Build' should be lowercase"
          }},
          "locations": [
            {{
              "physicalLocation": {{
                "artifactLocation": {{
                  "uri": "src/my%20app/Dockerfile"
                }},
                "region": {{
                  "startLine": 1,
                  "startColumn": 11,
                  "endLine": 1,
                  "endColumn": 16
                }}
              }}
            }}
          ]
        }},
        {{
          "ruleId": "AfterEmoji",
          "ruleIndex": 0,
          "level": "note",
          "message": {{
            "text": "after"
          }},
          "locations": [
            {{
              "physicalLocation": {{
                "artifactLocation": {{
                  "uri": "src/my%20app/Dockerfile"
                }},
                "region": {{
                  "startLine": 2,
                  "startColumn": 14,
                  "endLine": 2,
                  "endColumn": 15
                }}
              }}
            }}
          ]
        }}
      ]
    }}
  ]
}}
"#,
            version = env!("CARGO_PKG_VERSION")
        );
        assert_eq!(rendered, expected);
    }

    #[test]
    fn clean_run_has_an_empty_results_array() {
        let file = CheckedFile::new(PathBuf::from("Dockerfile"), "FROM a\n".into(), vec![]);
        let rendered = render(OutputFormat::Sarif, &[file], &RenderOptions::default());
        let log: serde_json::Value = serde_json::from_str(&rendered).unwrap();
        assert_eq!(log["runs"][0]["results"], serde_json::json!([]));
        assert_eq!(
            log["runs"][0]["tool"]["driver"]["rules"],
            serde_json::json!([])
        );
    }

    #[test]
    fn uris() {
        assert_eq!(path_to_uri(Path::new("a b/Dockerfile")), "a%20b/Dockerfile");
        assert_eq!(path_to_uri(Path::new("x:y/Dockerfile")), "x%3Ay/Dockerfile");
        assert_eq!(
            path_to_uri(Path::new("../é/Dockerfile")),
            "../%C3%A9/Dockerfile"
        );
        #[cfg(unix)]
        assert_eq!(
            path_to_uri(Path::new("/home/me/Dockerfile")),
            "file:///home/me/Dockerfile"
        );
    }
}
