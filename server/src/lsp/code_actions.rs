//! `textDocument/codeAction` and `codeAction/resolve` over the actions of `actions/`.
//!
//! Expensive actions (those reading the solution) are sent without their edit when the
//! client can resolve it later; the resolve request carries the document, the range and the
//! action's name and title in `data`, and the edit is computed again then.

use std::path::Path;

use lsp_types::Uri;
use serde_json::{json, Map, Value};

use super::convert;
use super::features::{range_param, Context, Failure};
use super::position::to_lsp_range;
use crate::actions::{self, ActionContext, CodeAction, FileChange, Trigger};
use crate::analysis::Analysis;
use crate::ide::TextEdit;
use crate::text::{Encoding, LineIndex};

/// What the client accepts in a code action reply.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct CodeActionSupport {
    /// `CodeAction` literals (not only `Command`s).
    pub literals: bool,
    /// The edit may come later, on `codeAction/resolve`.
    pub resolve_edit: bool,
    /// `WorkspaceEdit.documentChanges` with `create` operations.
    pub create_files: bool,
}

impl CodeActionSupport {
    pub(crate) fn from_initialize(params: &Value) -> Self {
        let caps = params.get("capabilities");
        let at = |pointer: &str| caps.and_then(|c| c.pointer(pointer));
        CodeActionSupport {
            literals: at("/textDocument/codeAction/codeActionLiteralSupport").is_some(),
            resolve_edit: at("/textDocument/codeAction/resolveSupport/properties")
                .and_then(Value::as_array)
                .is_some_and(|p| p.iter().any(|v| v.as_str() == Some("edit"))),
            create_files: at("/workspace/workspaceEdit/documentChanges")
                .and_then(Value::as_bool)
                .unwrap_or(false)
                && at("/workspace/workspaceEdit/resourceOperations")
                    .and_then(Value::as_array)
                    .is_some_and(|ops| ops.iter().any(|v| v.as_str() == Some("create"))),
        }
    }
}

pub(crate) fn advertise(capabilities: &mut lsp_types::ServerCapabilities) {
    use lsp_types::{CodeActionKind, CodeActionOptions, CodeActionProviderCapability};
    capabilities.code_action_provider =
        Some(CodeActionProviderCapability::Options(CodeActionOptions {
            code_action_kinds: Some(vec![
                CodeActionKind::QUICKFIX,
                CodeActionKind::REFACTOR,
                CodeActionKind::REFACTOR_EXTRACT,
                CodeActionKind::REFACTOR_REWRITE,
                CodeActionKind::SOURCE,
            ]),
            resolve_provider: Some(true),
            work_done_progress_options: Default::default(),
        }));
}

