//! `textDocument/documentSymbol`: stages containing their instructions, with exact ranges,
//! for clients with and without hierarchical symbol support.

mod support;

use serde_json::{json, Value};
use support::{range, vscode_capabilities, LspClient};

const URI: &str = "file:///work/app/Dockerfile";

const DOCKERFILE: &str = r#"# syntax=docker/dockerfile:1
ARG DOTNET=8.0
FROM mcr.microsoft.com/dotnet/sdk:${DOTNET} AS build
WORKDIR /src
COPY ["src/App/App.csproj", "src/App/"]
RUN dotnet restore "src/App/App.csproj" \
    && dotnet publish "src/App/App.csproj" -c Release -o /app/publish

# final image
FROM mcr.microsoft.com/dotnet/aspnet:${DOTNET}
COPY --from=build /app/publish .
RUN <<EOF
echo done
EOF
ENTRYPOINT ["dotnet", "App.dll"]
"#;

// LSP SymbolKind numbers.
const FILE: u32 = 1;
const NAMESPACE: u32 = 3;
const FUNCTION: u32 = 12;
const VARIABLE: u32 = 13;
const KEY: u32 = 20;

fn symbol(
    name: &str,
    detail: &str,
    kind: u32,
    whole: ((u32, u32), (u32, u32)),
    selection: ((u32, u32), (u32, u32)),
) -> Value {
    json!({
        "name": name,
        "detail": detail,
        "kind": kind,
        "range": range(whole.0, whole.1),
        "selectionRange": range(selection.0, selection.1),
    })
}

fn instruction(name: &str, detail: &str, kind: u32, whole: ((u32, u32), (u32, u32))) -> Value {
    let keyword_end = (whole.0 .0, whole.0 .1 + name.len() as u32);
    symbol(name, detail, kind, whole, (whole.0, keyword_end))
}

fn with_children(mut parent: Value, children: Vec<Value>) -> Value {
    parent["children"] = Value::Array(children);
    parent
}

#[test]
fn stages_contain_their_instructions_with_exact_ranges() {
    let mut client = LspClient::initialized(false);
    client.open(URI, 1, DOCKERFILE);
    let symbols = client.document_symbols(URI).expect("symbols");
    let expected = json!([
        symbol(
            "syntax",
            "docker/dockerfile:1",
            KEY,
            ((0, 0), (0, 28)),
            ((0, 2), (0, 8))
        ),
        instruction("ARG", "DOTNET=8.0", VARIABLE, ((1, 0), (1, 14))),
        with_children(
            symbol(
                "build",
                "mcr.microsoft.com/dotnet/sdk:${DOTNET}",
                NAMESPACE,
                // To the end of the RUN's continuation line; not the blank line or the
                // comment that follow.
                ((2, 0), (6, 69)),
                ((2, 47), (2, 52)),
            ),
            vec![
                instruction(
                    "FROM",
                    "mcr.microsoft.com/dotnet/sdk:${DOTNET} AS build",
                    FUNCTION,
                    ((2, 0), (2, 52)),
                ),
                instruction("WORKDIR", "/src", FILE, ((3, 0), (3, 12))),
                instruction(
                    "COPY",
                    r#"["src/App/App.csproj", "src/App/"]"#,
                    FILE,
                    ((4, 0), (4, 39)),
                ),
                instruction(
                    "RUN",
                    r#"dotnet restore "src/App/App.csproj" && dotnet publish "src/App/App.csproj" -c Re…"#,
                    FUNCTION,
                    ((5, 0), (6, 69)),
                ),
            ],
        ),
        with_children(
            symbol(
                "mcr.microsoft.com/dotnet/aspnet:${DOTNET}",
                "mcr.microsoft.com/dotnet/aspnet:${DOTNET}",
                NAMESPACE,
                ((9, 0), (14, 32)),
                ((9, 5), (9, 46)),
            ),
            vec![
                instruction(
                    "FROM",
                    "mcr.microsoft.com/dotnet/aspnet:${DOTNET}",
                    FUNCTION,
                    ((9, 0), (9, 46)),
                ),
                instruction(
                    "COPY",
                    "--from=build /app/publish .",
                    FILE,
                    ((10, 0), (10, 32)),
                ),
                // The heredoc body and its terminator belong to the RUN.
                instruction("RUN", "<<EOF", FUNCTION, ((11, 0), (13, 3))),
                instruction(
                    "ENTRYPOINT",
                    r#"["dotnet", "App.dll"]"#,
                    FUNCTION,
                    ((14, 0), (14, 32)),
                ),
            ],
        ),
    ]);
    assert_eq!(
        symbols,
        expected,
        "actual:\n{}",
        serde_json::to_string_pretty(&symbols).unwrap()
    );
    assert!(client.shutdown_and_exit().success());
}

#[test]
fn clients_without_hierarchical_support_get_a_flat_list_with_containers() {
    let mut client = LspClient::start();
    let mut capabilities = vscode_capabilities(false);
    capabilities["textDocument"]["documentSymbol"]["hierarchicalDocumentSymbolSupport"] =
        json!(false);
    client.initialize(capabilities);
    client.open(URI, 1, "ARG V=1\nFROM alpine AS base\nRUN echo hi\n");
    let symbols = client.document_symbols(URI).expect("symbols");
    let location =
        |start: (u32, u32), end: (u32, u32)| json!({"uri": URI, "range": range(start, end)});
    assert_eq!(
        symbols,
        json!([
            {"name": "ARG", "kind": VARIABLE, "location": location((0, 0), (0, 7))},
            {"name": "base", "kind": NAMESPACE, "location": location((1, 0), (2, 11))},
            {"name": "FROM", "kind": FUNCTION, "location": location((1, 0), (1, 19)), "containerName": "base"},
            {"name": "RUN", "kind": FUNCTION, "location": location((2, 0), (2, 11)), "containerName": "base"},
        ])
    );
    assert!(client.shutdown_and_exit().success());
}

#[test]
fn symbol_columns_follow_the_negotiated_encoding() {
    for (utf8, stage_end, label_end) in [(true, (0, 23), (1, 23)), (false, (0, 19), (1, 15))] {
        let mut client = LspClient::initialized(utf8);
        client.open(URI, 1, "FROM alpine AS 🐳🐳\nLABEL a=\"日本語🐳\"\n");
        let symbols = client.document_symbols(URI).expect("symbols");
        assert_eq!(symbols[0]["name"], "🐳🐳");
        assert_eq!(symbols[0]["selectionRange"], range((0, 15), stage_end));
        assert_eq!(symbols[0]["range"], range((0, 0), label_end));
        assert_eq!(symbols[0]["children"][1]["range"], range((1, 0), label_end));
        assert!(client.shutdown_and_exit().success());
    }
}

#[test]
fn unknown_documents_and_broken_params_do_not_crash_the_server() {
    let mut client = LspClient::initialized(false);
    assert_eq!(
        client.document_symbols("file:///work/never/opened"),
        Ok(Value::Null)
    );
    let error = client
        .request("textDocument/documentSymbol", json!({"textDocument": 5}))
        .expect_err("invalid params");
    assert_eq!(error["code"], -32602);
    let error = client
        .request("textDocument/documentSymbol", Value::Null)
        .expect_err("invalid params");
    assert_eq!(error["code"], -32602);
    // An empty document and a document of comments have no symbols.
    client.open(URI, 1, "");
    assert_eq!(client.document_symbols(URI), Ok(json!([])));
    client.open(URI, 2, "# just a comment\n\n");
    assert_eq!(client.document_symbols(URI), Ok(json!([])));
    assert!(client.shutdown_and_exit().success());
}
