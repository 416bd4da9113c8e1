//! Image hovers and size inlay hints through the real binary, as VS Code asks for them
//! (UTF-16 positions). "Today" is fixed with `DOCKSIDE_TODAY` so support statuses are stable.

mod support;

use serde_json::{json, Value};
use support::{edit, find, range, vscode_capabilities, Enc, LspClient};

const URI: &str = "file:///work/app/Dockerfile";
const TODAY: &str = "2026-11-26";

const DOCKERFILE: &str = "# syntax=docker/dockerfile:1
ARG DOTNET=10.0
FROM mcr.microsoft.com/dotnet/sdk:${DOTNET} AS build
FROM mcr.microsoft.com/dotnet/aspnet:10.0-noble-chiseled AS base
FROM base AS final
FROM --platform=linux/arm64 mcr.microsoft.com/dotnet/runtime-deps:10.0-alpine AS aot
FROM mcr.microsoft.com/dotnet/aspnet:6.0-bullseye-slim AS old
FROM nginx:1.27 AS proxy
";

const SDK: &str = "**.NET SDK 10.0.400** on Ubuntu 24.04 (noble), glibc

Tag `10.0` follows each 10.0 patch. Platforms: amd64, arm64, arm32.
Resolved from `mcr.microsoft.com/dotnet/sdk:${DOTNET}`.

- Size: 312.2 MB amd64, 304.4 MB arm64 compressed
- Shell: /bin/bash · package manager: apt
- User: root; non-root `app` (UID 1654) available via `USER $APP_UID`
- Port: 8080
- ICU: yes · tzdata: yes
- Support: .NET 10.0 (LTS): supported until 2028-11-14

Smaller alternatives (amd64):
- `10.0-alpine`: 271.3 MB, -41 MB, musl

_Sizes as of 2026-08: compressed download, 1 MB = 1024² bytes._