/// The actions offered for the request's range, filtered by `context.only`.
pub(crate) fn code_actions(
    params: &Value,
    uri: &Uri,
    analysis: &Analysis,
    ctx: &Context,
) -> Result<Value, Failure> {
    let range = range_param(analysis, params.get("range"), ctx.encoding)?;
    let only: Vec<&str> = params
        .pointer("/context/only")
        .and_then(Value::as_array)
        .map(|kinds| kinds.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let action_ctx = ActionContext {
        analysis,
        env: ctx.analysis_env,
        range,
        trigger: Trigger::Editor,
    };
    let support = ctx.client.code_actions;
    let mut out = Vec::new();
    for action in actions::code_actions(&action_ctx) {
        let kind = action.kind.as_lsp();
        if !only.is_empty()
            && !only
                .iter()
                .any(|o| kind == *o || kind.starts_with(&format!("{o}.")))
        {
            continue;
        }
        if !action.files.is_empty() && !support.create_files {
            continue;
        }
        let expensive = actions::find_action(action.action).is_some_and(|a| a.meta().expensive);
        let mut value = literal(analysis, uri, &action, ctx.encoding);
        if expensive && support.resolve_edit {
            if let Value::Object(map) = &mut value {
                map.remove("edit");
                map.insert(
                    "data".to_string(),
                    json!({
                        "uri": uri.as_str(),
                        "range": params.get("range"),
                        "action": action.action,
                        "title": action.title,
                    }),
                );
            }
        }
        // Clients without `CodeAction` literals (LSP 3.7 and older) could only run a
        // command; every editor Dockside supports has literals, so those get none.
        if support.literals {
            out.push(value);
        }
    }
    Ok(Value::Array(out))
}

/// Fills in the edit of an action sent without one.
pub(crate) fn resolve(
    params: &Value,
    uri: &Uri,
    analysis: &Analysis,
    ctx: &Context,
) -> Result<Value, Failure> {
    let data = params.get("data").cloned().unwrap_or(Value::Null);
    let name = data.get("action").and_then(Value::as_str).unwrap_or("");
    let title = data.get("title").and_then(Value::as_str).unwrap_or("");
    let range = range_param(analysis, data.get("range"), ctx.encoding)?;
    let action_ctx = ActionContext {
        analysis,
        env: ctx.analysis_env,
        range,
        trigger: Trigger::Editor,
    };
    let Some(action) = actions::code_actions(&action_ctx)
        .into_iter()
        .find(|a| a.action == name && a.title == title)
    else {
        return Err(Failure {
            code: lsp_server::ErrorCode::ContentModified,
            message: format!("the action {title:?} no longer applies to this document"),
        });
    };
    let mut resolved = params.clone();
    if let Value::Object(map) = &mut resolved {
        map.insert(
            "edit".to_string(),
            workspace_edit(analysis, uri, &action, ctx.encoding),
        );
    }
    Ok(resolved)
}

/// The LSP `CodeAction` literal, edit included.
fn literal(analysis: &Analysis, uri: &Uri, action: &CodeAction, encoding: Encoding) -> Value {
    let mut map = Map::new();
    map.insert("title".into(), json!(action.title));
    map.insert("kind".into(), json!(action.kind.as_lsp()));
    if let Some(diagnostic) = &action.fixes {
        map.insert(
            "diagnostics".into(),
            json!([convert::diagnostic(analysis, diagnostic, encoding)]),
        );
    }
    if action.preferred {
        map.insert("isPreferred".into(), json!(true));
    }
    map.insert(
        "edit".into(),
        workspace_edit(analysis, uri, action, encoding),
    );
    Value::Object(map)
}

fn workspace_edit(
    analysis: &Analysis,
    uri: &Uri,
    action: &CodeAction,
    encoding: Encoding,
) -> Value {
    let edits = |analysis: &Analysis, edits: &[TextEdit]| -> Vec<Value> {
        edits
            .iter()
            .map(|e| json!({"range": to_lsp_range(analysis, e.range, encoding), "newText": e.new_text}))
            .collect()
    };
    if action.files.is_empty() {
        return json!({"changes": {uri.as_str(): edits(analysis, &action.edits)}});
    }
    let mut changes = Vec::new();
    if !action.edits.is_empty() {
        changes.push(json!({
            "textDocument": {"uri": uri.as_str(), "version": null},
            "edits": edits(analysis, &action.edits),
        }));
    }
    for file in &action.files {
        match file {
            FileChange::Create { path, contents } => {
                let file_uri = file_uri(path);
                changes.push(json!({
                    "kind": "create",
                    "uri": file_uri,
                    "options": {"overwrite": false, "ignoreIfExists": true},
                }));
                changes.push(json!({
                    "textDocument": {"uri": file_uri, "version": null},
                    "edits": [{"range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}}, "newText": contents}],
                }));
            }
            FileChange::Edit {
                path,
                original,
                edits: file_edits,
            } => {
                let index = LineIndex::new(original);
                let position = |offset: usize| {
                    let lc = index.line_col(original, offset, encoding);
                    json!({"line": lc.line, "character": lc.col})
                };
                let lsp_edits: Vec<Value> = file_edits
                    .iter()
                    .map(|e| {
                        json!({
                            "range": {"start": position(e.range.start()), "end": position(e.range.end())},
                            "newText": e.new_text,
                        })
                    })
                    .collect();
                changes.push(json!({
                    "textDocument": {"uri": file_uri(path), "version": null},
                    "edits": lsp_edits,
                }));
            }
        }
    }
    json!({"documentChanges": changes})
}

fn file_uri(path: &Path) -> String {
    crate::cli::output::path_to_uri(path)
}
