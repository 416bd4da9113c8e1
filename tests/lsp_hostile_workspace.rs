//! Hostile workspaces opened through the real binary: symbolic link loops, huge and
//! unreadable project files, XML entity definitions ("billion laughs"), reference cycles,
//! tens of thousands of files, a `.dockerignore` with 10,000 patterns and file names that
//! are not UTF-8. In each, indexing ends, a log line says what was skipped and why, and the
//! server goes on answering with the right diagnostics.

mod support;

use std::os::unix::ffi::OsStrExt;
use std::path::Path;
use std::time::{Duration, Instant};

use serde_json::{json, Value};
use support::{initialize_params, vscode_capabilities, LspClient};

const DOCKERFILE: &str = "FROM mcr.microsoft.com/dotnet/sdk:8.0 AS build
WORKDIR /src
COPY [\"src/Api/Api.csproj\", \"src/Api/\"]
RUN dotnet restore \"src/Api/Api.csproj\"
COPY . .
RUN dotnet publish \"src/Api/Api.csproj\" -c Release -o /app/publish

FROM mcr.microsoft.com/dotnet/aspnet:8.0 AS final
WORKDIR /app
COPY --from=build /app/publish .
ENTRYPOINT [\"dotnet\", \"Api.dll\"]
";

const API_CSPROJ: &str = r#"<Project Sdk="Microsoft.NET.Sdk.Web">
  <PropertyGroup>
    <TargetFramework>net8.0</TargetFramework>
  </PropertyGroup>
</Project>
"#;

fn write(root: &Path, relative: &str, text: &str) {
    let path = root.join(relative);
    std::fs::create_dir_all(path.parent().expect("a parent")).expect("create directories");
    std::fs::write(path, text).expect("write a workspace file");
}

/// A small valid solution: `src/Api/Api.csproj` and the Dockerfile above at the root.
fn solution() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("a temporary directory");
    write(dir.path(), "src/Api/Api.csproj", API_CSPROJ);
    write(dir.path(), "Dockerfile", DOCKERFILE);
    write(dir.path(), ".dockerignore", "**/bin\n**/obj\n");
    dir
}

fn file_uri(path: &Path) -> String {
    format!("file://{}", path.display())
}

/// Starts the server on `root` and waits for the end of indexing; returns the client and
/// the end-of-progress message.
fn index(root: &Path) -> (LspClient, String, Duration) {
    let mut client = LspClient::start();
    let mut params = initialize_params(vscode_capabilities(false));
    params["rootUri"] = json!(file_uri(root));
    params["workspaceFolders"] = json!([{"uri": file_uri(root), "name": "hostile"}]);
    params["capabilities"]["window"] = json!({"workDoneProgress": true});
    let started = Instant::now();
    client
        .request("initialize", params)
        .expect("initialize succeeds");
    client.notify("initialized", json!({}));
    let end = client.wait_for("the end of indexing", |m| {
        m["method"] == "$/progress" && m["params"]["value"]["kind"] == "end"
    });
    let message = end["params"]["value"]["message"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    (client, message, started.elapsed())
}

fn codes(diagnostics: &[Value]) -> Vec<String> {
    let mut codes: Vec<String> = diagnostics
        .iter()
        .filter_map(|d| d["code"].as_str().map(str::to_string))
        .collect();
    codes.sort();
    codes
}

/// Opens the root Dockerfile and returns its diagnostic codes; then checks an outline
/// request is answered (the server keeps serving).
fn open_dockerfile(client: &mut LspClient, root: &Path) -> Vec<String> {
    let uri = file_uri(&root.join("Dockerfile"));
    client.open(&uri, 1, DOCKERFILE);
    let diagnostics = client.diagnostics(&uri, 1);
    let symbols = client.document_symbols(&uri).expect("an outline");
    let names: Vec<&str> = symbols
        .as_array()
        .map(|s| s.iter().filter_map(|s| s["name"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(names, ["build", "final"]);
    codes(&diagnostics)
}

/// The diagnostic codes of DOCKERFILE in the valid solution, for comparison.
fn baseline_codes() -> Vec<String> {
    let dir = solution();
    let (mut client, message, _) = index(dir.path());
    assert!(message.contains(": 1 projects in "), "{message}");
    let codes = open_dockerfile(&mut client, dir.path());
    assert!(client.shutdown_and_exit().success());
    codes
}

#[test]
fn symbolic_link_loops_are_skipped_and_logged() {
    let dir = solution();
    let root = dir.path();
    std::os::unix::fs::symlink(root, root.join("src/loop")).expect("a symlink");
    std::os::unix::fs::symlink("..", root.join("src/Api/up")).expect("a symlink");
    std::os::unix::fs::symlink("a", root.join("b")).expect("a symlink");
    std::os::unix::fs::symlink("b", root.join("a")).expect("a symlink");
    let (mut client, message, _) = index(root);
    assert!(message.contains(": 1 projects in "), "{message}");
    let log = client.log_containing("symbolic link loop");
    assert!(log.starts_with("while indexing: "), "{log}");
    assert_eq!(open_dockerfile(&mut client, root), baseline_codes());
    assert!(client.shutdown_and_exit().success());
}

#[test]
fn a_50_mb_project_file_is_not_read_and_logged() {
    let dir = solution();
    let root = dir.path();
    let mut huge = String::from("<Project Sdk=\"Microsoft.NET.Sdk\">\n<PropertyGroup>\n");
    let line = "    <Description>padding padding padding padding padding padding</Description>\n";
    while huge.len() < 50 * 1024 * 1024 {
        huge.push_str(line);
    }
    huge.push_str("</PropertyGroup>\n</Project>\n");
    write(root, "src/Huge/Huge.csproj", &huge);
    let (mut client, message, _) = index(root);
    let log = client.log_containing("Huge.csproj");
    assert!(log.contains("is larger than"), "{log}");
    assert!(message.contains(" projects in "), "{message}");
    assert_eq!(open_dockerfile(&mut client, root), baseline_codes());
    assert!(client.shutdown_and_exit().success());
}

#[test]
fn xml_entity_definitions_are_never_expanded() {
    let dir = solution();
    let root = dir.path();
    let mut laughs =
        String::from("<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n  <!ENTITY lol0 \"lol\">\n");
    for level in 1..=9 {
        let previous = format!("&lol{};", level - 1).repeat(10);
        laughs.push_str(&format!("  <!ENTITY lol{level} \"{previous}\">\n"));
    }
    laughs.push_str(
        "]>\n<Project Sdk=\"Microsoft.NET.Sdk\">\n  <PropertyGroup>\n    <TargetFramework>&lol9;</TargetFramework>\n  </PropertyGroup>\n</Project>\n",
    );
    write(root, "src/Laughs/Laughs.csproj", &laughs);
    let (mut client, message, elapsed) = index(root);
    let log = client.log_containing("Laughs.csproj");
    assert!(log.to_lowercase().contains("entit"), "{log}");
    assert!(message.contains(" projects in "), "{message}");
    assert!(
        elapsed < Duration::from_secs(60),
        "a billion laughs must not be expanded"
    );
    assert_eq!(open_dockerfile(&mut client, root), baseline_codes());
    assert!(client.shutdown_and_exit().success());
}

#[test]
fn circular_project_references_end_and_are_logged() {
    let dir = solution();
    let root = dir.path();
    let referencing = |other: &str| {
        format!(
            "<Project Sdk=\"Microsoft.NET.Sdk\">\n  <PropertyGroup><TargetFramework>net8.0</TargetFramework></PropertyGroup>\n  <ItemGroup><ProjectReference Include=\"{other}\" /></ItemGroup>\n</Project>\n"
        )
    };
    write(
        root,
        "src/Api/Api.csproj",
        &referencing("../A/A.csproj").replace("Microsoft.NET.Sdk\"", "Microsoft.NET.Sdk.Web\""),
    );
    write(root, "src/A/A.csproj", &referencing("../B/B.csproj"));
    write(root, "src/B/B.csproj", &referencing("../A/A.csproj"));
    write(root, "src/Self/Self.csproj", &referencing("Self.csproj"));
    let (mut client, message, _) = index(root);
    assert!(message.contains(": 4 projects in "), "{message}");
    let log = client.log_containing("circular ProjectReference");
    assert!(
        log.ends_with("circular ProjectReference: A -> B -> A"),
        "{log}"
    );
    let codes = open_dockerfile(&mut client, root);
    assert!(
        !codes.is_empty(),
        "the Dockerfile is still analysed: {codes:?}"
    );
    assert!(client.shutdown_and_exit().success());
}

#[test]
fn twenty_thousand_files_are_indexed_and_the_server_keeps_serving() {
    let dir = solution();
    let root = dir.path();
    for folder in 0..100 {
        let folder_path = root.join(format!("src/Api/wwwroot/lib{folder:03}"));
        std::fs::create_dir_all(&folder_path).expect("a directory");
        for file in 0..200 {
            std::fs::write(folder_path.join(format!("file{file:03}.js")), "x").expect("a file");
        }
    }
    let (mut client, message, _) = index(root);
    assert!(message.contains(": 1 projects in "), "{message}");
    assert_eq!(open_dockerfile(&mut client, root), baseline_codes());
    assert!(client.shutdown_and_exit().success());
}

/// A project file that cannot be read even by root: a named pipe (opening it would block
/// forever), a directory, a dangling symbolic link. Plus, when the tests do not run as
/// root, a file without read permission; as root that file is read and indexed.
#[test]
fn unreadable_project_files_are_skipped_and_logged() {
    let dir = solution();
    let root = dir.path();
    let fifo = root.join("src/Pipe/Pipe.csproj");
    std::fs::create_dir_all(fifo.parent().expect("a parent")).expect("a directory");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("run mkfifo");
    assert!(made.success());
    std::fs::create_dir_all(root.join("src/Dir/Dir.csproj")).expect("a directory");
    std::fs::create_dir_all(root.join("src/Dangling")).expect("a directory");
    std::os::unix::fs::symlink(
        "/nonexistent/Gone.csproj",
        root.join("src/Dangling/Dangling.csproj"),
    )
    .expect("a symlink");
    write(root, "src/Locked/Locked.csproj", API_CSPROJ);
    let locked = root.join("src/Locked/Locked.csproj");
    std::fs::set_permissions(&locked, std::os::unix::fs::PermissionsExt::from_mode(0o000))
        .expect("chmod 000");
    let readable_anyway = std::fs::read(&locked).is_ok();

    let (mut client, message, _) = index(root);
    let pipe_log = client.log_containing("Pipe.csproj");
    assert!(pipe_log.contains("not a regular file"), "{pipe_log}");
    let dangling_log = client.log_containing("Dangling.csproj");
    assert!(
        dangling_log.contains("skipped") || dangling_log.contains("cannot read"),
        "{dangling_log}"
    );
    // Api, Pipe and Locked are project files; the directory and the dangling link are not.
    assert!(message.contains(": 3 projects in "), "{message}");
    if !readable_anyway {
        let locked_log = client.log_containing("Locked.csproj");
        assert!(locked_log.contains("Permission denied"), "{locked_log}");
    }
    assert_eq!(open_dockerfile(&mut client, root), baseline_codes());
    if readable_anyway {
        // Running as root: permissions do not stop the read, and nothing is reported.
        assert!(
            client
                .log_messages
                .iter()
                .all(|(_, m)| !m.contains("Locked.csproj")),
            "{:?}",
            client.log_messages
        );
    }
    assert!(client.shutdown_and_exit().success());
    std::fs::set_permissions(&locked, std::os::unix::fs::PermissionsExt::from_mode(0o644))
        .expect("chmod back");
}

#[test]
fn a_dockerignore_with_10000_patterns_is_matched() {
    let dir = solution();
    let root = dir.path();
    let mut patterns = String::from("**/bin\n**/obj\n");
    for index in 0..4_999 {
        patterns.push_str(&format!(
            "generated/**/part{index}/*.tmp\n!keep{index}[0-9]*\n"
        ));
    }
    assert_eq!(patterns.lines().count(), 10_000);
    write(root, ".dockerignore", &patterns);
    let (mut client, message, _) = index(root);
    // Compiling 10,000 globs takes seconds in a debug build on a loaded machine.
    client.timeout = Duration::from_secs(240);
    assert!(message.contains(": 1 projects in "), "{message}");
    assert_eq!(open_dockerfile(&mut client, root), baseline_codes());
    assert!(client.shutdown_and_exit().success());
}

#[test]
fn file_names_that_are_not_utf8_are_skipped_and_logged() {
    let dir = solution();
    let root = dir.path();
    let bad = root
        .join("src")
        .join(std::ffi::OsStr::from_bytes(b"Bad\xff\xfeName"));
    std::fs::create_dir_all(&bad).expect("a directory with a non-UTF-8 name");
    std::fs::write(bad.join("Bad.csproj"), API_CSPROJ).expect("a project inside it");
    std::fs::write(
        root.join("src")
            .join(std::ffi::OsStr::from_bytes(b"Latin\xe9.csproj")),
        API_CSPROJ,
    )
    .expect("a project with a non-UTF-8 name");
    let (mut client, message, _) = index(root);
    let log = client.log_containing("not valid UTF-8");
    assert!(log.starts_with("while indexing: "), "{log}");
    assert!(message.contains(": 1 projects in "), "{message}");
    assert_eq!(open_dockerfile(&mut client, root), baseline_codes());
    assert!(client.shutdown_and_exit().success());
}

fn mkfifo(path: &Path) {
    let made = std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .expect("run mkfifo");
    assert!(made.success(), "mkfifo {}", path.display());
}

/// Named pipes where the analysis of an open Dockerfile reads files (its `.dockerignore`,
/// `dockside.toml`, `.hadolint.yaml`, a `.pem` in the build context): opening one would
/// block until something writes to it. The analysis does not wait: the Dockerfile gets the
/// diagnostics of a context without `.dockerignore`, and the server keeps answering.
#[test]
fn named_pipes_next_to_the_dockerfile_do_not_block_the_analysis() {
    let dir = solution();
    let root = dir.path();
    std::fs::remove_file(root.join(".dockerignore")).expect("remove .dockerignore");
    for name in [
        ".dockerignore",
        "dockside.toml",
        ".hadolint.yaml",
        "server.pem",
    ] {
        mkfifo(&root.join(name));
    }
    let (mut client, message, _) = index(root);
    assert!(message.contains(": 1 projects in "), "{message}");
    let uri = file_uri(&root.join("Dockerfile"));
    client.open(&uri, 1, DOCKERFILE);
    let with_pipes = codes(&client.diagnostics(&uri, 1));
    let without_dockerignore = {
        let dir = solution();
        std::fs::remove_file(dir.path().join(".dockerignore")).expect("remove .dockerignore");
        let (mut client, _, _) = index(dir.path());
        let codes = open_dockerfile(&mut client, dir.path());
        assert!(client.shutdown_and_exit().success());
        codes
    };
    assert_eq!(with_pipes, without_dockerignore);
    let symbols = client.document_symbols(&uri).expect("an outline");
    assert_eq!(symbols[1]["name"], "final");
    assert!(client.shutdown_and_exit().success());
}
