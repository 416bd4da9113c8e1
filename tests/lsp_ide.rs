//! Editor features through the real `dockside lsp` binary: completion (and resolve), hover,
//! signature help, definition, references, highlights, rename, semantic tokens, folding,
//! selection ranges, links, formatting, code lens and workspace symbols. Every test runs
//! under both position encodings, on text with non-ASCII characters before the positions
//! that matter, so UTF-8 and UTF-16 columns differ.

mod support;

use serde_json::{json, Value};
use support::{position_of, range, Enc, LspClient};

const URI: &str = "file:///work/app/Dockerfile";

/// Line numbers in comments: the tests below rely on them.
const DOCKERFILE: &str = concat!(
    "# syntax=docker/dockerfile:1\n",                       // 0
    "ARG DOTNET=9.0\n",                                     // 1
    "FROM mcr.microsoft.com/dotnet/sdk:$DOTNET AS build\n", // 2
    "ENV OUT=/app/publish\n",                               // 3
    "RUN echo \"日本語🐳\" $OUT && dotnet publish src/App.csproj -c Release -o $OUT\n", // 4
    "FROM mcr.microsoft.com/dotnet/aspnet:$DOTNET AS final\n", // 5
    "LABEL title=\"🐳\" stage=final\n",                     // 6
    "RUN --mount=type=cache,target=/🐳,from=build echo \"🐳\" $DOTNET\n", // 7
    "COPY --from=build /app/publish .\n",                   // 8
    "RUN <<EOF\n",                                          // 9
    "echo \"🐳 $HOME\"\n",                                  // 10
    "EOF\n",                                                // 11
    "ENTRYPOINT [\"dotnet\", \"App.dll\"]\n",               // 12
);

const ENCODINGS: [Enc; 2] = [Enc::Utf8, Enc::Utf16];

fn start(enc: Enc) -> LspClient {
    let mut client = LspClient::initialized(enc == Enc::Utf8);
    client.open(URI, 1, DOCKERFILE);
    client
}

/// Byte offset of the `nth` (0-based) occurrence of `needle`.
fn nth(text: &str, needle: &str, n: usize) -> usize {
    let mut from = 0;
    for _ in 0..n {
        from += text[from..].find(needle).expect("needle") + needle.len();
    }
    from + text[from..]
        .find(needle)
        .unwrap_or_else(|| panic!("{needle:?} #{n}"))
}

fn pos(text: &str, offset: usize, enc: Enc) -> Value {
    let (line, character) = position_of(text, offset, enc);
    json!({"line": line, "character": character})
}

/// The LSP range of the `nth` occurrence of `needle`, narrowed to `inner` inside it.
fn range_in(text: &str, needle: &str, n: usize, inner: &str, enc: Enc) -> Value {
    let start = nth(text, needle, n) + needle.find(inner).expect("inner in needle");
    range(
        position_of(text, start, enc),
        position_of(text, start + inner.len(), enc),
    )
}

fn at(text: &str, needle: &str, n: usize, delta: usize, enc: Enc) -> Value {
    json!({"textDocument": {"uri": URI}, "position": pos(text, nth(text, needle, n) + delta, enc)})
}

