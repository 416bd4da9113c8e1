//! `dockside rules` (every rule with its origin, default severity, hadolint codes and
//! fixability) and `dockside explain NAME` (one rule's documentation).

use std::ffi::OsString;
use std::io::Write;

use serde::Serialize;

use super::selection::{find_rule_by_name_or_code, unknown_rule_message};
use crate::rules::{all_rules, docs::render_rule_page, RuleMeta};

pub const RULES_HELP: &str = "\
List every rule: name, origin, default severity, hadolint codes, fixability, summary.

Usage: dockside rules [--format human|json]

Options:
  --format <FORMAT>  human (an aligned table) or json (one array) [default: human]
  -h, --help         print this help

A severity of `off (warning)` marks a rule that is off unless enabled in dockside.toml,
with `# check=experimental=` or with `dockside check --select`.";

pub const EXPLAIN_HELP: &str = "\
Print a rule's documentation (the same Markdown as docs/rules/<Name>.md).

Usage: dockside explain <RULE>

RULE is a rule name in any letter case (UndefinedVar, undefinedvar) or a hadolint code
that a Dockside rule covers (DL3020).";

const EXIT_OK: i32 = 0;
const EXIT_USAGE: i32 = 2;

/// Runs `dockside rules` with the arguments after `rules`.
pub fn run_rules(args: &[OsString]) -> i32 {
    let mut json = false;
    let mut args = args.iter().map(|arg| arg.to_string_lossy());
    while let Some(arg) = args.next() {
        let value = match arg.as_ref() {
            "-h" | "--help" => return print(RULES_HELP, "\n"),
            "--format" => args.next().map(|v| v.into_owned()),
            other => match other.strip_prefix("--format=") {
                Some(value) => Some(value.to_string()),
                None => return usage_error("rules", &format!("unexpected argument `{other}`")),
            },
        };
        match value.as_deref() {
            Some("human") => json = false,
            Some("json") => json = true,
            Some(other) => {
                return usage_error(
                    "rules",
                    &format!("unknown format `{other}` (expected one of: human, json)"),
                )
            }
            None => return usage_error("rules", "`--format` needs a value: human, json"),
        }
    }
    let metas: Vec<&RuleMeta> = all_rules().map(|rule| rule.meta()).collect();
    if json {
        print(&render_json(&metas), "")
    } else {
        print(&render_table(&metas), "")
    }
}

/// Runs `dockside explain` with the arguments after `explain`.
pub fn run_explain(args: &[OsString]) -> i32 {
    let names: Vec<String> = args
        .iter()
        .map(|arg| arg.to_string_lossy().into_owned())
        .collect();
    match names.as_slice() {
        [flag] if flag == "-h" || flag == "--help" => print(EXPLAIN_HELP, "\n"),
        [name] => match find_rule_by_name_or_code(name) {
            Some(meta) => print(&render_rule_page(meta), ""),
            None => usage_error("explain", &unknown_rule_message(name)),
        },
        [] => usage_error(
            "explain",
            "name a rule, e.g. `dockside explain UndefinedVar`",
        ),
        [_, extra, ..] => usage_error(
            "explain",
            &format!("one rule at a time (unexpected `{extra}`)"),
        ),
    }
}

fn severity_label(meta: &RuleMeta) -> String {
    if meta.default_enabled {
        meta.severity.as_str().to_string()
    } else {
        format!("off ({})", meta.severity.as_str())
    }
}

