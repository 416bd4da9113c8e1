//! `docs/parity.md` must stay true to the code: every rule Dockside has is mentioned, every
//! rule it mentions exists, every BuildKit check, rcjsuen validator code and hadolint rule
//! has a row, a hadolint code a rule claims (`RuleMeta::hadolint`) is answered by that rule,
//! and no row is a "todo".

use std::collections::BTreeSet;
use std::path::Path;

use dockside::rules::{all_rules, find_rule, Origin};

fn parity() -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/parity.md");
    std::fs::read_to_string(&path).unwrap_or_else(|err| panic!("{}: {err}", path.display()))
}

/// The text between the heading `## {title}` and the next `## ` heading.
fn section<'a>(doc: &'a str, title: &str) -> &'a str {
    let heading = format!("\n## {title}\n");
    let start = doc
        .find(&heading)
        .unwrap_or_else(|| panic!("docs/parity.md has no section `## {title}`"))
        + heading.len();
    let rest = &doc[start..];
    &rest[..rest.find("\n## ").unwrap_or(rest.len())]
}

/// Table rows (not the header or the separator) as cells.
fn rows(text: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let mut in_table = false;
    for line in text.lines() {
        if !line.starts_with('|') {
            in_table = false;
            continue;
        }
        if line.starts_with("|---") {
            in_table = true;
            continue;
        }
        if in_table {
            let cells = line
                .trim_matches('|')
                .split(" | ")
                .map(|cell| cell.trim().to_string())
                .collect();
            rows.push(cells);
        }
    }
    rows
}

/// The rules a text links to as `[Name](rules/Name.md)`.
fn linked_rules(text: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find("](rules/") {
        let after = &rest[at + 8..];
        if let Some(end) = after.find(".md)") {
            names.push(after[..end].to_string());
        }
        rest = after;
    }
    names
}

#[test]
fn every_rule_is_mentioned_and_every_mention_is_a_rule() {
    let doc = parity();
    let linked: BTreeSet<String> = linked_rules(&doc).into_iter().collect();
    for name in &linked {
        let rule =
            find_rule(name).unwrap_or_else(|| panic!("parity.md links `{name}`, no such rule"));
        assert_eq!(
            rule.meta().name,
            name,
            "parity.md spells `{name}` differently"
        );
    }
    let missing: Vec<&str> = all_rules()
        .map(|rule| rule.meta().name)
        .filter(|name| !linked.contains(*name))
        .collect();
    assert!(missing.is_empty(), "parity.md does not mention {missing:?}");
    // Each link text is the rule name itself.
    let mut rest = doc.as_str();
    while let Some(at) = rest.find("](rules/") {
        let before = &rest[..at];
        let text = &before[before.rfind('[').map_or(0, |i| i + 1)..];
        let after = &rest[at + 8..];
        let target = &after[..after.find(".md)").unwrap_or(0)];
        assert_eq!(text, target, "a link to rules/{target}.md reads `{text}`");
        rest = after;
    }
}

#[test]
fn no_row_is_a_todo() {
    let doc = parity();
    let table_rows = doc.lines().enumerate().filter(|(_, l)| l.starts_with('|'));
    for (number, line) in table_rows {
        let lower = line.to_ascii_lowercase();
        assert!(
            !(lower.contains("todo") || lower.contains("tbd") || lower.contains("fixme")),
            "line {} of parity.md is a todo: {line}",
            number + 1
        );
    }
}

#[test]
fn every_buildkit_check_has_its_rule() {
    let doc = parity();
    let table = rows(section(&doc, "BuildKit build checks"));
    let first_cells: Vec<&str> = table.iter().map(|row| row[0].as_str()).collect();
    let checks: Vec<&str> = all_rules()
        .map(|rule| rule.meta())
        .filter(|meta| meta.origin == Origin::BuildKit)
        .map(|meta| meta.name)
        .collect();
    assert_eq!(checks.len(), 22, "BuildKit has 22 checks");
    let expected: Vec<String> = checks.iter().map(|name| format!("`{name}`")).collect();
    assert_eq!(first_cells, expected, "one row per check, in rule order");
    for (row, name) in table.iter().zip(&checks) {
        assert_eq!(
            linked_rules(&row[1]).first().map(String::as_str),
            Some(*name),
            "the {name} row names Dockside's rule first"
        );
        let meta = find_rule(name).expect("a BuildKit rule").meta();
        let severity = if meta.default_enabled {
            meta.severity.as_str().to_string()
        } else {
            format!("off ({})", meta.severity.as_str())
        };
        assert_eq!(row[2], severity, "the {name} row's default severity");
    }
}