#[test]
fn completion_and_resolve() {
    for enc in ENCODINGS {
        let mut client = start(enc);
        // After `$` in `$OUT` (behind non-ASCII text): the stage's ENV, then proxy ARGs.
        let result = client
            .request(
                "textDocument/completion",
                at(DOCKERFILE, "$OUT &&", 0, 1, enc),
            )
            .unwrap();
        let items = result["items"].as_array().unwrap();
        assert_eq!(items.len(), 11, "{enc:?}");
        assert_eq!(
            items[0],
            json!({
                "label": "OUT",
                "kind": 6,
                "detail": "ENV = /app/publish",
                "sortText": "0000",
                "insertTextFormat": 1,
                "textEdit": {"range": range_in(DOCKERFILE, "$OUT &&", 0, "OUT", enc), "newText": "OUT"},
            }),
            "{enc:?}"
        );
        assert_eq!(items[1]["label"], "HTTP_PROXY");
        // Keywords on an empty line, with the JSON-form snippets; resolve adds the docs.
        let end = pos(DOCKERFILE, DOCKERFILE.len(), enc);
        let result = client
            .request(
                "textDocument/completion",
                json!({"textDocument": {"uri": URI}, "position": end}),
            )
            .unwrap();
        let items = result["items"].as_array().unwrap();
        let cmd_json = items
            .iter()
            .find(|i| i["label"] == "CMD" && i["labelDetails"]["detail"] == " [\"executable\"]")
            .unwrap();
        assert_eq!(
            cmd_json,
            &json!({
                "label": "CMD",
                "labelDetails": {"detail": " [\"executable\"]"},
                "kind": 15,
                "sortText": cmd_json["sortText"],
                "filterText": "CMD",
                "insertTextFormat": 2,
                "textEdit": {"range": {"start": end, "end": end}, "newText": "CMD [\"${1:executable}\"]"},
                "data": {"docKey": {"Instruction": "CMD"}},
            })
        );
        let resolved = client
            .request("completionItem/resolve", cmd_json.clone())
            .unwrap();
        let doc = resolved["documentation"]["value"].as_str().unwrap();
        assert!(doc.starts_with("**CMD**\n\n```dockerfile\nCMD [\"<executable>\", \"<param>\", ...]\nCMD <command>\n```"), "{doc}");
        assert_eq!(resolved["documentation"]["kind"], "markdown");
        // Flags of the instruction at the cursor, stage names after --from=.
        let result = client
            .request(
                "textDocument/completion",
                at(DOCKERFILE, "--from=build /app", 0, 7, enc),
            )
            .unwrap();
        let labels: Vec<&str> = result["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["label"].as_str().unwrap())
            .collect();
        assert_eq!(labels, ["build"]);
        assert!(client.shutdown_and_exit().success());
    }
}

#[test]
fn hover_and_signature_help() {
    for enc in ENCODINGS {
        let mut client = start(enc);
        let hover = client
            .request("textDocument/hover", at(DOCKERFILE, "$OUT &&", 0, 2, enc))
            .unwrap();
        assert_eq!(
            hover,
            json!({
                "contents": {"kind": "markdown", "value": "**ENV OUT** = `/app/publish`\n\nSet by `ENV OUT=/app/publish` (line 4)"},
                "range": range_in(DOCKERFILE, "$OUT &&", 0, "OUT", enc),
            }),
            "{enc:?}"
        );
        let hover = client
            .request("textDocument/hover", at(DOCKERFILE, "--mount", 0, 3, enc))
            .unwrap();
        assert_eq!(
            hover["range"],
            range_in(
                DOCKERFILE,
                "--mount=type=cache,target=/🐳,from=build",
                0,
                "--mount=type=cache,target=/🐳,from=build",
                enc
            )
        );
        assert!(hover["contents"]["value"]
            .as_str()
            .unwrap()
            .starts_with("**RUN --mount=type=<type>[,<option>=<value>...]**"));
        // The catalog describes .NET images.
        let hover = client
            .request(
                "textDocument/hover",
                at(DOCKERFILE, "dotnet/aspnet", 0, 8, enc),
            )
            .unwrap();
        assert!(
            hover["contents"]["value"]
                .as_str()
                .unwrap()
                .contains("ASP.NET Core"),
            "{hover}"
        );
        // Signature help after non-ASCII text: LABEL's value.
        let help = client
            .request(
                "textDocument/signatureHelp",
                at(DOCKERFILE, "stage=final", 0, 6, enc),
            )
            .unwrap();
        assert_eq!(
            help,
            json!({
                "signatures": [{
                    "label": "LABEL <key>=<value> ...",
                    "documentation": {"kind": "markdown", "value": "Adds metadata."},
                    "parameters": [
                        {"label": [6, 11], "documentation": {"kind": "markdown", "value": "The label key, e.g. `org.opencontainers.image.title`."}},
                        {"label": [12, 19], "documentation": {"kind": "markdown", "value": "The label value; quote it if it has spaces."}},
                    ],
                }],
                "activeSignature": 0,
                "activeParameter": 1,
            })
        );
        // JSON form: the second element of ENTRYPOINT.
        let help = client
            .request(
                "textDocument/signatureHelp",
                at(DOCKERFILE, "\"App.dll\"", 0, 2, enc),
            )
            .unwrap();
        assert_eq!(help["activeSignature"], 0);
        assert_eq!(
            help["signatures"][0]["label"],
            "ENTRYPOINT [\"<executable>\", \"<param>\", ...]"
        );
        assert_eq!(help["activeParameter"], 1);
        assert!(client.shutdown_and_exit().success());
    }
}

#[test]
fn definition_references_highlights_and_rename() {
    for enc in ENCODINGS {
        let mut client = start(enc);
        let build_def = range_in(DOCKERFILE, "AS build", 0, "build", enc);
        let definition = client
            .request(
                "textDocument/definition",
                at(DOCKERFILE, "from=build echo", 0, 6, enc),
            )
            .unwrap();
        assert_eq!(
            definition,
            json!([{"uri": URI, "range": build_def}]),
            "{enc:?}"
        );
        let references = client
            .request(
                "textDocument/references",
                json!({"textDocument": {"uri": URI}, "position": pos(DOCKERFILE, nth(DOCKERFILE, "AS build", 0) + 4, enc), "context": {"includeDeclaration": true}}),
            )
            .unwrap();
        assert_eq!(
            references,
            json!([
                {"uri": URI, "range": build_def},
                {"uri": URI, "range": range_in(DOCKERFILE, "from=build echo", 0, "build", enc)},
                {"uri": URI, "range": range_in(DOCKERFILE, "--from=build", 0, "build", enc)},
            ])
        );
        let highlights = client
            .request(
                "textDocument/documentHighlight",
                at(DOCKERFILE, "$OUT &&", 0, 1, enc),
            )
            .unwrap();
        assert_eq!(
            highlights,
            json!([
                {"range": range_in(DOCKERFILE, "ENV OUT", 0, "OUT", enc), "kind": 3},
                {"range": range_in(DOCKERFILE, "$OUT &&", 0, "OUT", enc), "kind": 2},
                {"range": range_in(DOCKERFILE, "-o $OUT", 0, "OUT", enc), "kind": 2},
            ])
        );
        let prepared = client
            .request(
                "textDocument/prepareRename",
                at(DOCKERFILE, "-o $OUT", 0, 5, enc),
            )
            .unwrap();
        assert_eq!(
            prepared,
            json!({"range": range_in(DOCKERFILE, "-o $OUT", 0, "OUT", enc), "placeholder": "OUT"})
        );
        let mut params = at(DOCKERFILE, "-o $OUT", 0, 5, enc);
        params["newName"] = json!("PUBLISH_DIR");
        let edit = client.request("textDocument/rename", params).unwrap();
        assert_eq!(
            edit,
            json!({"changes": {URI: [
                {"range": range_in(DOCKERFILE, "ENV OUT", 0, "OUT", enc), "newText": "PUBLISH_DIR"},
                {"range": range_in(DOCKERFILE, "$OUT &&", 0, "OUT", enc), "newText": "PUBLISH_DIR"},
                {"range": range_in(DOCKERFILE, "-o $OUT", 0, "OUT", enc), "newText": "PUBLISH_DIR"},
            ]}})
        );
        // `$DOTNET` in the final stage has no `ARG DOTNET` there: nothing to rename.
        let error = client
            .request(
                "textDocument/prepareRename",
                at(DOCKERFILE, "$DOTNET\n", 0, 2, enc),
            )
            .unwrap_err();
        assert_eq!(
            error,
            json!({"code": -32803, "message": "no ARG or ENV declares `DOTNET` here, so there is nothing to rename"})
        );
        let mut params = at(DOCKERFILE, "AS build", 0, 4, enc);
        params["newName"] = json!("Final");
        let error = client.request("textDocument/rename", params).unwrap_err();
        assert_eq!(error["message"], "a stage named `final` already exists");
        // Heredoc delimiters.
        let highlights = client
            .request(
                "textDocument/documentHighlight",
                at(DOCKERFILE, "<<EOF", 0, 3, enc),
            )
            .unwrap();
        assert_eq!(
            highlights,
            json!([
                {"range": range_in(DOCKERFILE, "<<EOF", 0, "EOF", enc), "kind": 3},
                {"range": range_in(DOCKERFILE, "\nEOF\n", 0, "EOF", enc), "kind": 3},
            ])
        );
        assert!(client.shutdown_and_exit().success());
    }
}

/// Semantic tokens decoded to (line, column, length, type name, modifier bits).
fn decode(data: &Value) -> Vec<(u32, u32, u32, &'static str, u32)> {
    const TYPES: [&str; 11] = [
        "keyword",
        "comment",
        "parameter",
        "property",
        "class",
        "variable",
        "string",
        "type",
        "macro",
        "operator",
        "number",
    ];
    let data: Vec<u32> = data
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_u64().unwrap() as u32)
        .collect();
    let (mut line, mut col) = (0, 0);
    data.chunks(5)
        .map(|t| {
            if t[0] > 0 {
                line += t[0];
                col = t[1];
            } else {
                col += t[1];
            }
            (line, col, t[2], TYPES[t[3] as usize], t[4])
        })
        .collect()
}

