//! The editor features of `ide/` over LSP: capabilities, request parameters to offsets, and
//! results to LSP JSON in the negotiated position encoding. No feature logic lives here.

use std::collections::HashMap;
use std::path::PathBuf;
use std::str::FromStr;
use std::sync::Arc;

use lsp_server::ErrorCode;
use lsp_types::{
    CodeLensOptions, CompletionOptions, DocumentLinkOptions, DocumentOnTypeFormattingOptions,
    FoldingRangeProviderCapability, HoverProviderCapability, OneOf, RenameOptions,
    SelectionRangeProviderCapability, SemanticTokensFullOptions, SemanticTokensLegend,
    SemanticTokensOptions, SemanticTokensServerCapabilities, ServerCapabilities,
    SignatureHelpOptions, Uri, WorkDoneProgressOptions,
};
use serde_json::{json, Value};

use super::position::to_lsp_range;
use crate::analysis::{Analysis, AnalysisEnv};
use crate::ide::completion::{self, CompletionItem, CompletionKind, DocKey};
use crate::ide::formatting::FormatOptions;
use crate::ide::{self, IdeEnv, TextEdit};
use crate::text::{Encoding, LineCol, TextRange};

/// What the client can do, from its `initialize` capabilities.
#[derive(Clone, Debug, Default)]
pub(crate) struct ClientSupport {
    pub snippets: bool,
    /// VS Code understands `editor.action.triggerSuggest` as a completion item command.
    pub vscode: bool,
    pub code_actions: super::code_actions::CodeActionSupport,
}

impl ClientSupport {
    pub(crate) fn from_initialize(params: &Value) -> Self {
        ClientSupport {
            snippets: params
                .pointer("/capabilities/textDocument/completion/completionItem/snippetSupport")
                .and_then(Value::as_bool)
                .unwrap_or(false),
            vscode: params
                .pointer("/clientInfo/name")
                .and_then(Value::as_str)
                .is_some_and(|name| {
                    name.contains("Visual Studio Code") || name.contains("VSCodium")
                }),
            code_actions: super::code_actions::CodeActionSupport::from_initialize(params),
        }
    }
}

pub(crate) const METHODS: &[&str] = &[
    "textDocument/completion",
    "completionItem/resolve",
    "textDocument/hover",
    "textDocument/signatureHelp",
    "textDocument/definition",
    "textDocument/references",
    "textDocument/documentHighlight",
    "textDocument/prepareRename",
    "textDocument/rename",
    "textDocument/semanticTokens/full",
    "textDocument/semanticTokens/range",
    "textDocument/foldingRange",
    "textDocument/selectionRange",
    "textDocument/documentLink",
    "textDocument/formatting",
    "textDocument/rangeFormatting",
    "textDocument/onTypeFormatting",
    "textDocument/codeLens",
    "textDocument/inlayHint",
    "textDocument/codeAction",
    "codeAction/resolve",
    "workspace/symbol",
];

pub(crate) fn is_feature(method: &str) -> bool {
    METHODS.contains(&method)
}

