//! End-to-end tests of `dockside check`: they run the real binary and assert exactly what a
//! user sees on stdout and stderr, and the exit code.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::Command;

struct Outcome {
    code: i32,
    stdout: String,
    stderr: String,
}

fn dockside_in(cwd: &Path, args: &[&str]) -> Outcome {
    let args: Vec<OsString> = args.iter().map(OsString::from).collect();
    dockside_os(cwd, &args)
}

fn dockside_os(cwd: &Path, args: &[OsString]) -> Outcome {
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

/// The checked-in tree of tests/data/cli/tree.
fn data_tree() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/data/cli/tree")
}

/// A fresh, empty directory for one test.
fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("cli_check")
        .join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("create the scratch directory");
    dir
}

fn write(dir: &Path, relative: &str, contents: &[u8]) {
    let path = dir.join(relative);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).expect("create parent directories");
    }
    std::fs::write(path, contents).expect("write a test file");
}

const CLEAN: &[u8] = b"FROM mcr.microsoft.com/dotnet/runtime-deps:10.0.11\n";

#[test]
fn finds_dockerfiles_by_name_and_skips_build_output() {
    let outcome = dockside_in(&data_tree(), &["check", "--show-files"]);
    assert_eq!(outcome.stderr, "");
    assert_eq!(
        outcome.stdout,
        "Dockerfile\napi/Api.Dockerfile\napi/Dockerfile.prod\nweb/containerfile\n"
    );
    assert_eq!(outcome.code, 0);
}

#[test]
fn checks_the_current_directory_by_default() {
    let outcome = dockside_in(&data_tree(), &["check"]);
    assert_eq!(outcome.stderr, "");
    assert_eq!(outcome.stdout, "All checks passed: 4 Dockerfiles\n");
    assert_eq!(outcome.code, 0);
}

#[test]
fn skips_vcs_and_package_directories_unless_named() {
    let dir = scratch("skips");
    for path in [
        ".git/Dockerfile",
        "node_modules/pkg/Dockerfile",
        "src/App/bin/Release/Dockerfile",
        "src/App/obj/Dockerfile",
        "src/App/Dockerfile",
        ".devcontainer/Dockerfile",
    ] {
        write(&dir, path, CLEAN);
    }
    let outcome = dockside_in(&dir, &["check", "--show-files"]);
    assert_eq!(
        outcome.stdout,
        ".devcontainer/Dockerfile\nsrc/App/Dockerfile\n"
    );
    assert_eq!(outcome.code, 0);

    // A skipped directory given explicitly is searched.
    let outcome = dockside_in(
        &dir,
        &["check", "--show-files", "src/App/obj", "node_modules"],
    );
    assert_eq!(
        outcome.stdout,
        "node_modules/pkg/Dockerfile\nsrc/App/obj/Dockerfile\n"
    );
}

#[test]
fn explicit_files_are_checked_whatever_their_name_once_each() {
    let dir = scratch("explicit");
    write(&dir, "build.txt", CLEAN);
    write(&dir, "Dockerfile", CLEAN);
    let outcome = dockside_in(
        &dir,
        &[
            "check",
            "--show-files",
            "build.txt",
            ".",
            "./Dockerfile",
            "Dockerfile",
        ],
    );
    assert_eq!(outcome.stdout, "Dockerfile\nbuild.txt\n");
    let outcome = dockside_in(&dir, &["check", "build.txt", "Dockerfile"]);
    assert_eq!(outcome.stdout, "All checks passed: 2 Dockerfiles\n");
    assert_eq!(outcome.code, 0);
}

#[cfg(unix)]
#[test]
fn follows_file_links_but_not_directory_links() {
    let dir = scratch("links");
    write(&dir, "real/Dockerfile", CLEAN);
    std::os::unix::fs::symlink("..", dir.join("real/loop")).expect("symlink");
    std::os::unix::fs::symlink("real/Dockerfile", dir.join("Dockerfile.linked")).expect("symlink");
    std::os::unix::fs::symlink("missing", dir.join("Dockerfile.dangling")).expect("symlink");
    let outcome = dockside_in(&dir, &["check", "--show-files"]);
    assert_eq!(outcome.stdout, "Dockerfile.linked\nreal/Dockerfile\n");
    assert_eq!(outcome.stderr, "");
    assert_eq!(outcome.code, 0);
}