/// `ValidationCode` of dockerfile-utils 0.16.3 (`lib/main.d.ts`); 48 has two names.
const RCJSUEN_CODES: [&str; 53] = [
    "CASING_INSTRUCTION",
    "CASING_DIRECTIVE",
    "ARGUMENT_MISSING",
    "ARGUMENT_EXTRA",
    "ARGUMENT_REQUIRES_ONE",
    "ARGUMENT_REQUIRES_AT_LEAST_ONE",
    "ARGUMENT_REQUIRES_TWO",
    "ARGUMENT_REQUIRES_AT_LEAST_TWO",
    "ARGUMENT_REQUIRES_ONE_OR_THREE",
    "ARGUMENT_UNNECESSARY",
    "DUPLICATE_BUILD_STAGE_NAME",
    "EMPTY_CONTINUATION_LINE",
    "INVALID_BUILD_STAGE_NAME",
    "FLAG_AT_LEAST_ONE",
    "FLAG_DUPLICATE",
    "FLAG_INVALID_DURATION",
    "FLAG_LESS_THAN_1MS",
    "FLAG_MISSING_DURATION",
    "FLAG_MISSING_VALUE",
    "FLAG_UNKNOWN_UNIT",
    "NO_SOURCE_IMAGE",
    "INVALID_ESCAPE_DIRECTIVE",
    "INVALID_AS",
    "INVALID_DESTINATION",
    "INVALID_PORT",
    "INVALID_PROTO",
    "INVALID_REFERENCE_FORMAT",
    "INVALID_SIGNAL",
    "INVALID_SYNTAX",
    "ONBUILD_CHAINING_DISALLOWED",
    "ONBUILD_TRIGGER_DISALLOWED",
    "SHELL_JSON_FORM",
    "SHELL_REQUIRES_ONE",
    "SYNTAX_MISSING_EQUALS",
    "SYNTAX_MISSING_NAMES",
    "SYNTAX_MISSING_SINGLE_QUOTE",
    "SYNTAX_MISSING_DOUBLE_QUOTE",
    "MULTIPLE_INSTRUCTIONS",
    "UNKNOWN_INSTRUCTION",
    "UNKNOWN_ADD_FLAG",
    "UNKNOWN_COPY_FLAG",
    "UNKNOWN_FROM_FLAG",
    "UNKNOWN_HEALTHCHECK_FLAG",
    "UNKNOWN_TYPE",
    "UNSUPPORTED_MODIFIER",
    "DEPRECATED_MAINTAINER",
    "HEALTHCHECK_CMD_ARGUMENT_MISSING",
    "FLAG_INVALID_FROM_VALUE",
    "FLAG_EXPECTED_BOOLEAN_VALUE",
    "JSON_IN_SINGLE_QUOTES",
    "WORKDIR_IS_NOT_ABSOLUTE",
    "BASE_NAME_EMPTY",
    "DUPLICATED_ESCAPE_DIRECTIVE",
];

#[test]
fn every_rcjsuen_validator_code_has_a_row() {
    let doc = parity();
    let table = rows(section(&doc, "rcjsuen validator errors"));
    for (index, code) in RCJSUEN_CODES.iter().enumerate() {
        let row = table
            .get(index)
            .unwrap_or_else(|| panic!("no row for {code}"));
        assert!(
            row[1].starts_with(&format!("`{code}`")),
            "row {index} is {:?}, expected {code}",
            row[1]
        );
        let answer = &row[row.len() - 1];
        assert!(
            !linked_rules(answer).is_empty() || answer.contains("not applicable, because"),
            "{code}: no Dockside rule and no reason: {answer}"
        );
    }
    assert_eq!(table.len(), RCJSUEN_CODES.len(), "one row per code");
}

/// hadolint's DL rules (2.15.1): DL1001, DL3000-DL3067 and DL4000-DL4006, including the
/// numbers hadolint has retired.
fn hadolint_codes() -> Vec<String> {
    let mut codes = vec!["DL1001".to_string()];
    codes.extend((3000..=3067).map(|n| format!("DL{n}")));
    codes.extend((4000..=4006).map(|n| format!("DL{n}")));
    codes
}

#[test]
fn every_hadolint_rule_has_a_row_and_claimed_codes_name_their_rule() {
    let doc = parity();
    let table = rows(section(&doc, "hadolint rules"));
    let codes = hadolint_codes();
    let dl_rows: Vec<&Vec<String>> = table.iter().filter(|r| r[0].starts_with("DL")).collect();
    let firsts: Vec<&str> = dl_rows.iter().map(|r| r[0].as_str()).collect();
    assert_eq!(firsts, codes, "one row per DL code, in order");
    for row in &dl_rows {
        let code = &row[0];
        let answer = &row[row.len() - 1];
        let claimers: Vec<&str> = all_rules()
            .map(|rule| rule.meta())
            .filter(|meta| meta.covers_hadolint_code(code))
            .map(|meta| meta.name)
            .collect();
        let linked = linked_rules(answer);
        for claimer in &claimers {
            assert!(
                linked.iter().any(|l| l == claimer),
                "{code} is claimed by {claimer}, but its row says: {answer}"
            );
        }
        if claimers.is_empty() {
            assert!(
                answer.contains("not applicable, because")
                    || answer.contains("not implemented, because")
                    || answer.starts_with("partly"),
                "{code}: no rule claims it, so the row must say why: {answer}"
            );
            if answer.starts_with("partly") {
                assert!(!linked.is_empty(), "{code}: `partly` names no rule");
            }
        }
    }
    assert!(
        table.iter().any(|r| r[0].starts_with("SC")),
        "a row for ShellCheck's SC rules"
    );
}

#[test]
fn every_peer_server_capability_has_a_status() {
    let doc = parity();
    let features = section(&doc, "Editor features");
    let table = rows(features);
    assert!(table.len() >= 40, "the editor capability tables");
    for row in table {
        let status = &row[row.len() - 1];
        assert!(
            [
                "**done**",
                "**differs**",
                "**elsewhere**",
                "**not planned**",
                "**partly**"
            ]
            .iter()
            .any(|word| status.starts_with(word)),
            "capability {:?} has no status word: {status}",
            row[0]
        );
    }
}