/// Adds the capabilities of every feature.
pub(crate) fn advertise(capabilities: &mut ServerCapabilities) {
    capabilities.completion_provider = Some(CompletionOptions {
        resolve_provider: Some(true),
        trigger_characters: Some(
            [" ", "$", "{", "-", "=", ":", "/", ",", "#"]
                .iter()
                .map(|c| c.to_string())
                .collect(),
        ),
        ..CompletionOptions::default()
    });
    capabilities.hover_provider = Some(HoverProviderCapability::Simple(true));
    capabilities.signature_help_provider = Some(SignatureHelpOptions {
        trigger_characters: Some(
            ["-", "[", ",", " ", "="]
                .iter()
                .map(|c| c.to_string())
                .collect(),
        ),
        retrigger_characters: None,
        work_done_progress_options: WorkDoneProgressOptions::default(),
    });
    capabilities.definition_provider = Some(OneOf::Left(true));
    capabilities.references_provider = Some(OneOf::Left(true));
    capabilities.document_highlight_provider = Some(OneOf::Left(true));
    capabilities.rename_provider = Some(OneOf::Right(RenameOptions {
        prepare_provider: Some(true),
        work_done_progress_options: WorkDoneProgressOptions::default(),
    }));
    capabilities.semantic_tokens_provider = Some(
        SemanticTokensServerCapabilities::SemanticTokensOptions(SemanticTokensOptions {
            legend: SemanticTokensLegend {
                token_types: ide::semantic_tokens::TOKEN_TYPES
                    .iter()
                    .map(|t| lsp_types::SemanticTokenType::new(t))
                    .collect(),
                token_modifiers: ide::semantic_tokens::TOKEN_MODIFIERS
                    .iter()
                    .map(|m| lsp_types::SemanticTokenModifier::new(m))
                    .collect(),
            },
            full: Some(SemanticTokensFullOptions::Bool(true)),
            range: Some(true),
            work_done_progress_options: WorkDoneProgressOptions::default(),
        }),
    );
    capabilities.folding_range_provider = Some(FoldingRangeProviderCapability::Simple(true));
    capabilities.selection_range_provider = Some(SelectionRangeProviderCapability::Simple(true));
    capabilities.document_link_provider = Some(DocumentLinkOptions {
        resolve_provider: Some(false),
        work_done_progress_options: WorkDoneProgressOptions::default(),
    });
    capabilities.document_formatting_provider = Some(OneOf::Left(true));
    capabilities.document_range_formatting_provider = Some(OneOf::Left(true));
    capabilities.document_on_type_formatting_provider = Some(DocumentOnTypeFormattingOptions {
        first_trigger_character: "\n".to_string(),
        more_trigger_character: Some(vec!["\\".to_string(), "`".to_string()]),
    });
    capabilities.code_lens_provider = Some(CodeLensOptions {
        resolve_provider: Some(false),
    });
    capabilities.workspace_symbol_provider = Some(OneOf::Left(true));
    capabilities.inlay_hint_provider = Some(OneOf::Left(true));
    super::code_actions::advertise(capabilities);
}

/// A request that cannot be answered, with the message for the user.
pub(crate) struct Failure {
    pub code: ErrorCode,
    pub message: String,
}

pub(crate) fn invalid(message: impl Into<String>) -> Failure {
    Failure {
        code: ErrorCode::InvalidParams,
        message: message.into(),
    }
}

/// The document a request is about (`None` for workspace-wide requests and completion
/// resolve; code action resolve carries it in `data`).
pub(crate) fn document_of(params: &Value) -> Option<Uri> {
    params
        .pointer("/textDocument/uri")
        .or_else(|| params.pointer("/data/uri"))
        .and_then(Value::as_str)
        .and_then(|uri| Uri::from_str(uri).ok())
}

pub(crate) struct Context<'a> {
    pub encoding: Encoding,
    pub client: &'a ClientSupport,
    pub env: IdeEnv<'a>,
    /// The environment the document is analysed in (today, configuration, solution).
    pub analysis_env: &'a AnalysisEnv,
}

impl Context<'_> {
    /// The indexed solution of the document, once indexing finished.
    fn workspace(&self) -> Option<&crate::dotnet::Workspace> {
        self.analysis_env
            .solution
            .as_ref()
            .map(|s| s.workspace.as_ref())
    }

    fn compose_files(&self) -> &[crate::context::ComposeFile] {
        self.analysis_env
            .solution
            .as_ref()
            .map_or(&[], |s| s.compose_files.as_slice())
    }

    /// Places in compose files that name the stage at `offset` as a build target.
    fn compose_references(
        &self,
        analysis: &Analysis,
        offset: usize,
    ) -> Vec<ide::navigation::ExternalLocation> {
        match &self.analysis_env.path {
            Some(path) => ide::navigation::compose_stage_references(
                analysis,
                path,
                self.compose_files(),
                offset,
            ),
            None => Vec::new(),
        }
    }
}