#[test]
fn missing_path_is_reported_and_the_rest_still_checked() {
    let outcome = dockside_in(&data_tree(), &["check", "no/such/dir", "api"]);
    assert_eq!(
        outcome.stderr,
        "dockside check: no/such/dir: no such file or directory\n"
    );
    assert_eq!(outcome.stdout, "All checks passed: 2 Dockerfiles\n");
    assert_eq!(outcome.code, 2);
}

#[cfg(target_os = "linux")]
#[test]
fn unreadable_file_is_an_io_error() {
    // Reading /proc/self/mem at offset 0 fails with EIO, even for root.
    let outcome = dockside_in(&data_tree(), &["check", "/proc/self/mem", "Dockerfile"]);
    assert_eq!(
        outcome.stderr,
        "dockside check: /proc/self/mem: Input/output error\n"
    );
    assert_eq!(outcome.stdout, "All checks passed: 1 Dockerfile\n");
    assert_eq!(outcome.code, 2);
}

#[cfg(unix)]
#[test]
fn non_utf8_path_argument_is_an_error_not_a_crash() {
    use std::os::unix::ffi::OsStringExt;
    let bad = OsString::from_vec(b"Dockerfile.\xff".to_vec());
    let outcome = dockside_os(&data_tree(), &[OsString::from("check"), bad]);
    assert_eq!(
        outcome.stderr,
        "dockside check: Dockerfile.\u{fffd}: no such file or directory\n"
    );
    assert_eq!(outcome.code, 2);
}

#[test]
fn no_dockerfiles_is_a_warning() {
    let dir = scratch("empty");
    write(&dir, "README.md", b"# nothing here\n");
    let outcome = dockside_in(&dir, &["check"]);
    assert_eq!(
        outcome.stderr,
        "dockside check: warning: no Dockerfiles found under .\n"
    );
    assert_eq!(outcome.stdout, "");
    assert_eq!(outcome.code, 0);

    let outcome = dockside_in(&dir, &["check", "--format", "json"]);
    assert_eq!(outcome.stdout, "[]\n");
    assert_eq!(outcome.code, 0);
}

#[test]
fn usage_errors_exit_2_with_a_clear_message() {
    let outcome = dockside_in(&data_tree(), &["check", "--frobnicate"]);
    assert_eq!(
        outcome.stderr,
        "dockside check: unknown option `--frobnicate`\nRun `dockside check --help` for usage.\n"
    );
    assert_eq!(outcome.stdout, "");
    assert_eq!(outcome.code, 2);

    let outcome = dockside_in(&data_tree(), &["check", "--format", "xml"]);
    assert_eq!(
        outcome.stderr,
        "dockside check: unknown format `xml` (expected one of: human, json, github, sarif, checkstyle, junit)\nRun `dockside check --help` for usage.\n"
    );
    assert_eq!(outcome.code, 2);
}

#[test]
fn help_describes_formats_and_exit_codes() {
    let outcome = dockside_in(&data_tree(), &["check", "--help"]);
    assert_eq!(outcome.code, 0);
    assert!(outcome
        .stdout
        .starts_with("Lint the Dockerfiles under PATHs (default: the current directory).\n"));
    for needle in [
        "--format <FORMAT>",
        "human",
        "json",
        "github",
        "sarif",
        "checkstyle",
        "junit",
        "--severity-threshold <SEVERITY>",
        "Exit status: 0 nothing at or above the threshold, 1 something at or above it,\n2 usage or I/O error.",
    ] {
        assert!(outcome.stdout.contains(needle), "help lacks {needle:?}");
    }
}

#[test]
fn clean_files_in_every_format() {
    let tree = data_tree();
    let json = dockside_in(&tree, &["check", "--format", "json", "api"]);
    assert_eq!((json.code, json.stdout.as_str()), (0, "[]\n"));
    let github = dockside_in(&tree, &["check", "--format=github", "api"]);
    assert_eq!((github.code, github.stdout.as_str()), (0, ""));
    let sarif = dockside_in(&tree, &["check", "--format", "sarif", "api"]);
    assert_eq!(sarif.code, 0);
    let log: serde_json::Value = serde_json::from_str(&sarif.stdout).expect("SARIF is JSON");
    assert_eq!(log["version"], "2.1.0");
    assert_eq!(log["runs"][0]["results"], serde_json::json!([]));
}