/// The expected token of `inner`, found at the start of `context` inside the `nth` `needle`,
/// in `enc` units.
fn token_in(
    needle: &str,
    n: usize,
    context: &str,
    inner: &str,
    kind: &'static str,
    mods: u32,
    enc: Enc,
) -> (u32, u32, u32, &'static str, u32) {
    let start =
        nth(DOCKERFILE, needle, n) + needle.find(context).unwrap() + context.find(inner).unwrap();
    let (line, col) = position_of(DOCKERFILE, start, enc);
    let (_, end) = position_of(DOCKERFILE, start + inner.len(), enc);
    (line, col, end - col, kind, mods)
}

fn token(
    needle: &str,
    n: usize,
    inner: &str,
    kind: &'static str,
    mods: u32,
    enc: Enc,
) -> (u32, u32, u32, &'static str, u32) {
    token_in(needle, n, inner, inner, kind, mods, enc)
}

#[test]
fn semantic_tokens_full_and_range() {
    for enc in ENCODINGS {
        let mut client = start(enc);
        let full = client
            .request(
                "textDocument/semanticTokens/full",
                json!({"textDocument": {"uri": URI}}),
            )
            .unwrap();
        let tokens = decode(&full["data"]);
        let line4: Vec<_> = tokens.iter().copied().filter(|t| t.0 == 4).collect();
        assert_eq!(
            line4,
            [
                token("RUN echo", 0, "RUN", "keyword", 0, enc),
                token("$OUT &&", 0, "$OUT", "variable", 0, enc),
                token("-o $OUT", 0, "$OUT", "variable", 0, enc),
            ],
            "{enc:?}"
        );
        let line7: Vec<_> = tokens.iter().copied().filter(|t| t.0 == 7).collect();
        let mount = "--mount=type=cache,target=/🐳,from=build";
        assert_eq!(
            line7,
            [
                token("RUN --mount", 0, "RUN", "keyword", 0, enc),
                token(mount, 0, "--mount", "parameter", 0, enc),
                token_in(mount, 0, "=type", "=", "operator", 0, enc),
                token(mount, 0, "type", "property", 0, enc),
                token_in(mount, 0, "=cache", "=", "operator", 0, enc),
                token(mount, 0, "cache", "string", 0, enc),
                token(mount, 0, "target", "property", 0, enc),
                token_in(mount, 0, "=/🐳", "=", "operator", 0, enc),
                token(mount, 0, "/🐳", "string", 0, enc),
                token(mount, 0, "from", "property", 0, enc),
                token_in(mount, 0, "=build", "=", "operator", 0, enc),
                token(mount, 0, "build", "class", 0, enc),
                token("$DOTNET\n", 0, "$DOTNET", "variable", 0, enc),
            ]
        );
        // The heredoc body is a string around its variable, per line.
        let line10: Vec<_> = tokens.iter().copied().filter(|t| t.0 == 10).collect();
        assert_eq!(
            line10,
            [
                token("echo \"🐳 $HOME\"", 0, "echo \"🐳 ", "string", 0, enc),
                token("echo \"🐳 $HOME\"", 0, "$HOME", "variable", 0, enc),
                token_in("echo \"🐳 $HOME\"", 0, "HOME\"", "\"", "string", 0, enc),
            ]
        );
        let ranged = client
            .request(
                "textDocument/semanticTokens/range",
                json!({"textDocument": {"uri": URI}, "range": range((6, 0), (7, 0))}),
            )
            .unwrap();
        assert_eq!(
            decode(&ranged["data"]),
            [
                token("LABEL title", 0, "LABEL", "keyword", 0, enc),
                token("title=", 0, "title", "property", 0, enc),
                token("title=", 0, "=", "operator", 0, enc),
                token("\"🐳\" stage", 0, "\"🐳\"", "string", 0, enc),
                token("stage=final", 0, "stage", "property", 0, enc),
                token("stage=final", 0, "=", "operator", 0, enc),
                token("stage=final", 0, "final", "string", 0, enc),
            ]
        );
        assert!(client.shutdown_and_exit().success());
    }
}

