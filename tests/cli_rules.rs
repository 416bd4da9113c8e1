//! End-to-end tests of the CI options of `dockside check` (`--format checkstyle|junit`,
//! `--severity-threshold`, `--select`, `--ignore`) and of `dockside rules` and
//! `dockside explain`, through the real binary, asserting exactly what a user sees.

use std::path::{Path, PathBuf};
use std::process::Command;

struct Outcome {
    code: i32,
    stdout: String,
    stderr: String,
}

fn dockside_in(cwd: &Path, args: &[&str]) -> Outcome {
    let output = Command::new(env!("CARGO_BIN_EXE_dockside"))
        .args(args)
        .current_dir(cwd)
        .env_remove("NO_COLOR")
        .output()
        .expect("the dockside binary runs");
    Outcome {
        code: output.status.code().expect("dockside exits normally"),
        stdout: String::from_utf8(output.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(output.stderr).expect("stderr is UTF-8"),
    }
}

/// A fresh directory with two Dockerfiles: `Dockerfile` has four warnings (StageNameCasing,
/// WorkdirRelativePath, MultipleInstructionsDisallowed, JSONArgsRecommended), `quiet.Dockerfile`
/// one info (ApkNoCache).
fn project(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("cli_rules")
        .join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("create the scratch directory");
    std::fs::write(
        dir.join("Dockerfile"),
        "FROM alpine:3.20 AS Build\nWORKDIR app\nCMD echo \"<hi> & bye\"\nCMD [\"a\"]\n",
    )
    .expect("write Dockerfile");
    std::fs::write(
        dir.join("quiet.Dockerfile"),
        "FROM alpine:3.20\nRUN apk add curl\n",
    )
    .expect("write quiet.Dockerfile");
    dir
}

fn repo_file(relative: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join(relative);
    std::fs::read_to_string(&path).unwrap_or_else(|err| panic!("{}: {err}", path.display()))
}

#[test]
fn checkstyle_report() {
    let outcome = dockside_in(&project("checkstyle"), &["check", "--format", "checkstyle"]);
    assert_eq!(outcome.stderr, "");
    assert_eq!(
        outcome.stdout,
        r#"<?xml version="1.0" encoding="UTF-8"?>
<checkstyle version="4.3">
  <file name="Dockerfile">
    <error line="1" column="21" severity="warning" message="Stage name &apos;Build&apos; should be lowercase" source="StageNameCasing"/>
    <error line="2" column="9" severity="warning" message="Relative workdir &quot;app&quot; can have unexpected results if the base image changes" source="WorkdirRelativePath"/>
    <error line="3" column="1" severity="warning" message="Multiple CMD instructions should not be used in the same stage because only the last one will be used" source="MultipleInstructionsDisallowed"/>
    <error line="3" column="5" severity="warning" message="JSON arguments recommended for CMD to prevent unintended behavior related to OS signals" source="JSONArgsRecommended"/>
  </file>
  <file name="quiet.Dockerfile">
    <error line="2" column="5" severity="info" message="Use the `--no-cache` switch to avoid the need to use `--update` and remove `/var/cache/apk/*` when done installing packages" source="ApkNoCache"/>
  </file>
</checkstyle>
"#
    );
    assert_eq!(outcome.code, 0);
}

#[test]
fn junit_report() {
    let outcome = dockside_in(
        &project("junit"),
        &["check", "--format=junit", "--select", "StageNameCasing"],
    );
    assert_eq!(outcome.stderr, "");
    assert_eq!(
        outcome.stdout,
        r#"<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="dockside" tests="2" failures="1" errors="0">
  <testsuite name="Dockerfile" tests="1" failures="1" errors="0">
    <testcase classname="Dockerfile" name="StageNameCasing at 1:21">
      <failure type="warning" message="Stage name &apos;Build&apos; should be lowercase">Dockerfile:1:21: warning[StageNameCasing] Stage name &apos;Build&apos; should be lowercase&#10;docs: https://docs.docker.com/go/dockerfile/rule/stage-name-casing/</failure>
    </testcase>
  </testsuite>
  <testsuite name="quiet.Dockerfile" tests="1" failures="0" errors="0">
    <testcase classname="quiet.Dockerfile" name="dockside check"/>
  </testsuite>
</testsuites>
"#
    );
    assert_eq!(outcome.code, 0);
}

#[test]
fn severity_threshold_decides_the_exit_code() {
    let dir = project("threshold");
    let code = |args: &[&str]| {
        let mut all = vec!["check", "--format", "json"];
        all.extend_from_slice(args);
        let outcome = dockside_in(&dir, &all);
        assert_eq!(outcome.stderr, "");
        outcome.code
    };
    // Warnings and an info: nothing reaches the default threshold (error).
    assert_eq!(code(&[]), 0);
    assert_eq!(code(&["--severity-threshold", "error"]), 0);
    assert_eq!(code(&["--severity-threshold", "warning"]), 1);
    assert_eq!(code(&["--severity-threshold=hint"]), 1);
    // Only the info remains in quiet.Dockerfile.
    assert_eq!(
        code(&["--severity-threshold", "warning", "quiet.Dockerfile"]),
        0
    );
    assert_eq!(
        code(&["--severity-threshold", "info", "quiet.Dockerfile"]),
        1
    );
    // The threshold counts what remains after --ignore.
    assert_eq!(
        code(&[
            "--severity-threshold",
            "warning",
            "--ignore",
            "stagenamecasing,DL3000,DL4003,JSONArgsRecommended"
        ]),
        0
    );

    let outcome = dockside_in(&dir, &["check", "--severity-threshold", "style"]);
    assert_eq!(
        outcome.stderr,
        "dockside check: unknown severity `style` (expected error, warning, info or hint)\nRun `dockside check --help` for usage.\n"
    );
    assert_eq!((outcome.code, outcome.stdout.as_str()), (2, ""));
}

#[test]
fn select_and_ignore_take_names_and_dl_codes_in_any_case() {
    let dir = project("select");
    let codes = |args: &[&str]| {
        let mut all = vec!["check", "--format", "github"];
        all.extend_from_slice(args);
        let outcome = dockside_in(&dir, &all);
        assert_eq!(outcome.stderr, "");
        outcome
            .stdout
            .lines()
            .map(|line| {
                let start = line.find("title=Dockside (").map_or(0, |i| i + 16);
                let end = line[start..].find(')').map_or(start, |i| start + i);
                line[start..end].to_string()
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(
        codes(&["--select", "dl3000,ApkNoCache"]),
        ["WorkdirRelativePath", "ApkNoCache"]
    );
    assert_eq!(
        codes(&["--select=DL4003", "--select", "workdirrelativepath"]),
        ["WorkdirRelativePath", "MultipleInstructionsDisallowed"]
    );
    assert_eq!(
        codes(&["--ignore", "DL3019,StageNameCasing,DL3025"]),
        ["WorkdirRelativePath", "MultipleInstructionsDisallowed"]
    );
    assert_eq!(
        codes(&["--select", "DL3000,DL3019", "--ignore", "ApkNoCache"]),
        ["WorkdirRelativePath"]
    );
}

#[test]
fn select_turns_on_an_experimental_check() {
    let dir = project("experimental");
    std::fs::write(
        dir.join("Dockerfile"),
        "FROM alpine:3.20\n# the app version\nARG APP_VERSION=1\n",
    )
    .expect("write Dockerfile");
    let default = dockside_in(&dir, &["check", "--format", "json", "Dockerfile"]);
    assert_eq!((default.code, default.stdout.as_str()), (0, "[]\n"));
    let selected = dockside_in(
        &dir,
        &[
            "check",
            "--format",
            "github",
            "--select",
            "InvalidDefinitionDescription",
            "Dockerfile",
        ],
    );
    assert_eq!(selected.stderr, "");
    assert_eq!(
        selected.stdout,
        "::warning title=Dockside (InvalidDefinitionDescription),file=Dockerfile,line=3,col=5,endLine=3,endColumn=15::Dockerfile:3:5: InvalidDefinitionDescription Comment for ARG should follow the format: `# APP_VERSION <description>`\n"
    );
}

#[test]
fn unknown_rule_names_are_usage_errors_with_a_suggestion() {
    let dir = project("unknown");
    let outcome = dockside_in(&dir, &["check", "--select", "UndefinedVr"]);
    assert_eq!(
        outcome.stderr,
        "dockside check: --select: unknown rule `UndefinedVr`; did you mean `UndefinedVar`?\nRun `dockside check --help` for usage.\n"
    );
    assert_eq!((outcome.code, outcome.stdout.as_str()), (2, ""));
    let outcome = dockside_in(&dir, &["check", "--ignore=DL3013"]);
    assert_eq!(
        outcome.stderr,
        "dockside check: --ignore: no Dockside rule covers hadolint's `DL3013` (docs/parity.md says why)\nRun `dockside check --help` for usage.\n"
    );
    assert_eq!(outcome.code, 2);
}

#[test]
fn rules_lists_every_rule_in_a_table() {
    let outcome = dockside_in(&project("rules"), &["rules"]);
    assert_eq!(outcome.stderr, "");
    assert_eq!(outcome.code, 0);
    let lines: Vec<&str> = outcome.stdout.lines().collect();
    let index = repo_file("docs/rules/README.md");
    let documented = index.lines().filter(|l| l.starts_with("| [")).count();
    assert_eq!(
        lines.len(),
        documented + 1,
        "a header and one line per rule"
    );
    let name_width = "MultipleInstructionsDisallowed".len().max(
        lines
            .iter()
            .skip(1)
            .filter_map(|l| l.split_whitespace().next())
            .map(str::len)
            .max()
            .unwrap_or(0),
    );
    let row = |cells: &str| {
        let (name, rest) = cells.split_once(' ').unwrap_or((cells, ""));
        format!("{name:<name_width$}  {rest}")
    };
    assert_eq!(
        lines[0],
        row("NAME ORIGIN      SEVERITY       HADOLINT              FIX  SUMMARY")
    );
    for expected in [
        "UnterminatedHeredoc syntax      error                                no   A heredoc has no terminator line before the end of the file.",
        "MultipleInstructionsDisallowed buildkit    warning        DL3012,DL4003,DL4004  no   Multiple instructions of the same type should not be used in the same stage.",
        "InvalidDefinitionDescription buildkit    off (warning)                        no   Comment for build stage or argument should follow the format: `# <arg/stage name> <description>`.",
        "AddInsteadOfCopy hadolint    error          DL3020                yes  ADD is used for plain files or folders; COPY is meant for that.",
    ] {
        let expected = row(expected);
        assert!(lines.contains(&expected.as_str()), "no line {expected:?}");
    }
}

#[test]
fn rules_as_json() {
    let outcome = dockside_in(&project("rules_json"), &["rules", "--format", "json"]);
    assert_eq!((outcome.code, outcome.stderr.as_str()), (0, ""));
    let rules: Vec<serde_json::Value> =
        serde_json::from_str(&outcome.stdout).expect("an array of rules");
    let index = repo_file("docs/rules/README.md");
    for line in index.lines().filter(|l| l.starts_with("| [")) {
        let name = &line[3..line.find(']').unwrap_or(3)];
        assert!(
            rules.iter().any(|r| r["name"] == name),
            "{name} is documented but not listed"
        );
    }
    let stage_self = rules
        .iter()
        .find(|r| r["name"] == "StageSelfReference")
        .expect("StageSelfReference is listed");
    assert_eq!(
        *stage_self,
        serde_json::json!({
            "name": "StageSelfReference",
            "origin": "validation",
            "severity": "error",
            "enabled_by_default": true,
            "hadolint": ["DL3023"],
            "fixable": false,
            "summary": "A stage depends on itself, directly or through other stages.",
            "docs_url": "https://github.com/dockside-dev/dockside/blob/main/docs/rules/StageSelfReference.md"
        })
    );
    let bad = dockside_in(&project("rules_bad"), &["rules", "--format", "xml"]);
    assert_eq!(
        bad.stderr,
        "dockside rules: unknown format `xml` (expected one of: human, json)\nRun `dockside rules --help` for usage.\n"
    );
    assert_eq!(bad.code, 2);
}

#[test]
fn explain_prints_the_rule_page() {
    let dir = project("explain");
    for name in [
        "WorkdirRelativePath",
        "workdirrelativepath",
        "DL3000",
        "dl3000",
    ] {
        let outcome = dockside_in(&dir, &["explain", name]);
        assert_eq!((outcome.code, outcome.stderr.as_str()), (0, ""));
        assert_eq!(
            outcome.stdout,
            repo_file("docs/rules/WorkdirRelativePath.md")
        );
    }
    let outcome = dockside_in(&dir, &["explain", "DL4004"]);
    assert_eq!(
        outcome.stdout,
        repo_file("docs/rules/MultipleInstructionsDisallowed.md")
    );

    let outcome = dockside_in(&dir, &["explain", "StageNameCasin"]);
    assert_eq!(
        outcome.stderr,
        "dockside explain: unknown rule `StageNameCasin`; did you mean `StageNameCasing`?\nRun `dockside explain --help` for usage.\n"
    );
    assert_eq!((outcome.code, outcome.stdout.as_str()), (2, ""));
    let outcome = dockside_in(&dir, &["explain"]);
    assert_eq!(
        outcome.stderr,
        "dockside explain: name a rule, e.g. `dockside explain UndefinedVar`\nRun `dockside explain --help` for usage.\n"
    );
    assert_eq!(outcome.code, 2);
}

#[test]
fn the_command_line_wins_over_dockside_toml() {
    let dir = project("toml");
    std::fs::write(
        dir.join("dockside.toml"),
        "[rules]\nignore = [\"StageNameCasing\"]\n",
    )
    .expect("write dockside.toml");
    let codes = |args: &[&str]| {
        let mut all = vec!["check", "--format", "checkstyle", "Dockerfile"];
        all.extend_from_slice(args);
        let outcome = dockside_in(&dir, &all);
        assert_eq!(outcome.stderr, "");
        outcome
            .stdout
            .lines()
            .filter_map(|line| line.split("source=\"").nth(1))
            .map(|rest| rest.trim_end_matches("\"/>").to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(
        codes(&[]),
        [
            "WorkdirRelativePath",
            "MultipleInstructionsDisallowed",
            "JSONArgsRecommended"
        ]
    );
    assert_eq!(codes(&["--select", "StageNameCasing"]), ["StageNameCasing"]);
}