/// tests/data/cli: `problems/` holds Dockerfiles with known syntax errors.
fn data_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/data/cli")
}

#[test]
fn human_output_shows_each_problem_with_its_source_line() {
    let outcome = dockside_in(&data_dir(), &["check", "problems"]);
    assert_eq!(outcome.stderr, "");
    assert_eq!(
        outcome.stdout,
        r#"problems/latin1.Dockerfile:2:23: error[InvalidUtf8] the file is not valid UTF-8 (first invalid byte at offset 73); invalid bytes were replaced
  |
2 | LABEL description="caf�"
  |                       ^
  = docs: https://github.com/dockside-dev/dockside/blob/main/docs/rules/InvalidUtf8.md

problems/unterminated.Dockerfile:3:5: error[UnterminatedHeredoc] unterminated heredoc: no line `EOF` ends it before the end of the file
  |
3 | RUN <<EOF
  |     ^^^^^
  = docs: https://github.com/dockside-dev/dockside/blob/main/docs/rules/UnterminatedHeredoc.md

problems/wide.Dockerfile:2:19: error[InvalidKeyValue] Syntax error - can't find = in "version". Must be of the form: name=value
  |
2 | LABEL title="日本🐳" version
  |                      ^^^^^^^
  = docs: https://github.com/dockside-dev/dockside/blob/main/docs/rules/InvalidKeyValue.md

Found 3 problems (3 errors) in 3 files
"#
    );
    assert_eq!(outcome.code, 1);
}

#[test]
fn json_output_has_zero_based_lines_and_utf8_columns() {
    let outcome = dockside_in(
        &data_dir(),
        &[
            "check",
            "--format",
            "json",
            "problems/wide.Dockerfile",
            "problems/unterminated.Dockerfile",
            "problems/clean",
        ],
    );
    assert_eq!(outcome.stderr, "");
    assert_eq!(
        outcome.stdout,
        r#"[
  {
    "file": "problems/unterminated.Dockerfile",
    "range": {
      "start": {
        "line": 2,
        "character": 4
      },
      "end": {
        "line": 2,
        "character": 9
      }
    },
    "severity": "error",
    "code": "UnterminatedHeredoc",
    "message": "unterminated heredoc: no line `EOF` ends it before the end of the file",
    "fixable": false
  },
  {
    "file": "problems/wide.Dockerfile",
    "range": {
      "start": {
        "line": 1,
        "character": 25
      },
      "end": {
        "line": 1,
        "character": 32
      }
    },
    "severity": "error",
    "code": "InvalidKeyValue",
    "message": "Syntax error - can't find = in \"version\". Must be of the form: name=value",
    "fixable": false
  }
]
"#
    );
    assert_eq!(outcome.code, 1);
}

#[test]
fn github_output_is_one_annotation_per_problem() {
    let outcome = dockside_in(
        &data_dir(),
        &["check", "--format", "github", "problems/wide.Dockerfile"],
    );
    assert_eq!(
        outcome.stdout,
        "::error title=Dockside (InvalidKeyValue),file=problems/wide.Dockerfile,line=2,col=19,endLine=2,endColumn=25::problems/wide.Dockerfile:2:19: InvalidKeyValue Syntax error - can't find = in \"version\". Must be of the form: name=value\n"
    );
    assert_eq!(outcome.code, 1);
}