[Registry page](https://mcr.microsoft.com/product/dotnet/sdk/about)
";

const CHISELED: &str = "**ASP.NET Core 10.0.11 runtime** on Ubuntu 24.04 chiseled (noble), glibc

Tag `10.0-noble-chiseled` follows each 10.0 patch. Platforms: amd64, arm64, arm32.

- Size: 52.6 MB amd64, 49.0 MB arm64 compressed
- Shell: none (exec form only) · package manager: none
- User: non-root `app` (UID 1654, `$APP_UID`)
- Port: 8080
- ICU: no (globalization-invariant mode) · tzdata: no
- Entrypoint: `[\"/usr/bin/dotnet\"]` · CMD `[\"--info\"]`
- Support: .NET 10.0 (LTS): supported until 2028-11-14

_Sizes as of 2026-08: compressed download, 1 MB = 1024² bytes._

[Registry page](https://mcr.microsoft.com/product/dotnet/aspnet/about)
";

const ALPINE_DEPS: &str = "**.NET 10.0.11 runtime dependencies** on Alpine 3.24, musl

Tag `10.0-alpine` follows each 10.0 patch. Platforms: amd64, arm64, arm32.

- Size: 4.7 MB amd64, 5.0 MB arm64 compressed
- Shell: /bin/sh (busybox ash) · package manager: apk
- User: root; non-root `app` (UID 1654) available via `USER $APP_UID`
- Port: 8080
- ICU: no (globalization-invariant mode) · tzdata: no
- Support: .NET 10.0 (LTS): supported until 2028-11-14

_Sizes as of 2026-08: compressed download, 1 MB = 1024² bytes._

[Registry page](https://mcr.microsoft.com/product/dotnet/runtime-deps/about)
";

const OUT_OF_SUPPORT: &str = "**ASP.NET Core 6.0 runtime** on Debian 11 slim (bullseye), glibc

Tag `6.0-bullseye-slim`: `bullseye-slim` images for .NET 6.0 were published 2021-02-16 to 2024-11-12 and are no longer updated. No sizes or contents are recorded for retired images.

- Support: .NET 6.0 (LTS): out of support since 2024-11-12
- Use instead: `10.0`

_Image catalog as of 2026-08._

[Registry page](https://mcr.microsoft.com/product/dotnet/aspnet/about)
";

/// Not a catalog image: the generic image hover answers.
const NGINX: &str = "**Image** `nginx:1.27`\n\n[Registry page](https://hub.docker.com/_/nginx)";

fn client() -> LspClient {
    let mut client = LspClient::start_with_env(&["lsp"], &[("DOCKSIDE_TODAY", TODAY)]);
    let result = client.initialize(vscode_capabilities(false));
    assert_eq!(result["capabilities"]["hoverProvider"], true);
    assert_eq!(result["capabilities"]["inlayHintProvider"], true);
    client
}

fn hover(client: &mut LspClient, text: &str, needle: &str) -> Value {
    let (start, _) = find(text, needle, Enc::Utf16);
    // Inside the word, one character in.
    let position = json!({"line": start.0, "character": start.1 + 1});
    client
        .request(
            "textDocument/hover",
            json!({"textDocument": {"uri": URI}, "position": position}),
        )
        .expect("hover succeeds")
}

/// The expected hover: `markdown` over the first word of `needle`.
fn markdown_hover(markdown: &str, text: &str, needle: &str) -> Value {
    let (start, _) = find(text, needle, Enc::Utf16);
    let word = needle.split(' ').next().unwrap_or(needle);
    let end = (start.0, start.1 + word.encode_utf16().count() as u32);
    json!({
        "contents": {"kind": "markdown", "value": markdown},
        "range": range(start, end),
    })
}

#[test]
fn hovers_on_from_images_show_exact_facts_and_sizes() {
    let mut client = client();
    client.open(URI, 1, DOCKERFILE);
    let text = DOCKERFILE;
    let cases = [
        ("mcr.microsoft.com/dotnet/sdk:${DOTNET}", SDK.to_string()),
        (
            "mcr.microsoft.com/dotnet/aspnet:10.0-noble-chiseled",
            CHISELED.to_string(),
        ),
        (
            "base AS final",
            format!("Derives from stage `base`.\n\n{CHISELED}"),
        ),
        (
            "mcr.microsoft.com/dotnet/runtime-deps:10.0-alpine",
            ALPINE_DEPS.to_string(),
        ),
        (
            "mcr.microsoft.com/dotnet/aspnet:6.0-bullseye-slim",
            OUT_OF_SUPPORT.to_string(),
        ),
        ("nginx:1.27", NGINX.to_string()),
    ];
    for (needle, markdown) in cases {
        assert_eq!(
            hover(&mut client, text, needle),
            markdown_hover(&markdown, text, needle),
            "{needle}"
        );
    }
    // Elsewhere the other hovers answer (here the FROM instruction's documentation).
    let elsewhere = hover(&mut client, text, "AS build");
    let value = elsewhere["contents"]["value"].as_str().unwrap_or_default();
    assert!(value.starts_with("**FROM**\n"), "{value}");
    // A document that is not open.
    let unknown = client
        .request(
            "textDocument/hover",
            json!({"textDocument": {"uri": "file:///nowhere/Dockerfile"}, "position": {"line": 0, "character": 0}}),
        )
        .expect("hover succeeds");
    assert_eq!(unknown, Value::Null);
    assert!(client.shutdown_and_exit().success());
}

fn inlay_hints(client: &mut LspClient) -> Value {
    client
        .request(
            "textDocument/inlayHint",
            json!({"textDocument": {"uri": URI}, "range": range((0, 0), (100, 0))}),
        )
        .expect("inlay hints succeed")
}

fn hint(line: u32, character: u32, label: &str, image: &str, platform: &str) -> Value {
    json!({
        "position": {"line": line, "character": character},
        "label": label,
        "paddingLeft": true,
        "tooltip": format!("Compressed size of {image} for {platform} (what a pull downloads), as of 2026-08"),
    })
}

const SDK_IMAGE: &str = "mcr.microsoft.com/dotnet/sdk:10.0";
const DEPS_IMAGE: &str = "mcr.microsoft.com/dotnet/runtime-deps:10.0-alpine";

#[test]
fn inlay_hints_show_the_size_for_the_platform_and_follow_edits() {
    let mut client = client();
    client.open(URI, 1, DOCKERFILE);
    // runtime-deps:10.0-alpine is 4.7 MB on amd64; its stage asks for linux/arm64.
    assert_eq!(
        inlay_hints(&mut client),
        json!([
            hint(2, 43, "≈ 312 MB", SDK_IMAGE, "linux/amd64"),
            hint(
                3,
                56,
                "≈ 53 MB",
                "mcr.microsoft.com/dotnet/aspnet:10.0-noble-chiseled",
                "linux/amd64"
            ),
            hint(5, 77, "≈ 5.0 MB", DEPS_IMAGE, "linux/arm64"),
        ])
    );
    // Switch the runtime image to Alpine: the hint follows.
    let (start, end) = find(DOCKERFILE, "noble-chiseled", Enc::Utf16);
    client.change(URI, 2, vec![edit(start, end, "alpine")]);
    client.diagnostics(URI, 2);
    assert_eq!(
        inlay_hints(&mut client),
        json!([
            hint(2, 43, "≈ 312 MB", SDK_IMAGE, "linux/amd64"),
            hint(
                3,
                48,
                "≈ 52 MB",
                "mcr.microsoft.com/dotnet/aspnet:10.0-alpine",
                "linux/amd64"
            ),
            hint(5, 77, "≈ 5.0 MB", DEPS_IMAGE, "linux/arm64"),
        ])
    );
    assert!(client.shutdown_and_exit().success());
}

/// The labels (and details) the server offers at the end of `text`'s last line.
fn completion_labels(client: &mut LspClient, text: &str, version: i64) -> Vec<(String, String)> {
    client.open(URI, version, text);
    let last = text.lines().count() as u32 - 1;
    let column = text.lines().last().unwrap_or("").encode_utf16().count() as u32;
    let result = client
        .request(
            "textDocument/completion",
            json!({"textDocument": {"uri": URI}, "position": {"line": last, "character": column}}),
        )
        .expect("completion succeeds");
    let items = result
        .get("items")
        .cloned()
        .unwrap_or(result)
        .as_array()
        .cloned()
        .unwrap_or_default();
    client.close(URI);
    items
        .iter()
        .map(|i| {
            (
                i["label"].as_str().unwrap_or_default().to_string(),
                i["detail"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

#[test]
fn image_names_and_tags_complete_offline_from_the_catalog() {
    let mut client = client();
    let repositories = completion_labels(&mut client, "# 🐳\nFROM mcr.microsoft.com/dotnet/asp", 1);
    assert!(
        repositories
            .iter()
            .any(|(label, _)| label == "mcr.microsoft.com/dotnet/aspnet"),
        "{repositories:?}"
    );
    let tags = completion_labels(
        &mut client,
        "# 🐳\nFROM mcr.microsoft.com/dotnet/aspnet:10.0-noble-ch",
        2,
    );
    let labels: Vec<&str> = tags.iter().map(|(l, _)| l.as_str()).collect();
    for expected in ["10.0-noble-chiseled", "10.0-noble-chiseled-extra"] {
        assert!(
            labels.contains(&expected),
            "{expected} missing from {labels:?}"
        );
    }
    assert!(
        labels.iter().all(|l| l.starts_with("10.0-noble-ch")),
        "only tags with the typed prefix: {labels:?}"
    );
    client.shutdown_and_exit();
}