/// The LSP range of a byte range of a file that is not open (read from disk).
fn file_range_json(path: &std::path::Path, range: TextRange, encoding: Encoding) -> Option<Value> {
    let text = crate::dotnet::files::read_text_from_disk(
        path,
        crate::dotnet::files::DEFAULT_MAX_FILE_SIZE,
    )
    .ok()?;
    let index = crate::text::LineIndex::new(&text);
    let position = |offset: usize| {
        let at = index.line_col(&text, offset.min(text.len()), encoding);
        json!({"line": at.line, "character": at.col})
    };
    Some(json!({"start": position(range.start()), "end": position(range.end())}))
}

fn file_uri(path: &std::path::Path) -> String {
    crate::cli::output::path_to_uri(path)
}

fn offset_at(analysis: &Analysis, position: &Value, encoding: Encoding) -> Result<usize, Failure> {
    let line = position.get("line").and_then(Value::as_u64);
    let character = position.get("character").and_then(Value::as_u64);
    let (Some(line), Some(col)) = (line, character) else {
        return Err(invalid("a position needs `line` and `character`"));
    };
    let pos = LineCol {
        line: line.min(u32::MAX as u64) as u32,
        col: col.min(u32::MAX as u64) as u32,
    };
    Ok(analysis.line_index.offset(&analysis.text, pos, encoding))
}

fn position_param(
    analysis: &Analysis,
    params: &Value,
    encoding: Encoding,
) -> Result<usize, Failure> {
    let position = params
        .get("position")
        .ok_or_else(|| invalid("missing `position`"))?;
    offset_at(analysis, position, encoding)
}

pub(crate) fn range_param(
    analysis: &Analysis,
    range: Option<&Value>,
    encoding: Encoding,
) -> Result<TextRange, Failure> {
    let range = range.ok_or_else(|| invalid("missing `range`"))?;
    let start = offset_at(
        analysis,
        range.get("start").unwrap_or(&Value::Null),
        encoding,
    )?;
    let end = offset_at(analysis, range.get("end").unwrap_or(&Value::Null), encoding)?;
    Ok(TextRange::new(start.min(end), start.max(end)))
}

fn range_json(analysis: &Analysis, range: TextRange, encoding: Encoding) -> Value {
    json!(to_lsp_range(analysis, range, encoding))
}

fn edits_json(analysis: &Analysis, edits: &[TextEdit], encoding: Encoding) -> Value {
    Value::Array(
        edits
            .iter()
            .map(|e| json!({"range": range_json(analysis, e.range, encoding), "newText": e.new_text}))
            .collect(),
    )
}

fn markdown(value: &str) -> Value {
    json!({"kind": "markdown", "value": value})
}

fn format_options(params: &Value) -> FormatOptions {
    let options = params.get("options");
    FormatOptions {
        tab_size: options
            .and_then(|o| o.get("tabSize"))
            .and_then(Value::as_u64)
            .map_or(4, |t| t.clamp(1, 16) as u32),
        insert_spaces: options
            .and_then(|o| o.get("insertSpaces"))
            .and_then(Value::as_bool)
            .unwrap_or(true),
    }
}