#[test]
fn sarif_output_locates_results_in_utf16_columns() {
    let outcome = dockside_in(&data_dir(), &["check", "--format", "sarif", "problems"]);
    assert_eq!(outcome.code, 1);
    let log: serde_json::Value = serde_json::from_str(&outcome.stdout).expect("SARIF is JSON");
    let run = &log["runs"][0];
    let rules: Vec<&str> = run["tool"]["driver"]["rules"]
        .as_array()
        .expect("rules array")
        .iter()
        .map(|rule| rule["id"].as_str().expect("rule id"))
        .collect();
    assert_eq!(
        rules,
        ["InvalidKeyValue", "InvalidUtf8", "UnterminatedHeredoc"]
    );
    let results = run["results"].as_array().expect("results array");
    assert_eq!(results.len(), 3);
    let wide = &results[2];
    assert_eq!(wide["ruleId"], "InvalidKeyValue");
    assert_eq!(wide["ruleIndex"], 0);
    assert_eq!(wide["level"], "error");
    assert_eq!(
        wide["locations"][0]["physicalLocation"],
        serde_json::json!({
            "artifactLocation": { "uri": "problems/wide.Dockerfile" },
            "region": { "startLine": 2, "startColumn": 20, "endLine": 2, "endColumn": 27 }
        })
    );
}

#[test]
fn io_trouble_outranks_problems_in_the_exit_code() {
    let outcome = dockside_in(
        &data_dir(),
        &[
            "check",
            "--format",
            "json",
            "problems/unterminated.Dockerfile",
            "gone",
        ],
    );
    assert_eq!(
        outcome.stderr,
        "dockside check: gone: no such file or directory\n"
    );
    let diagnostics: serde_json::Value =
        serde_json::from_str(&outcome.stdout).expect("stdout stays one JSON document");
    assert_eq!(diagnostics.as_array().map(Vec::len), Some(1));
    assert_eq!(outcome.code, 2);
}

#[test]
fn colour_only_when_asked_or_on_a_terminal() {
    let plain = dockside_in(&data_dir(), &["check", "problems/unterminated.Dockerfile"]);
    assert!(!plain.stdout.contains('\u{1b}'));
    let coloured = dockside_in(
        &data_dir(),
        &[
            "check",
            "--color=always",
            "problems/unterminated.Dockerfile",
        ],
    );
    assert!(coloured
        .stdout
        .starts_with("\u{1b}[1mproblems/unterminated.Dockerfile\u{1b}[0m:3:5: \u{1b}[1;31merror[UnterminatedHeredoc]\u{1b}[0m"));
}

fn sarif_validator() -> jsonschema::Validator {
    let path = data_dir().join("../sarif/sarif-schema-2.1.0.json");
    let text = std::fs::read_to_string(&path).expect("the SARIF schema is checked in");
    let schema: serde_json::Value = serde_json::from_str(&text).expect("the schema is JSON");
    jsonschema::draft4::options()
        .should_validate_formats(true)
        .build(&schema)
        .expect("the SARIF 2.1.0 schema compiles")
}

#[test]
fn sarif_output_validates_against_the_official_schema() {
    let validator = sarif_validator();
    // The validator does reject what breaks the schema.
    let broken = serde_json::json!({
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": { "name": "x" } },
            "results": [{ "message": { "text": "m" }, "level": "fatal" }]
        }]
    });
    assert!(!validator.is_valid(&broken));
    // ... and checks Draft 4 formats (`$schema` must be a URI). Draft 4 has no
    // `uri-reference`, so artifact URIs are checked by the unit tests of the SARIF writer.
    let bad_schema_uri =
        serde_json::json!({ "$schema": "not a uri", "version": "2.1.0", "runs": [] });
    assert!(!validator.is_valid(&bad_schema_uri));

    let absolute = data_dir()
        .join("problems/wide.Dockerfile")
        .canonicalize()
        .expect("the fixture exists");
    let absolute = absolute.to_str().expect("a UTF-8 path");
    let runs: [&[&str]; 3] = [
        &["check", "--format", "sarif", "problems"],
        &["check", "--format", "sarif", "problems/clean"],
        &["check", "--format", "sarif", absolute],
    ];
    for args in runs {
        let outcome = dockside_in(&data_dir(), args);
        let log: serde_json::Value = serde_json::from_str(&outcome.stdout).expect("SARIF is JSON");
        let errors: Vec<String> = validator
            .iter_errors(&log)
            .map(|error| format!("{} at {}", error, error.instance_path()))
            .collect();
        assert_eq!(errors, Vec::<String>::new(), "{args:?}");
    }
}