#[test]
fn folding_selection_links_and_code_lens() {
    for enc in ENCODINGS {
        let mut client = start(enc);
        let folds = client
            .request(
                "textDocument/foldingRange",
                json!({"textDocument": {"uri": URI}}),
            )
            .unwrap();
        assert_eq!(
            folds,
            json!([
                {"startLine": 2, "endLine": 4, "kind": "region"},
                {"startLine": 5, "endLine": 12, "kind": "region"},
                {"startLine": 9, "endLine": 11, "kind": "region"},
            ])
        );
        let selection = client
            .request(
                "textDocument/selectionRange",
                json!({"textDocument": {"uri": URI}, "positions": [pos(DOCKERFILE, nth(DOCKERFILE, "/🐳,", 0) + 1, enc)]}),
            )
            .unwrap();
        let mount = "--mount=type=cache,target=/🐳,from=build";
        let chain: Vec<Value> = {
            let mut chain = Vec::new();
            let mut node = &selection[0];
            while !node.is_null() {
                chain.push(node["range"].clone());
                node = &node["parent"];
            }
            chain
        };
        let line7_start = nth(DOCKERFILE, "RUN --mount", 0);
        let line7_end = nth(DOCKERFILE, "$DOTNET\n", 0) + 7;
        assert_eq!(
            chain,
            [
                range_in(DOCKERFILE, mount, 0, "target=/🐳", enc),
                range_in(
                    DOCKERFILE,
                    mount,
                    0,
                    "type=cache,target=/🐳,from=build",
                    enc
                ),
                range_in(DOCKERFILE, mount, 0, mount, enc),
                range(
                    position_of(DOCKERFILE, line7_start, enc),
                    position_of(DOCKERFILE, line7_end, enc)
                ),
                range(
                    position_of(
                        DOCKERFILE,
                        nth(DOCKERFILE, "FROM mcr.microsoft.com/dotnet/aspnet", 0),
                        enc
                    ),
                    (12, 32)
                ),
                range((0, 0), (13, 0)),
            ],
            "{enc:?}"
        );
        let links = client
            .request(
                "textDocument/documentLink",
                json!({"textDocument": {"uri": URI}}),
            )
            .unwrap();
        assert_eq!(
            links,
            json!([
                {"range": range_in(DOCKERFILE, "mcr.microsoft.com/dotnet/sdk:$DOTNET", 0, "mcr.microsoft.com/dotnet/sdk:$DOTNET", enc), "target": "https://mcr.microsoft.com/product/dotnet/sdk/about", "tooltip": "Open the image's registry page"},
                {"range": range_in(DOCKERFILE, "mcr.microsoft.com/dotnet/aspnet:$DOTNET", 0, "mcr.microsoft.com/dotnet/aspnet:$DOTNET", enc), "target": "https://mcr.microsoft.com/product/dotnet/aspnet/about", "tooltip": "Open the image's registry page"},
            ])
        );
        let lenses = client
            .request(
                "textDocument/codeLens",
                json!({"textDocument": {"uri": URI}}),
            )
            .unwrap();
        let titles: Vec<(Value, &str)> = lenses
            .as_array()
            .unwrap()
            .iter()
            .map(|l| {
                (
                    l["range"]["start"].clone(),
                    l["command"]["title"].as_str().unwrap(),
                )
            })
            .collect();
        assert_eq!(titles.len(), 5, "{lenses}");
        assert!(
            titles[0]
                .1
                .starts_with("base image mcr.microsoft.com/dotnet/sdk:9.0 · "),
            "{}",
            titles[0].1
        );
        assert!(titles[0].1.ends_with(" MB"), "{}", titles[0].1);
        assert_eq!(
            titles[1],
            (json!({"line": 2, "character": 0}), "used by final")
        );
        assert_eq!(
            titles[2],
            (
                pos(DOCKERFILE, nth(DOCKERFILE, "publish src", 0), enc),
                "publishes src/App.csproj · Release"
            )
        );
        assert_eq!(
            titles[4],
            (json!({"line": 5, "character": 0}), "final stage")
        );
        assert!(client.shutdown_and_exit().success());
    }
}