/// Answers a request about one document.
pub(crate) fn respond(
    method: &str,
    params: &Value,
    uri: &Uri,
    analysis: &Analysis,
    ctx: &Context,
) -> Result<Value, Failure> {
    let enc = ctx.encoding;
    let a = analysis;
    let location =
        |range: TextRange| json!({"uri": uri.as_str(), "range": range_json(a, range, enc)});
    Ok(match method {
        "textDocument/codeAction" => super::code_actions::code_actions(params, uri, a, ctx)?,
        "codeAction/resolve" => super::code_actions::resolve(params, uri, a, ctx)?,
        "textDocument/hover" => {
            let offset = position_param(a, params, enc)?;
            // The image of a FROM line first (through ARGs and derived stages), then what a
            // COPY source copies from the solution, then the documentation; the build
            // context's explanation is added on the first line and the first FROM keyword.
            let workspace = ctx.workspace();
            let main = ide::image_hover::hover(a, offset, ctx.analysis_env)
                .map(|h| (h.range, h.markdown))
                .or_else(|| {
                    ide::project_files::source_hover(a, workspace, offset)
                        .map(|h| (h.range, h.markdown))
                })
                .or_else(|| {
                    ide::hover_docs::hover(a, offset, &ctx.env).map(|h| (h.range, h.markdown))
                });
            let context = ide::project_files::build_context_hover(a, workspace, offset);
            let combined = match (main, context) {
                (Some((range, text)), Some(context)) => {
                    Some((range, format!("{text}\n\n---\n\n{}", context.markdown)))
                }
                (Some(main), None) => Some(main),
                (None, Some(context)) => Some((context.range, context.markdown)),
                (None, None) => None,
            };
            match combined {
                Some((range, text)) => {
                    json!({"contents": markdown(&text), "range": range_json(a, range, enc)})
                }
                None => Value::Null,
            }
        }
        "textDocument/signatureHelp" => {
            let offset = position_param(a, params, enc)?;
            match ide::signature_help::signature_help(a, offset) {
                Some(help) => json!({
                    "signatures": help.signatures.iter().map(|s| json!({
                        "label": s.label,
                        "documentation": markdown(&s.documentation),
                        "parameters": s.parameters.iter().map(|p| json!({
                            "label": [p.label.0, p.label.1],
                            "documentation": markdown(&p.documentation),
                        })).collect::<Vec<_>>(),
                    })).collect::<Vec<_>>(),
                    "activeSignature": help.active_signature,
                    "activeParameter": help.active_parameter,
                }),
                None => Value::Null,
            }
        }
        "textDocument/definition" => {
            let offset = position_param(a, params, enc)?;
            let in_document = ide::navigation::definition(a, offset);
            if in_document.is_empty() {
                // A COPY source: the project files it copies.
                Value::Array(
                    ide::project_files::definition(a, ctx.workspace(), offset)
                        .iter()
                        .map(|path| json!({
                            "uri": file_uri(path),
                            "range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}},
                        }))
                        .collect(),
                )
            } else {
                Value::Array(in_document.into_iter().map(location).collect())
            }
        }
        "textDocument/references" => {
            let offset = position_param(a, params, enc)?;
            let include = params
                .pointer("/context/includeDeclaration")
                .and_then(Value::as_bool)
                .unwrap_or(true);
            let mut locations: Vec<Value> = ide::navigation::references(a, offset, include)
                .into_iter()
                .map(location)
                .collect();
            // Compose services that build this stage as their `target`.
            for place in ctx.compose_references(a, offset) {
                if let Some(range) = file_range_json(&place.path, place.range, enc) {
                    locations.push(json!({"uri": file_uri(&place.path), "range": range}));
                }
            }
            Value::Array(locations)
        }
        "textDocument/documentHighlight" => {
            let offset = position_param(a, params, enc)?;
            Value::Array(
                ide::navigation::document_highlights(a, offset)
                    .into_iter()
                    .map(|h| {
                        let kind = match h.kind {
                            ide::navigation::HighlightKind::Read => 2,
                            ide::navigation::HighlightKind::Write => 3,
                        };
                        json!({"range": range_json(a, h.range, enc), "kind": kind})
                    })
                    .collect(),
            )
        }
        "textDocument/prepareRename" => {
            let offset = position_param(a, params, enc)?;
            match ide::navigation::prepare_rename(a, offset) {
                Ok(target) => json!({"range": range_json(a, target.range, enc), "placeholder": target.placeholder}),
                Err(error) => {
                    return Err(Failure {
                        code: ErrorCode::RequestFailed,
                        message: error.to_string(),
                    })
                }
            }
        }
        "textDocument/rename" => {
            let offset = position_param(a, params, enc)?;
            let new_name = params
                .get("newName")
                .and_then(Value::as_str)
                .ok_or_else(|| invalid("missing `newName`"))?;
            match ide::navigation::rename(a, offset, new_name) {
                Ok(edits) => {
                    let mut changes = serde_json::Map::new();
                    changes.insert(uri.as_str().to_string(), edits_json(a, &edits, enc));
                    for place in ctx.compose_references(a, offset) {
                        if let Some(range) = file_range_json(&place.path, place.range, enc) {
                            let edit = json!({"range": range, "newText": new_name});
                            match changes.entry(file_uri(&place.path)).or_insert_with(|| json!([])) {
                                Value::Array(edits) => edits.push(edit),
                                other => *other = json!([edit]),
                            }
                        }
                    }
                    json!({ "changes": changes })
                }
                Err(error) => {
                    return Err(Failure {
                        code: ErrorCode::RequestFailed,
                        message: error.to_string(),
                    })
                }
            }
        }
        "textDocument/semanticTokens/full" => {
            let tokens = ide::semantic_tokens::semantic_tokens(a);
            json!({"data": ide::semantic_tokens::encode(&a.text, &a.line_index, &tokens, enc)})
        }
        "textDocument/semanticTokens/range" => {
            let range = range_param(a, params.get("range"), enc)?;
            let tokens = ide::semantic_tokens::semantic_tokens_range(a, range);
            json!({"data": ide::semantic_tokens::encode(&a.text, &a.line_index, &tokens, enc)})
        }
        "textDocument/foldingRange" => Value::Array(
            ide::folding::folding_ranges(a)
                .into_iter()
                .map(|r| {
                    let kind = match r.kind {
                        ide::folding::FoldingKind::Comment => "comment",
                        ide::folding::FoldingKind::Region => "region",
                    };
                    json!({"startLine": r.start_line, "endLine": r.end_line, "kind": kind})
                })
                .collect(),
        ),
        "textDocument/selectionRange" => {
            let positions = params
                .get("positions")
                .and_then(Value::as_array)
                .ok_or_else(|| invalid("missing `positions`"))?;
            let mut out = Vec::with_capacity(positions.len());
            for position in positions {
                let offset = offset_at(a, position, enc)?;
                let ranges = ide::selection_range::selection_ranges(a, offset);
                let mut nested: Option<Value> = None;
                for range in ranges.iter().rev() {
                    let mut node = json!({"range": range_json(a, *range, enc)});
                    if let Some(parent) = nested.take() {
                        node["parent"] = parent;
                    }
                    nested = Some(node);
                }
                out.push(nested.unwrap_or_else(|| {
                    json!({"range": range_json(a, TextRange::empty(offset), enc)})
                }));
            }
            Value::Array(out)
        }
        "textDocument/documentLink" => Value::Array(
            ide::links::document_links(a, &ctx.env)
                .into_iter()
                .map(|l| json!({"range": range_json(a, l.range, enc), "target": l.target, "tooltip": l.tooltip}))
                .collect(),
        ),
        "textDocument/formatting" => {
            let edits = ide::formatting::format_document(a, &format_options(params));
            edits_json(a, &edits, enc)
        }
        "textDocument/rangeFormatting" => {
            let range = range_param(a, params.get("range"), enc)?;
            let edits = ide::formatting::format_range(a, range, &format_options(params));
            edits_json(a, &edits, enc)
        }
        "textDocument/onTypeFormatting" => {
            let offset = position_param(a, params, enc)?;
            let typed = params
                .get("ch")
                .and_then(Value::as_str)
                .and_then(|s| s.chars().next())
                .ok_or_else(|| invalid("missing `ch`"))?;
            let edits = ide::formatting::format_on_type(a, offset, typed, &format_options(params));
            edits_json(a, &edits, enc)
        }
        "textDocument/codeLens" => Value::Array(
            ide::project_files::build_context_lens(a, ctx.workspace())
                .into_iter()
                .chain(ide::code_lens::code_lenses(a, &ctx.env))
                .map(|l| json!({"range": range_json(a, l.range, enc), "command": {"title": l.title, "command": ""}}))
                .collect(),
        ),
        "textDocument/inlayHint" => {
            let range = range_param(a, params.get("range"), enc)?;
            Value::Array(
                ide::inlay_hints::inlay_hints(a, ctx.analysis_env, range)
                    .into_iter()
                    .map(|h| {
                        json!({
                            "position": json!(super::position::to_lsp_position(a, h.offset, enc)),
                            "label": h.label,
                            "paddingLeft": true,
                            "tooltip": h.tooltip,
                        })
                    })
                    .collect(),
            )
        }
        other => {
            return Err(Failure {
                code: ErrorCode::MethodNotFound,
                message: format!("unknown request `{other}`"),
            })
        }
    })
}

