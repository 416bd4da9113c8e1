//! `dockside check --fix`, `--diff` and `--unsafe-fixes` through the real binary: what is
//! printed, what is written, and the exit codes.

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
        .env("NO_COLOR", "1")
        .output()
        .expect("the dockside binary runs");
    Outcome {
        code: output.status.code().expect("dockside exits normally"),
        stdout: String::from_utf8(output.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(output.stderr).expect("stderr is UTF-8"),
    }
}

fn scratch(name: &str, dockerfile: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("cli_fix")
        .join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("create the scratch directory");
    std::fs::write(dir.join("Dockerfile"), dockerfile).expect("write the Dockerfile");
    dir
}

fn read(dir: &Path) -> String {
    std::fs::read_to_string(dir.join("Dockerfile")).expect("read the Dockerfile")
}

fn codes(json: &str) -> Vec<String> {
    let value: serde_json::Value = serde_json::from_str(json).expect("JSON output");
    value
        .as_array()
        .expect("an array of diagnostics")
        .iter()
        .map(|d| d["code"].as_str().unwrap_or_default().to_string())
        .collect()
}

const DOCKERFILE: &str = "# syntax=docker/dockerfile:1\r\nFROM alpine:3.20 AS tools\r\nCMD ./tool --verbose\r\n\r\nFROM alpine:3.20\r\nENTRYPOINT ./app\r\nCMD [\"--port\", \"8080\"]\r\n";

#[test]
fn diff_prints_the_safe_fixes_and_writes_nothing() {
    let dir = scratch("diff", DOCKERFILE);
    let outcome = dockside_in(&dir, &["check", "--diff", "Dockerfile"]);
    assert_eq!(
        outcome.stdout,
        "--- a/Dockerfile\n+++ b/Dockerfile\n@@ -1,6 +1,6 @@\n # syntax=docker/dockerfile:1\r\n FROM alpine:3.20 AS tools\r\n-CMD ./tool --verbose\r\n+CMD [\"./tool\", \"--verbose\"]\r\n \r\n FROM alpine:3.20\r\n ENTRYPOINT ./app\r\n"
    );
    assert_eq!(outcome.code, 1, "{}", outcome.stderr);
    assert_eq!(read(&dir), DOCKERFILE);
}

#[test]
fn fix_writes_the_safe_fixes_keeps_crlf_and_reports_the_rest() {
    let dir = scratch("fix", DOCKERFILE);
    let outcome = dockside_in(&dir, &["check", "--fix", "--format", "json", "Dockerfile"]);
    assert_eq!(
        read(&dir),
        "# syntax=docker/dockerfile:1\r\nFROM alpine:3.20 AS tools\r\nCMD [\"./tool\", \"--verbose\"]\r\n\r\nFROM alpine:3.20\r\nENTRYPOINT ./app\r\nCMD [\"--port\", \"8080\"]\r\n"
    );
    assert_eq!(
        outcome.stderr,
        "Fixed 1 problem in Dockerfile (JSONArgsRecommended)\n"
    );
    // The ENTRYPOINT's fix would make the CMD its arguments: it waits for --unsafe-fixes.
    assert_eq!(
        codes(&outcome.stdout)
            .iter()
            .filter(|c| *c == "JSONArgsRecommended")
            .count(),
        1
    );

    let again = dockside_in(&dir, &["check", "--diff", "Dockerfile"]);
    assert_eq!((again.code, again.stdout.as_str()), (0, ""));

    let outcome = dockside_in(
        &dir,
        &[
            "check",
            "--fix",
            "--unsafe-fixes",
            "--format",
            "json",
            "Dockerfile",
        ],
    );
    assert!(
        read(&dir).contains("ENTRYPOINT [\"./app\"]\r\n"),
        "{}",
        read(&dir)
    );
    assert!(!codes(&outcome.stdout).contains(&"JSONArgsRecommended".to_string()));
}

/// `--build-arg BUILDKIT_DOCKERFILE_CHECK=...` replaces the file's `# check=` directive, as
/// it does in `docker build`; so does `[build-args]` in dockside.toml.
#[test]
fn the_check_build_argument_replaces_the_directive() {
    let dir = scratch(
        "build-arg",
        "# check=skip=JSONArgsRecommended\nFROM alpine:3.20\nCMD ./app\nMAINTAINER me\n",
    );
    let plain = dockside_in(&dir, &["check", "--format", "json", "Dockerfile"]);
    let codes_plain = codes(&plain.stdout);
    assert!(
        codes_plain.contains(&"MaintainerDeprecated".to_string()),
        "{codes_plain:?}"
    );
    assert!(!codes_plain.contains(&"JSONArgsRecommended".to_string()));

    let with_arg = dockside_in(
        &dir,
        &[
            "check",
            "--format",
            "json",
            "--build-arg",
            "BUILDKIT_DOCKERFILE_CHECK=skip=MaintainerDeprecated",
            "Dockerfile",
        ],
    );
    let codes_arg = codes(&with_arg.stdout);
    assert!(
        codes_arg.contains(&"JSONArgsRecommended".to_string()),
        "{codes_arg:?}"
    );
    assert!(!codes_arg.contains(&"MaintainerDeprecated".to_string()));

    std::fs::write(
        dir.join("dockside.toml"),
        "[build-args]\nBUILDKIT_DOCKERFILE_CHECK = \"skip=MaintainerDeprecated\"\n",
    )
    .expect("write dockside.toml");
    let with_config = dockside_in(&dir, &["check", "--format", "json", "Dockerfile"]);
    assert_eq!(codes(&with_config.stdout), codes_arg);

    let bad = dockside_in(&dir, &["check", "--build-arg", "NOVALUE", "Dockerfile"]);
    assert_eq!(bad.code, 2);
    assert!(
        bad.stderr
            .contains("`--build-arg NOVALUE` needs the form NAME=VALUE"),
        "{}",
        bad.stderr
    );
}