#[test]
fn formatting_document_range_and_on_type() {
    const MESSY: &str =
        "from alpine\nlabel a=\"日本語🐳\"   \nrun echo 🐳 \\\necho two \\\n   && done\n\n\n";
    for enc in ENCODINGS {
        let mut client = LspClient::initialized(enc == Enc::Utf8);
        let uri = "file:///work/app/messy.Dockerfile";
        client.open(uri, 1, MESSY);
        let doc = json!({"uri": uri});
        let options = json!({"tabSize": 4, "insertSpaces": true});
        let edits = client
            .request(
                "textDocument/formatting",
                json!({"textDocument": doc, "options": options}),
            )
            .unwrap();
        let at = |offset: usize| {
            let (line, character) = position_of(MESSY, offset, enc);
            (line, character)
        };
        let trailing = nth(MESSY, "   \nrun", 0);
        assert_eq!(
            edits,
            json!([
                {"range": range((0, 0), (0, 4)), "newText": "FROM"},
                {"range": range((1, 0), (1, 5)), "newText": "LABEL"},
                {"range": range(at(trailing), at(trailing + 3)), "newText": ""},
                {"range": range((2, 0), (2, 3)), "newText": "RUN"},
                {"range": range((3, 0), (3, 0)), "newText": "    "},
                {"range": range((4, 0), (4, 0)), "newText": "    "},
                {"range": range((4, 10), (7, 0)), "newText": "\n"},
            ]),
            "{enc:?}"
        );
        let edits = client
            .request(
                "textDocument/rangeFormatting",
                json!({"textDocument": doc, "range": range((1, 0), (1, 3)), "options": options}),
            )
            .unwrap();
        assert_eq!(
            edits,
            json!([
                {"range": range((1, 0), (1, 5)), "newText": "LABEL"},
                {"range": range(at(trailing), at(trailing + 3)), "newText": ""},
            ])
        );
        // Enter after the continuation on line 2 (the RUN line): one indentation unit.
        let edits = client
            .request(
                "textDocument/onTypeFormatting",
                json!({"textDocument": doc, "position": {"line": 3, "character": 0}, "ch": "\n", "options": options}),
            )
            .unwrap();
        assert_eq!(
            edits,
            json!([{"range": range((3, 0), (3, 0)), "newText": "    "}])
        );
        assert!(client.shutdown_and_exit().success());
    }
}

#[test]
fn workspace_symbols_over_open_dockerfiles() {
    for enc in ENCODINGS {
        let mut client = start(enc);
        let other = "file:///work/web/Dockerfile";
        client.open(
            other,
            1,
            "ARG X=🐳\nFROM mcr.microsoft.com/dotnet/runtime:9.0 AS worker\n",
        );
        let symbols = client
            .request("workspace/symbol", json!({"query": "bld"}))
            .unwrap();
        assert_eq!(
            symbols,
            json!([{
                "name": "build",
                "kind": 3,
                "location": {"uri": URI, "range": range_in(DOCKERFILE, "AS build", 0, "build", enc)},
                "containerName": "Dockerfile · FROM mcr.microsoft.com/dotnet/sdk:9.0",
            }]),
            "{enc:?}"
        );
        let all = client
            .request("workspace/symbol", json!({"query": ""}))
            .unwrap();
        let names: Vec<&str> = all
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["name"].as_str().unwrap())
            .collect();
        assert_eq!(names, ["build", "final", "worker"]);
        assert!(client.shutdown_and_exit().success());
    }
}