fn completion_kind(kind: CompletionKind) -> u32 {
    match kind {
        CompletionKind::Keyword | CompletionKind::Directive => 14,
        CompletionKind::Snippet => 15,
        CompletionKind::Flag | CompletionKind::Option => 5,
        CompletionKind::Variable => 6,
        CompletionKind::Stage => 9,
        CompletionKind::Image => 7,
        CompletionKind::Tag | CompletionKind::Value => 12,
        CompletionKind::Command => 3,
        CompletionKind::File => 17,
        CompletionKind::Folder => 19,
        CompletionKind::Property => 10,
    }
}

/// `textDocument/completion`: the items at the request's position. The list is written
/// straight from these types (never as a `serde_json::Value` tree, which cost more than
/// computing the items).
pub(crate) fn completion_list(
    params: &Value,
    analysis: &Analysis,
    ctx: &Context,
) -> Result<CompletionList, Failure> {
    let offset = position_param(analysis, params, ctx.encoding)?;
    let items = completion::completions(analysis, offset, &ctx.env)
        .into_iter()
        .map(|item| completion_item(analysis, item, ctx))
        .collect();
    Ok(CompletionList {
        is_incomplete: false,
        items,
    })
}

/// An LSP `CompletionList`.
#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct CompletionList {
    pub is_incomplete: bool,
    items: Vec<LspCompletionItem>,
}