/// The table of `dockside rules`: columns padded to their widest cell, the summary last.
pub fn render_table(metas: &[&RuleMeta]) -> String {
    let header = ["NAME", "ORIGIN", "SEVERITY", "HADOLINT", "FIX", "SUMMARY"];
    let rows: Vec<[String; 6]> = metas
        .iter()
        .map(|meta| {
            [
                meta.name.to_string(),
                meta.origin.name().to_string(),
                severity_label(meta),
                meta.hadolint.join(","),
                if meta.fixable { "yes" } else { "no" }.to_string(),
                meta.summary.to_string(),
            ]
        })
        .collect();
    let mut widths = header.map(|cell| cell.chars().count());
    for row in &rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let mut out = String::new();
    let header = header.map(str::to_string);
    for row in std::iter::once(&header).chain(&rows) {
        let mut line = String::new();
        for (column, cell) in row.iter().enumerate() {
            if column + 1 == row.len() {
                line.push_str(cell);
            } else {
                let width = widths.get(column).copied().unwrap_or(0);
                line.push_str(&format!("{cell:<width$}  "));
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

#[derive(Serialize)]
struct JsonRule<'a> {
    name: &'a str,
    origin: &'a str,
    severity: &'a str,
    enabled_by_default: bool,
    hadolint: &'a [&'a str],
    fixable: bool,
    summary: &'a str,
    docs_url: String,
}

/// `dockside rules --format json`: one array, one object per rule, keys in this order.
pub fn render_json(metas: &[&RuleMeta]) -> String {
    let rules: Vec<JsonRule> = metas
        .iter()
        .map(|meta| JsonRule {
            name: meta.name,
            origin: meta.origin.name(),
            severity: meta.severity.as_str(),
            enabled_by_default: meta.default_enabled,
            hadolint: meta.hadolint,
            fixable: meta.fixable,
            summary: meta.summary,
            docs_url: meta.docs_url(),
        })
        .collect();
    let mut text = serde_json::to_string_pretty(&rules).unwrap_or_else(|_| "[]".to_string());
    text.push('\n');
    text
}

fn print(text: &str, end: &str) -> i32 {
    let mut stdout = std::io::stdout().lock();
    match write!(stdout, "{text}{end}").and_then(|()| stdout.flush()) {
        Err(err) if err.kind() != std::io::ErrorKind::BrokenPipe => {
            eprintln!("dockside: cannot write the output: {err}");
            EXIT_USAGE
        }
        _ => EXIT_OK,
    }
}

fn usage_error(command: &str, message: &str) -> i32 {
    eprintln!("dockside {command}: {message}\nRun `dockside {command} --help` for usage.");
    EXIT_USAGE
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::find_rule;

    fn metas(names: &[&str]) -> Vec<&'static RuleMeta> {
        names
            .iter()
            .map(|name| find_rule(name).expect("a rule of this name").meta())
            .collect()
    }

    #[test]
    fn table_columns_are_aligned() {
        let chosen = metas(&[
            "UnterminatedHeredoc",
            "MultipleInstructionsDisallowed",
            "InvalidDefinitionDescription",
        ]);
        assert_eq!(
            render_table(&chosen),
            "\
NAME                            ORIGIN    SEVERITY       HADOLINT              FIX  SUMMARY
UnterminatedHeredoc             syntax    error                                no   A heredoc has no terminator line before the end of the file.
MultipleInstructionsDisallowed  buildkit  warning        DL3012,DL4003,DL4004  no   Multiple instructions of the same type should not be used in the same stage.
InvalidDefinitionDescription    buildkit  off (warning)                        no   Comment for build stage or argument should follow the format: `# <arg/stage name> <description>`.
"
        );
    }

    #[test]
    fn json_lists_every_fact() {
        let chosen = metas(&["ImageTagNotPinned"]);
        assert_eq!(
            render_json(&chosen),
            r#"[
  {
    "name": "ImageTagNotPinned",
    "origin": "image",
    "severity": "warning",
    "enabled_by_default": true,
    "hadolint": [
      "DL3006",
      "DL3007"
    ],
    "fixable": true,
    "summary": "A FROM image without a version tag (`latest` or none), or with a floating .NET tag.",
    "docs_url": "https://github.com/dockside-dev/dockside/blob/main/docs/rules/ImageTagNotPinned.md"
  }
]
"#
        );
    }
}