/// An LSP `CompletionItem`, with the fields Dockside sets.
#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
struct LspCompletionItem {
    label: String,
    kind: u32,
    sort_text: String,
    insert_text_format: u8,
    text_edit: LspTextEdit,
    #[serde(skip_serializing_if = "Option::is_none")]
    label_details: Option<LabelDetails>,
    #[serde(skip_serializing_if = "Option::is_none")]
    detail: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    filter_text: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    documentation: Option<Markup>,
    #[serde(skip_serializing_if = "Option::is_none")]
    data: Option<CompletionData>,
    #[serde(skip_serializing_if = "Option::is_none")]
    tags: Option<[u8; 1]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    command: Option<LspCommand>,
}

#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
struct LspTextEdit {
    range: lsp_types::Range,
    new_text: String,
}

#[derive(serde::Serialize)]
struct LabelDetails {
    detail: String,
}

#[derive(serde::Serialize)]
struct Markup {
    kind: &'static str,
    value: String,
}

#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
struct CompletionData {
    doc_key: DocKey,
}

#[derive(serde::Serialize)]
struct LspCommand {
    title: &'static str,
    command: &'static str,
}

fn completion_item(analysis: &Analysis, item: CompletionItem, ctx: &Context) -> LspCompletionItem {
    let snippet = item.snippet && ctx.client.snippets;
    let new_text = if item.snippet && !snippet {
        completion::snippet_to_plain(&item.insert_text)
    } else {
        item.insert_text
    };
    let (documentation, data) = match (item.documentation, item.doc_key) {
        (Some(doc), _) => (
            Some(Markup {
                kind: "markdown",
                value: doc,
            }),
            None,
        ),
        (None, Some(doc_key)) => (None, Some(CompletionData { doc_key })),
        (None, None) => (None, None),
    };
    LspCompletionItem {
        label: item.label,
        kind: completion_kind(item.kind),
        sort_text: item.sort_text,
        insert_text_format: if snippet { 2 } else { 1 },
        text_edit: LspTextEdit {
            range: to_lsp_range(analysis, item.replace, ctx.encoding),
            new_text,
        },
        label_details: item.label_detail.map(|detail| LabelDetails { detail }),
        detail: item.detail,
        filter_text: item.filter_text,
        documentation,
        data,
        tags: item.deprecated.then_some([1]),
        command: (item.retrigger && ctx.client.vscode).then_some(LspCommand {
            title: "",
            command: "editor.action.triggerSuggest",
        }),
    }
}

/// `completionItem/resolve`: the item with its documentation.
pub(crate) fn resolve_completion(params: Value) -> Value {
    let mut item = params;
    if item.get("documentation").is_none() {
        let key: Option<DocKey> = item
            .pointer("/data/docKey")
            .and_then(|k| serde_json::from_value(k.clone()).ok());
        if let Some(doc) = key.as_ref().and_then(completion::resolve_documentation) {
            item["documentation"] = markdown(&doc);
        }
    }
    item
}

/// The stages of one Dockerfile as workspace symbols, for any query.
pub(crate) struct FileSymbols {
    uri: Uri,
    symbols: Vec<StageSymbol>,
}

struct StageSymbol {
    name: String,
    /// The stage name (or FROM keyword), in the session's position encoding.
    range: lsp_types::Range,
    container_name: String,
}

impl FileSymbols {
    pub(crate) fn new(uri: Uri, analysis: &Analysis, encoding: Encoding) -> FileSymbols {
        let path = PathBuf::from(uri.as_str());
        let symbols = ide::workspace_symbols::workspace_symbols(&[(&path, analysis)], "")
            .into_iter()
            .map(|s| StageSymbol {
                range: to_lsp_range(analysis, s.selection_range, encoding),
                container_name: format!("{} · {}", s.container, s.detail),
                name: s.name,
            })
            .collect();
        FileSymbols { uri, symbols }
    }

    pub(crate) fn uri(&self) -> &Uri {
        &self.uri
    }
}

/// The symbols of the Dockerfiles the solutions' indexing found that are not open, read
/// from disk and analysed on their own; kept per file until its size or modification time
/// changes, so that each `workspace/symbol` request does not read and analyse them all again.
#[derive(Default)]
pub(crate) struct DiskDockerfiles {
    files: HashMap<PathBuf, (FileStamp, Arc<FileSymbols>)>,
}

type FileStamp = (Option<std::time::SystemTime>, u64);

impl DiskDockerfiles {
    /// The Dockerfiles of `solutions` that are not among `open`, sorted by path.
    pub(crate) fn symbols(
        &mut self,
        solutions: &[crate::context::SolutionSnapshot],
        open: &[PathBuf],
        encoding: Encoding,
    ) -> Vec<Arc<FileSymbols>> {
        let mut paths: Vec<PathBuf> = solutions
            .iter()
            .flat_map(|s| {
                s.workspace
                    .files()
                    .of_kind(crate::dotnet::FileKind::Dockerfile)
                    .map(std::path::Path::to_path_buf)
                    .collect::<Vec<_>>()
            })
            .filter(|path| !open.contains(path))
            .collect();
        paths.sort();
        paths.dedup();
        let mut previous = std::mem::take(&mut self.files);
        let env = AnalysisEnv::default();
        paths
            .into_iter()
            .filter_map(|path| {
                let metadata = std::fs::metadata(&path).ok()?;
                let stamp = (metadata.modified().ok(), metadata.len());
                let symbols = match previous.remove(&path) {
                    Some((known, symbols)) if known == stamp => symbols,
                    _ => {
                        let text = crate::dotnet::files::read_text_from_disk(
                            &path,
                            crate::dotnet::files::DEFAULT_MAX_FILE_SIZE,
                        )
                        .ok()?;
                        let uri = Uri::from_str(&file_uri(&path)).ok()?;
                        let analysis = crate::analysis::analyze_owned(text, &env);
                        Arc::new(FileSymbols::new(uri, &analysis, encoding))
                    }
                };
                self.files.insert(path, (stamp, Arc::clone(&symbols)));
                Some(symbols)
            })
            .collect()
    }
}

/// `workspace/symbol` over the given documents (in the order given): the stages whose name
/// matches the query.
pub(crate) fn workspace_symbols(params: &Value, documents: &[Arc<FileSymbols>]) -> Value {
    let query = params.get("query").and_then(Value::as_str).unwrap_or("");
    Value::Array(
        documents
            .iter()
            .flat_map(|file| {
                file.symbols
                    .iter()
                    .filter(|s| ide::workspace_symbols::matches_query(&s.name, query))
                    .map(|s| {
                        json!({
                            "name": s.name,
                            "kind": 3,
                            "location": {"uri": file.uri.as_str(), "range": s.range},
                            "containerName": s.container_name,
                        })
                    })
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::context::SolutionSnapshot;
    use crate::dotnet::{Workspace, WorkspaceOptions};

    fn names(files: &[Arc<FileSymbols>]) -> Vec<(String, String)> {
        let value = workspace_symbols(&json!({"query": ""}), files);
        value
            .as_array()
            .into_iter()
            .flatten()
            .map(|s| {
                let uri = s["location"]["uri"].as_str().unwrap_or_default();
                let file = uri.rsplit('/').next().unwrap_or_default().to_string();
                (file, s["name"].as_str().unwrap_or_default().to_string())
            })
            .collect()
    }

    #[test]
    fn unopened_dockerfiles_are_analysed_again_only_once_they_changed() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::write(root.join("App.sln"), "").unwrap();
        std::fs::write(root.join("Dockerfile"), "FROM alpine AS one\n").unwrap();
        std::fs::write(root.join("Other.Dockerfile"), "FROM alpine AS two\n").unwrap();
        let solution = SolutionSnapshot::new(Workspace::index(root, WorkspaceOptions::default()));
        let solutions = [solution];
        let mut disk = DiskDockerfiles::default();
        let first = disk.symbols(&solutions, &[], Encoding::Utf16);
        assert_eq!(
            names(&first),
            [
                ("Dockerfile".to_string(), "one".to_string()),
                ("Other.Dockerfile".to_string(), "two".to_string())
            ]
        );
        // Nothing changed: the same symbols, not a new analysis.
        let again = disk.symbols(&solutions, &[], Encoding::Utf16);
        assert!(first.iter().zip(&again).all(|(a, b)| Arc::ptr_eq(a, b)));
        // An open Dockerfile is left to its open document.
        let open = [root.join("Other.Dockerfile")];
        assert_eq!(
            names(&disk.symbols(&solutions, &open, Encoding::Utf16)).len(),
            1
        );
        // A changed size tells the file changed, whatever the clock's resolution.
        std::fs::write(root.join("Dockerfile"), "FROM alpine AS first\n").unwrap();
        std::fs::remove_file(root.join("Other.Dockerfile")).unwrap();
        assert_eq!(
            names(&disk.symbols(&solutions, &[], Encoding::Utf16)),
            [("Dockerfile".to_string(), "first".to_string())]
        );
    }
}
