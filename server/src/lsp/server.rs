//! The main loop: one thread, messages handled strictly in arrival order.
//!
//! Diagnostics are published when the queue of arrived messages is empty, so a burst of
//! `didChange`s is analysed once, at its last version, and the last change of a burst is
//! analysed as soon as it has been applied. They are also published when they have been
//! due for [`MAX_DIAGNOSTICS_DELAY`], so a client that never pauses still gets them.

use std::collections::{HashMap, HashSet, VecDeque};
use std::ops::ControlFlow;
use std::panic::{self, AssertUnwindSafe};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crossbeam_channel::{Receiver, Sender};
use lsp_server::{ErrorCode, Message, Notification, Request, RequestId, Response};
use lsp_types::notification::{
    DidChangeTextDocument, DidCloseTextDocument, DidOpenTextDocument, DidSaveTextDocument,
    LogMessage, Notification as _, PublishDiagnostics,
};
use lsp_types::request::{DocumentSymbolRequest, Request as _};
use lsp_types::{
    DidChangeTextDocumentParams, DidCloseTextDocumentParams, DidOpenTextDocumentParams,
    DocumentSymbolParams, DocumentSymbolResponse, InitializeResult, LogMessageParams, MessageType,
    OneOf, PositionEncodingKind, PublishDiagnosticsParams, SaveOptions, ServerCapabilities,
    ServerInfo, TextDocumentSyncCapability, TextDocumentSyncKind, TextDocumentSyncOptions,
    TextDocumentSyncSaveOptions, Uri,
};
use serde::de::DeserializeOwned;

use super::convert;
use super::documents::{file_path, DocumentStore};
use super::features;
use super::transport::{Incoming, Outgoing};
use super::workspace::{WorkspaceEvent, WorkspaceState, WATCHED_GLOBS};
use crate::analysis::{analyze_owned, Analysis, AnalysisEnv};
use crate::config::ConfigProblem;
use crate::dotnet::WorkspaceDiagnosticKind;
use crate::text::Encoding;

/// A document's analysis, or the panic message of the analysis that crashed.
type AnalysisOutcome = Result<Arc<Analysis>, String>;

/// Upper bound on how long diagnostics wait behind a stream of messages that never pauses.
const MAX_DIAGNOSTICS_DELAY: Duration = Duration::from_millis(200);
/// How many arrived messages are taken from the channel at once.
const MAX_QUEUED: usize = 10_000;
/// Registry answers arriving within this time of the first one are taken in with one new
/// analysis of the open documents, not one analysis per answer.
const REGISTRY_ANSWER_BATCH: Duration = Duration::from_millis(50);

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Phase {
    /// Before `initialize`: requests get ServerNotInitialized, notifications are dropped.
    Uninitialized,
    Running,
    /// After `shutdown`: requests get InvalidRequest; only `exit` matters.
    ShutDown,
}

pub(crate) struct Server {
    outgoing: Sender<Outgoing>,
    phase: Phase,
    encoding: Encoding,
    hierarchical_symbols: bool,
    client: features::ClientSupport,
    documents: DocumentStore,
    /// Documents whose diagnostics are due, in the order they changed.
    due: Vec<Uri>,
    due_since: Option<Instant>,
    ignored_notifications: HashSet<String>,
    workspace: WorkspaceState,
    server_requests: ServerRequestSupport,
    /// Requests the server sent and awaits answers to.
    pending: HashMap<RequestId, PendingRequest>,
    next_request: i32,
    /// When the registry answers received since the last analysis are taken in.
    registry_answers_due: Option<Instant>,
    /// Workspace symbols of the solutions' Dockerfiles that are not open.
    disk_dockerfiles: features::DiskDockerfiles,
}

/// What the client said it can do, for server-initiated requests.
#[derive(Clone, Copy, Debug, Default)]
struct ServerRequestSupport {
    work_done_progress: bool,
    configuration: bool,
    watched_files_registration: bool,
    inlay_hint_refresh: bool,
}

#[derive(Clone, Debug)]
enum PendingRequest {
    Configuration,
    /// Answers that need no handling (progress tokens, registrations).
    Acknowledgement,
}

const INDEXING_PROGRESS_TOKEN: &str = "dockside/indexing";
/// Problems of one indexing logged to the client; the rest are counted.
const MAX_INDEX_WARNINGS_LOGGED: usize = 20;

impl Server {
    pub(crate) fn new(outgoing: Sender<Outgoing>) -> Self {
        Server {
            outgoing,
            phase: Phase::Uninitialized,
            encoding: Encoding::Utf16,
            hierarchical_symbols: false,
            client: features::ClientSupport::default(),
            documents: DocumentStore::default(),
            due: Vec::new(),
            due_since: None,
            ignored_notifications: HashSet::new(),
            workspace: WorkspaceState::new(),
            server_requests: ServerRequestSupport::default(),
            pending: HashMap::new(),
            next_request: 0,
            registry_answers_due: None,
            disk_dockerfiles: features::DiskDockerfiles::default(),
        }
    }

    /// Serves until `exit` or the end of input; returns the process exit code.
    pub(crate) fn run(mut self, incoming: Receiver<Incoming>) -> i32 {
        let mut queue: VecDeque<Incoming> = VecDeque::new();
        loop {
            while queue.len() < MAX_QUEUED {
                match incoming.try_recv() {
                    Ok(message) => queue.push_back(message),
                    Err(_) => break,
                }
            }
            while let Ok(event) = self.workspace.events.try_recv() {
                self.on_workspace_event(event);
            }
            if self
                .registry_answers_due
                .is_some_and(|due| Instant::now() >= due)
            {
                self.registry_answers_due = None;
                self.reanalyse_all();
            }
            let Some(next) = queue.pop_front() else {
                self.publish_due_diagnostics();
                let events = self.workspace.events.clone();
                let registry_answers = self
                    .registry_answers_due
                    .map_or_else(crossbeam_channel::never, crossbeam_channel::at);
                crossbeam_channel::select! {
                    recv(incoming) -> message => match message {
                        Ok(message) => queue.push_back(message),
                        Err(_) => return self.input_closed(),
                    },
                    recv(events) -> event => {
                        if let Ok(event) = event {
                            self.on_workspace_event(event);
                        }
                    }
                    recv(registry_answers) -> _ => {}
                }
                continue;
            };
            if self
                .due_since
                .is_some_and(|since| since.elapsed() >= MAX_DIAGNOSTICS_DELAY)
            {
                self.publish_due_diagnostics();
            }
            if let ControlFlow::Break(code) = self.handle(next, &mut queue) {
                return code;
            }
        }
    }

    fn input_closed(&self) -> i32 {
        if self.phase == Phase::ShutDown {
            0
        } else {
            self.log(
                MessageType::ERROR,
                "the client closed the connection without `shutdown` and `exit`",
            );
            1
        }
    }

    fn handle(&mut self, incoming: Incoming, queue: &mut VecDeque<Incoming>) -> ControlFlow<i32> {
        match incoming {
            Incoming::Message(Message::Request(request)) => self.on_request(request, queue),
            Incoming::Message(Message::Notification(notification)) => {
                return self.on_notification(notification)
            }
            Incoming::Message(Message::Response(response)) => self.on_response(response),
            Incoming::Malformed { id, code, detail } => {
                self.log(MessageType::ERROR, format!("unreadable message: {detail}"));
                let message = format!("unreadable message: {detail}");
                match id {
                    Some(id) => self.send(error_response(id, code, message)),
                    // JSON-RPC answers a message whose id cannot be read with `"id": null`,
                    // which `lsp_server::Response` cannot express.
                    None => self.send(Outgoing::Serialized(
                        serde_json::json!({
                            "jsonrpc": "2.0",
                            "id": null,
                            "error": {"code": code as i32, "message": message},
                        })
                        .to_string(),
                    )),
                }
            }
            Incoming::Skipped { bytes, sample } => self.log(
                MessageType::ERROR,
                format!("skipped {bytes} bytes of input that are not an LSP message (starting {sample:?})"),
            ),
        }
        ControlFlow::Continue(())
    }

    fn on_request(&mut self, request: Request, queue: &mut VecDeque<Incoming>) {
        let id = request.id.clone();
        match self.phase {
            Phase::Uninitialized if request.method == "initialize" => self.initialize(request),
            Phase::Uninitialized => self.send(error_response(
                id,
                ErrorCode::ServerNotInitialized,
                format!("`{}` before `initialize`", request.method),
            )),
            Phase::ShutDown => self.send(error_response(
                id,
                ErrorCode::InvalidRequest,
                format!("`{}` after `shutdown`", request.method),
            )),
            Phase::Running => {
                if request.method != "shutdown" && take_cancellation(queue, &id) {
                    self.send(error_response(
                        id,
                        ErrorCode::RequestCanceled,
                        "cancelled".to_string(),
                    ));
                    return;
                }
                let method = request.method.clone();
                let outcome = panic::catch_unwind(AssertUnwindSafe(|| self.dispatch(request)));
                let response = outcome.unwrap_or_else(|payload| {
                    let reason = panic_message(payload.as_ref());
                    self.log(
                        MessageType::ERROR,
                        format!("internal error in `{method}`: {reason}"),
                    );
                    error_response(
                        id,
                        ErrorCode::InternalError,
                        format!("internal error in `{method}`: {reason}"),
                    )
                });
                self.send(response);
            }
        }
    }

    fn dispatch(&mut self, request: Request) -> Outgoing {
        match request.method.as_str() {
            "initialize" => error_response(
                request.id,
                ErrorCode::InvalidRequest,
                "the server is already initialized".to_string(),
            ),
            "shutdown" => {
                self.phase = Phase::ShutDown;
                ok_response(request.id, &())
            }
            DocumentSymbolRequest::METHOD => self.document_symbols(request),
            "workspace/executeCommand" => self.execute_command(request),
            method if features::is_feature(method) => self.feature(request),
            #[cfg(test)]
            "dockside/test/panic" => panic!("a bug in a request handler"),
            _ => error_response(
                request.id,
                ErrorCode::MethodNotFound,
                format!("unknown request `{}`", request.method),
            ),
        }
    }

    fn initialize(&mut self, request: Request) {
        let capabilities = request.params.get("capabilities");
        let offers_utf8 = capabilities
            .and_then(|c| c.pointer("/general/positionEncodings"))
            .and_then(|e| e.as_array())
            .is_some_and(|encodings| encodings.iter().any(|e| e.as_str() == Some("utf-8")));
        self.encoding = if offers_utf8 {
            Encoding::Utf8
        } else {
            Encoding::Utf16
        };
        let flag = |pointer: &str| {
            capabilities
                .and_then(|c| c.pointer(pointer))
                .and_then(|v| v.as_bool())
                .unwrap_or(false)
        };
        self.server_requests = ServerRequestSupport {
            work_done_progress: flag("/window/workDoneProgress"),
            configuration: flag("/workspace/configuration"),
            watched_files_registration: flag(
                "/workspace/didChangeWatchedFiles/dynamicRegistration",
            ),
            inlay_hint_refresh: flag("/workspace/inlayHint/refreshSupport"),
        };
        self.workspace.roots = workspace_roots(&request.params);
        if let Some(options) = request.params.get("initializationOptions") {
            if !options.is_null() {
                let settings = options.get("dockside").unwrap_or(options).clone();
                let _ = self.workspace.set_settings(Some(settings));
            }
        }
        self.hierarchical_symbols = capabilities
            .and_then(|c| {
                c.pointer("/textDocument/documentSymbol/hierarchicalDocumentSymbolSupport")
            })
            .and_then(|v| v.as_bool())
            .unwrap_or(false);
        self.client = features::ClientSupport::from_initialize(&request.params);
        let mut capabilities = ServerCapabilities {
            position_encoding: Some(match self.encoding {
                Encoding::Utf8 => PositionEncodingKind::UTF8,
                Encoding::Utf16 => PositionEncodingKind::UTF16,
            }),
            text_document_sync: Some(TextDocumentSyncCapability::Options(
                TextDocumentSyncOptions {
                    open_close: Some(true),
                    change: Some(TextDocumentSyncKind::INCREMENTAL),
                    will_save: None,
                    will_save_wait_until: None,
                    save: Some(TextDocumentSyncSaveOptions::SaveOptions(SaveOptions {
                        include_text: Some(false),
                    })),
                },
            )),
            document_symbol_provider: Some(OneOf::Left(true)),
            ..ServerCapabilities::default()
        };
        features::advertise(&mut capabilities);
        super::commands::advertise(&mut capabilities);
        let result = InitializeResult {
            capabilities,
            server_info: Some(ServerInfo {
                name: "dockside".to_string(),
                version: Some(env!("CARGO_PKG_VERSION").to_string()),
            }),
        };
        self.phase = Phase::Running;
        self.send(ok_response(request.id, &result));
    }

    fn on_notification(&mut self, notification: Notification) -> ControlFlow<i32> {
        if notification.method == "exit" {
            if self.phase == Phase::ShutDown {
                return ControlFlow::Break(0);
            }
            self.log(MessageType::ERROR, "`exit` without `shutdown`");
            return ControlFlow::Break(1);
        }
        if self.phase != Phase::Running {
            return ControlFlow::Continue(());
        }
        let method = notification.method.clone();
        let outcome = panic::catch_unwind(AssertUnwindSafe(|| {
            self.dispatch_notification(notification)
        }));
        if let Err(payload) = outcome {
            self.log(
                MessageType::ERROR,
                format!(
                    "internal error in `{method}`: {}",
                    panic_message(payload.as_ref())
                ),
            );
        }
        ControlFlow::Continue(())
    }

    fn dispatch_notification(&mut self, notification: Notification) {
        match notification.method.as_str() {
            "initialized" => self.initialized(),
            "workspace/didChangeConfiguration" => {
                let settings = notification
                    .params
                    .get("settings")
                    .and_then(|s| s.get("dockside"))
                    .cloned();
                match settings {
                    Some(settings) => {
                        if self.workspace.set_settings(Some(settings)) {
                            self.reanalyse_all();
                        }
                    }
                    None => self.request_configuration(),
                }
            }
            "workspace/didChangeWatchedFiles" => {
                let mut any = false;
                if let Some(changes) = notification
                    .params
                    .get("changes")
                    .and_then(|c| c.as_array())
                {
                    for change in changes {
                        let path = change
                            .get("uri")
                            .and_then(|u| u.as_str())
                            .and_then(|u| u.parse::<Uri>().ok())
                            .and_then(|u| file_path(&u));
                        if let Some(path) = path {
                            any |= self.workspace.file_changed(&path);
                        }
                    }
                }
                if any {
                    self.reanalyse_all();
                }
            }
            DidOpenTextDocument::METHOD => {
                if let Some(params) = self.params::<DidOpenTextDocumentParams>(notification) {
                    self.did_open(params);
                }
            }
            DidChangeTextDocument::METHOD => {
                if let Some(params) = self.params::<DidChangeTextDocumentParams>(notification) {
                    self.did_change(params);
                }
            }
            DidCloseTextDocument::METHOD => {
                if let Some(params) = self.params::<DidCloseTextDocumentParams>(notification) {
                    self.did_close(params);
                }
            }
            // The text is already up to date through didChange; nothing depends on the
            // file on disk yet.
            DidSaveTextDocument::METHOD => {}
            // `$/cancelRequest` for a request already answered, `$/setTrace`, ...
            method if method.starts_with("$/") => {}
            method => {
                if self.ignored_notifications.insert(method.to_string()) {
                    eprintln!("dockside: ignoring notification `{method}`");
                }
            }
        }
    }

    /// The notification's params, or `None` after logging why they are unusable.
    fn params<P: DeserializeOwned>(&self, notification: Notification) -> Option<P> {
        match serde_json::from_value(notification.params) {
            Ok(params) => Some(params),
            Err(error) => {
                self.log(
                    MessageType::WARNING,
                    format!(
                        "ignoring `{}` with invalid params: {error}",
                        notification.method
                    ),
                );
                None
            }
        }
    }

    fn did_open(&mut self, params: DidOpenTextDocumentParams) {
        let document = params.text_document;
        if self
            .documents
            .open(document.uri.clone(), &document.text, document.version)
        {
            self.log(
                MessageType::WARNING,
                format!(
                    "`didOpen` for {} which is already open; its text is replaced",
                    document.uri.as_str()
                ),
            );
        }
        if let Some(path) = file_path(&document.uri) {
            // Opening a file looks for its solution on disk afresh.
            self.workspace.forget_solution_roots();
            let root = self.workspace.root_for(&path);
            self.start_indexing(root);
        }
        self.mark_due(document.uri);
    }

    fn did_change(&mut self, params: DidChangeTextDocumentParams) {
        let uri = params.text_document.uri;
        let version = params.text_document.version;
        let encoding = self.encoding;
        let Some(document) = self.documents.get_mut(&uri) else {
            self.log(
                MessageType::WARNING,
                format!(
                    "ignoring `didChange` for {} which is not open",
                    uri.as_str()
                ),
            );
            return;
        };
        let previous = document.version;
        let notes = document.apply_changes(version, &params.content_changes, encoding);
        if version <= previous {
            self.log(
                MessageType::WARNING,
                format!(
                    "`didChange` for {} goes from version {previous} to {version}; applied anyway",
                    uri.as_str()
                ),
            );
        }
        for (index, note) in notes {
            let range = params.content_changes.get(index).and_then(|c| c.range);
            let mut problems = Vec::new();
            if note.clamped {
                problems.push("lies outside the document and was clamped to it");
            }
            if note.reversed {
                problems.push("ends before it starts; its ends were swapped");
            }
            self.log(
                MessageType::WARNING,
                format!(
                    "`didChange` for {} version {version}: the range {} of change {index} {}",
                    uri.as_str(),
                    describe_range(range),
                    problems.join(" and ")
                ),
            );
        }
        self.mark_due(uri);
    }

    fn did_close(&mut self, params: DidCloseTextDocumentParams) {
        let uri = params.text_document.uri;
        if !self.documents.close(&uri) {
            self.log(
                MessageType::WARNING,
                format!("ignoring `didClose` for {} which is not open", uri.as_str()),
            );
            return;
        }
        self.due.retain(|due| due != &uri);
        self.notify::<PublishDiagnostics>(PublishDiagnosticsParams {
            uri,
            diagnostics: Vec::new(),
            version: None,
        });
    }

    fn execute_command(&mut self, request: Request) -> Outgoing {
        let workspace = &self.workspace;
        let outcome =
            super::commands::execute(&request.params, |path| workspace.solution_for(path));
        match outcome {
            Ok(outcome) => {
                if let Some(params) = outcome.apply_edit {
                    self.send_request(
                        "workspace/applyEdit",
                        params,
                        PendingRequest::Acknowledgement,
                    );
                }
                ok_response(request.id, &outcome.result)
            }
            Err(failure) => error_response(request.id, failure.code, failure.message),
        }
    }

    fn document_symbols(&mut self, request: Request) -> Outgoing {
        let id = request.id.clone();
        let params: DocumentSymbolParams = match serde_json::from_value(request.params) {
            Ok(params) => params,
            Err(error) => return invalid_params(id, error),
        };
        let uri = params.text_document.uri;
        let Some(analysis) = self.analysis(&uri) else {
            eprintln!(
                "dockside: `documentSymbol` for {} which is not open",
                uri.as_str()
            );
            return ok_response(id, &serde_json::Value::Null);
        };
        let analysis = match analysis {
            Ok(analysis) => analysis,
            Err(reason) => {
                return error_response(
                    id,
                    ErrorCode::InternalError,
                    format!("the analysis of this document failed: {reason}"),
                )
            }
        };
        let symbols = crate::ide::symbols::document_symbols(&analysis);
        let response = if self.hierarchical_symbols {
            DocumentSymbolResponse::Nested(convert::nested_symbols(
                &analysis,
                &symbols,
                self.encoding,
            ))
        } else {
            DocumentSymbolResponse::Flat(convert::flat_symbols(
                &analysis,
                &uri,
                &symbols,
                self.encoding,
            ))
        };
        ok_response(id, &response)
    }

    /// Editor features (`ide/`): the request's document is analysed (once per version) and
    /// the answer converted in `features`.
    fn feature(&mut self, request: Request) -> Outgoing {
        let id = request.id.clone();
        let method = request.method.as_str();
        if method == "completionItem/resolve" {
            return ok_response(id, &features::resolve_completion(request.params));
        }
        if method == "workspace/symbol" {
            let encoding = self.encoding;
            let mut documents = Vec::new();
            let mut uris = self.documents.uris();
            uris.sort_by(|a, b| a.as_str().cmp(b.as_str()));
            // The Dockerfiles of every indexed solution, not only the open ones.
            let solutions: Vec<_> = (self.workspace.roots.iter().cloned())
                .chain(uris.iter().filter_map(file_path))
                .filter_map(|path| self.workspace.solution_for(&path))
                .collect();
            let mut open_paths = Vec::new();
            for uri in uris {
                if let Some(Ok(analysis)) = self.analysis(&uri) {
                    open_paths.extend(file_path(&uri));
                    documents.push(Arc::new(features::FileSymbols::new(
                        uri, &analysis, encoding,
                    )));
                }
            }
            documents.extend(
                self.disk_dockerfiles
                    .symbols(&solutions, &open_paths, encoding),
            );
            documents.sort_by(|a, b| a.uri().as_str().cmp(b.uri().as_str()));
            return ok_response(
                id,
                &features::workspace_symbols(&request.params, &documents),
            );
        }
        let Some(uri) = features::document_of(&request.params) else {
            return error_response(
                id,
                ErrorCode::InvalidParams,
                "missing `textDocument.uri`".to_string(),
            );
        };
        let (analysis, analysis_env) = match self.analysed(&uri) {
            None => {
                eprintln!(
                    "dockside: `{method}` for {} which is not open",
                    uri.as_str()
                );
                return ok_response(id, &serde_json::Value::Null);
            }
            Some((Err(reason), _)) => {
                return error_response(
                    id,
                    ErrorCode::InternalError,
                    format!("the analysis of this document failed: {reason}"),
                )
            }
            Some((Ok(analysis), env)) => (analysis, env),
        };
        let registry = self.workspace.registry.service_for(&analysis_env.config);
        if let (Some(service), "textDocument/hover" | "textDocument/inlayHint") =
            (&registry, method)
        {
            // Answers older than the cache's time-to-live are asked for again.
            super::registry::request_lookups(service, &analysis);
        }
        let images = super::registry::RegistryImages::new(
            crate::ide::catalog_images::CatalogImages::new(
                analysis_env.today.clone(),
                Some(analysis_env.config.platform.clone()),
            ),
            registry,
        );
        let client = self.client.clone();
        let context_files = crate::ide::project_files::ContextFiles::new(&analysis);
        let built_projects = crate::ide::project_files::BuiltProjects::new(
            &analysis,
            analysis_env.solution.as_ref().map(|s| s.workspace.as_ref()),
        );
        let ctx = features::Context {
            encoding: self.encoding,
            client: &client,
            env: crate::ide::IdeEnv {
                images: Some(&images),
                context: context_files
                    .as_ref()
                    .map(|c| c as &dyn crate::ide::BuildContextProvider),
                projects: built_projects
                    .as_ref()
                    .map(|p| p as &dyn crate::ide::ProjectProvider),
            },
            analysis_env: &analysis_env,
        };
        if method == "textDocument/completion" {
            return match features::completion_list(&request.params, &analysis, &ctx) {
                Ok(mut list) => {
                    // A tag list is on its way: the client asks again as the user types on.
                    list.is_incomplete = images.asked_for_tags();
                    ok_response(id, &list)
                }
                Err(failure) => error_response(id, failure.code, failure.message),
            };
        }
        match features::respond(method, &request.params, &uri, &analysis, &ctx) {
            Ok(result) => ok_response(id, &result),
            Err(failure) => error_response(id, failure.code, failure.message),
        }
    }

    /// The analysis of the document's current version (computed at most once per version);
    /// `None` when the document is not open, `Err` when the analysis crashed.
    fn analysis(&mut self, uri: &Uri) -> Option<AnalysisOutcome> {
        self.analysed(uri).map(|(outcome, _)| outcome)
    }

    /// [`Server::analysis`] with the environment it was computed in, which requests about the
    /// same version share instead of assembling their own.
    fn analysed(&mut self, uri: &Uri) -> Option<(AnalysisOutcome, Arc<AnalysisEnv>)> {
        let document = self.documents.get_mut(uri)?;
        if let (Some(analysis), Some(env)) = (&document.analysis, &document.env) {
            return Some((analysis.clone(), Arc::clone(env)));
        }
        let text = document.rope.to_string();
        let (env, problems) = self.workspace.env_for(file_path(uri));
        if !problems.is_empty() {
            self.report_config_problems(&problems);
        }
        let env = Arc::new(env);
        let outcome = panic::catch_unwind(AssertUnwindSafe(|| analyze_owned(text, &env)))
            .map(Arc::new)
            .map_err(|payload| panic_message(payload.as_ref()));
        if let Ok(analysis) = &outcome {
            self.workspace.request_registry_lookups(&env, analysis);
        }
        let document = self.documents.get_mut(uri)?;
        document.analysis = Some(outcome.clone());
        document.env = Some(Arc::clone(&env));
        if let Err(reason) = &outcome {
            self.log(
                MessageType::ERROR,
                format!(
                    "internal error: the analysis of {} failed: {reason}",
                    uri.as_str()
                ),
            );
        }
        Some((outcome, env))
    }

    fn initialized(&mut self) {
        for root in self.workspace.roots.clone() {
            self.start_indexing(root);
        }
        if self.server_requests.watched_files_registration {
            let watchers: Vec<serde_json::Value> = WATCHED_GLOBS
                .iter()
                .map(|glob| serde_json::json!({ "globPattern": glob }))
                .collect();
            self.send_request(
                "client/registerCapability",
                serde_json::json!({"registrations": [{
                    "id": "dockside-watched-files",
                    "method": "workspace/didChangeWatchedFiles",
                    "registerOptions": { "watchers": watchers },
                }]}),
                PendingRequest::Acknowledgement,
            );
        }
        self.request_configuration();
    }

    fn request_configuration(&mut self) {
        if self.server_requests.configuration {
            self.send_request(
                "workspace/configuration",
                serde_json::json!({"items": [{"section": "dockside"}]}),
                PendingRequest::Configuration,
            );
        }
    }

    fn send_request(&mut self, method: &str, params: serde_json::Value, kind: PendingRequest) {
        self.next_request += 1;
        let id = RequestId::from(format!("dockside-{}", self.next_request));
        self.pending.insert(id.clone(), kind);
        self.send(Outgoing::Message(Message::Request(Request {
            id,
            method: method.to_string(),
            params,
        })));
    }

    fn on_response(&mut self, response: Response) {
        match self.pending.remove(&response.id) {
            Some(PendingRequest::Configuration) => match response.response_result {
                Err(error) => self.log(
                    MessageType::WARNING,
                    format!("`workspace/configuration` failed: {}", error.message),
                ),
                Ok(result) => {
                    let settings = result.get(0).filter(|s| !s.is_null()).cloned();
                    if self.workspace.set_settings(settings) {
                        self.reanalyse_all();
                    }
                }
            },
            Some(PendingRequest::Acknowledgement) => {
                if let Err(error) = response.response_result {
                    self.log(
                        MessageType::WARNING,
                        format!("the client refused a request: {}", error.message),
                    );
                }
            }
            None => eprintln!(
                "dockside: ignoring a response to request {} that was never sent",
                response.id
            ),
        }
    }

    fn start_indexing(&mut self, root: std::path::PathBuf) {
        let first = !self.workspace.is_indexing();
        if !self.workspace.start_indexing(root.clone()) {
            return;
        }
        if self.server_requests.work_done_progress && first {
            self.send_request(
                "window/workDoneProgress/create",
                serde_json::json!({ "token": INDEXING_PROGRESS_TOKEN }),
                PendingRequest::Acknowledgement,
            );
            self.send(Outgoing::Serialized(
                serde_json::json!({
                    "jsonrpc": "2.0",
                    "method": "$/progress",
                    "params": {"token": INDEXING_PROGRESS_TOKEN, "value": {
                        "kind": "begin",
                        "title": "Dockside: indexing the solution",
                        "message": root.display().to_string(),
                        "cancellable": false,
                    }},
                })
                .to_string(),
            ));
        }
    }

    fn on_workspace_event(&mut self, event: WorkspaceEvent) {
        match event {
            WorkspaceEvent::Indexed {
                root,
                workspace,
                elapsed_ms,
            } => {
                let summary = format!(
                    "indexed {}: {} projects in {elapsed_ms} ms",
                    root.display(),
                    workspace.projects().count()
                );
                // What made the index incomplete: skipped paths, files not read or not
                // parsed, cycles. Evaluation notes stay out of the log.
                let skipped: Vec<_> = workspace
                    .diagnostics()
                    .into_iter()
                    .filter(|d| {
                        matches!(
                            d.kind,
                            WorkspaceDiagnosticKind::Walk
                                | WorkspaceDiagnosticKind::UnreadableFile
                                | WorkspaceDiagnosticKind::MalformedXml
                                | WorkspaceDiagnosticKind::XmlEntities
                                | WorkspaceDiagnosticKind::ProjectReferenceCycle
                        )
                    })
                    .collect();
                for warning in skipped.iter().take(MAX_INDEX_WARNINGS_LOGGED) {
                    self.log(
                        MessageType::WARNING,
                        format!(
                            "while indexing: {}: {}",
                            warning.path.display(),
                            warning.message
                        ),
                    );
                }
                if skipped.len() > MAX_INDEX_WARNINGS_LOGGED {
                    self.log(
                        MessageType::WARNING,
                        format!(
                            "while indexing {}: {} more problems not shown",
                            root.display(),
                            skipped.len() - MAX_INDEX_WARNINGS_LOGGED
                        ),
                    );
                }
                self.workspace.on_indexed(root, *workspace);
                self.log(MessageType::INFO, summary.clone());
                if self.server_requests.work_done_progress && !self.workspace.is_indexing() {
                    self.send(Outgoing::Serialized(
                        serde_json::json!({
                            "jsonrpc": "2.0",
                            "method": "$/progress",
                            "params": {"token": INDEXING_PROGRESS_TOKEN, "value": {
                                "kind": "end",
                                "message": summary,
                            }},
                        })
                        .to_string(),
                    ));
                }
                self.reanalyse_all();
            }
            WorkspaceEvent::RegistryAnswer(completion) => {
                // Failures are logged by the look-up thread; what was known stays.
                if completion.result.is_ok() {
                    // ImageNotFoundInRegistry reads the answers: the open documents are
                    // analysed again once the answers of this burst are in.
                    self.registry_answers_due
                        .get_or_insert_with(|| Instant::now() + REGISTRY_ANSWER_BATCH);
                    if self.server_requests.inlay_hint_refresh {
                        self.send_request(
                            "workspace/inlayHint/refresh",
                            serde_json::Value::Null,
                            PendingRequest::Acknowledgement,
                        );
                    }
                }
            }
        }
    }

    /// Drops every open document's analysis and schedules fresh diagnostics.
    fn reanalyse_all(&mut self) {
        let uris = self.documents.invalidate_all();
        for uri in uris {
            self.mark_due(uri);
        }
    }

    /// Problems in dockside.toml / .hadolint.yaml become diagnostics on those files; problems
    /// in the editor settings go to the log.
    fn report_config_problems(&mut self, problems: &[ConfigProblem]) {
        let mut by_file: HashMap<std::path::PathBuf, Vec<&ConfigProblem>> = HashMap::new();
        for problem in problems {
            match &problem.file {
                Some(file) => by_file.entry(file.clone()).or_default().push(problem),
                None => self.log(
                    MessageType::WARNING,
                    format!("settings: {}", problem.message),
                ),
            }
        }
        for (file, problems) in by_file {
            let text = crate::dotnet::files::read_text_from_disk(
                &file,
                crate::dotnet::files::DEFAULT_MAX_FILE_SIZE,
            )
            .unwrap_or_default();
            let index = crate::text::LineIndex::new(&text);
            let diagnostics = problems
                .iter()
                .map(|p| {
                    let range = p.range.unwrap_or_default();
                    let start = index.line_col(&text, range.start(), self.encoding);
                    let end = index.line_col(&text, range.end(), self.encoding);
                    lsp_types::Diagnostic {
                        range: lsp_types::Range {
                            start: lsp_types::Position::new(start.line, start.col),
                            end: lsp_types::Position::new(end.line, end.col),
                        },
                        severity: Some(lsp_types::DiagnosticSeverity::WARNING),
                        source: Some("dockside".to_string()),
                        message: p.message.clone(),
                        ..Default::default()
                    }
                })
                .collect();
            let Ok(uri) = format!("file://{}", file.display()).parse::<Uri>() else {
                continue;
            };
            self.notify::<PublishDiagnostics>(PublishDiagnosticsParams {
                uri,
                diagnostics,
                version: None,
            });
        }
    }

    fn mark_due(&mut self, uri: Uri) {
        if !self.due.contains(&uri) {
            self.due.push(uri);
        }
        self.due_since.get_or_insert_with(Instant::now);
    }

    fn publish_due_diagnostics(&mut self) {
        self.due_since = None;
        for uri in std::mem::take(&mut self.due) {
            let Some(outcome) = self.analysis(&uri) else {
                continue;
            };
            let Some(version) = self.documents.get(&uri).map(|d| d.version) else {
                continue;
            };
            let encoding = self.encoding;
            // `None`: no diagnostics to show (stale ones at old positions would mislead).
            let message = match outcome {
                Ok(analysis) => panic::catch_unwind(AssertUnwindSafe(|| {
                    convert::publish_diagnostics_message(&uri, Some(version), &analysis, encoding)
                }))
                .map_or_else(
                    |payload| {
                        self.log(
                            MessageType::ERROR,
                            format!(
                                "internal error: converting the diagnostics of {} failed: {}",
                                uri.as_str(),
                                panic_message(payload.as_ref())
                            ),
                        );
                        None
                    },
                    Some,
                ),
                // Logged already.
                Err(_) => None,
            };
            match message {
                Some(Ok(message)) => self.send(Outgoing::Serialized(message)),
                Some(Err(error)) => eprintln!(
                    "dockside: error: cannot serialize `{}`: {error}",
                    PublishDiagnostics::METHOD
                ),
                None => self.notify::<PublishDiagnostics>(PublishDiagnosticsParams {
                    uri,
                    diagnostics: Vec::new(),
                    version: Some(version),
                }),
            }
        }
    }

    /// Logs to stderr; warnings and errors also go to the client's log once it is
    /// initialized (the protocol allows no notifications before).
    fn log(&self, level: MessageType, message: impl Into<String>) {
        let message = message.into();
        let label = match level {
            MessageType::ERROR => "error",
            MessageType::WARNING => "warning",
            MessageType::INFO => "info",
            _ => "log",
        };
        eprintln!("dockside: {label}: {message}");
        let to_client = level == MessageType::ERROR || level == MessageType::WARNING;
        if to_client && self.phase != Phase::Uninitialized {
            self.notify::<LogMessage>(LogMessageParams {
                typ: level,
                message,
            });
        }
    }

    fn notify<N: lsp_types::notification::Notification>(&self, params: N::Params) {
        match serde_json::to_string(&params) {
            Ok(params) => self.send(Outgoing::Serialized(format!(
                r#"{{"jsonrpc":"2.0","method":"{}","params":{params}}}"#,
                N::METHOD
            ))),
            Err(error) => eprintln!("dockside: error: cannot serialize `{}`: {error}", N::METHOD),
        }
    }

    fn send(&self, outgoing: Outgoing) {
        // Fails only when the writer thread has stopped, which it has already logged.
        let _ = self.outgoing.send(outgoing);
    }
}

/// Removes a queued `$/cancelRequest` for `id`. Cancellation is only ever news about a
/// request that has not been answered yet, so taking it out of order is safe.
fn take_cancellation(queue: &mut VecDeque<Incoming>, id: &RequestId) -> bool {
    let Ok(id) = serde_json::to_value(id) else {
        return false;
    };
    let found = queue.iter().position(|incoming| {
        matches!(incoming, Incoming::Message(Message::Notification(n))
            if n.method == "$/cancelRequest" && n.params.get("id") == Some(&id))
    });
    found.and_then(|index| queue.remove(index)).is_some()
}

/// A success response, serialized directly from the result.
fn ok_response(id: RequestId, result: &impl serde::Serialize) -> Outgoing {
    match (serde_json::to_string(&id), serde_json::to_string(result)) {
        (Ok(id), Ok(result)) => Outgoing::Serialized(format!(
            r#"{{"jsonrpc":"2.0","id":{id},"result":{result}}}"#
        )),
        (_, Err(error)) | (Err(error), _) => error_response(
            id,
            ErrorCode::InternalError,
            format!("cannot serialize the result: {error}"),
        ),
    }
}

fn error_response(id: RequestId, code: ErrorCode, message: String) -> Outgoing {
    Outgoing::Message(Message::Response(Response::new_err(
        id,
        code as i32,
        message,
    )))
}

fn invalid_params(id: RequestId, error: serde_json::Error) -> Outgoing {
    error_response(
        id,
        ErrorCode::InvalidParams,
        format!("invalid params: {error}"),
    )
}

fn describe_range(range: Option<lsp_types::Range>) -> String {
    match range {
        Some(r) => format!(
            "{}:{}-{}:{}",
            r.start.line, r.start.character, r.end.line, r.end.character
        ),
        None => "(none)".to_string(),
    }
}

fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    if let Some(message) = payload.downcast_ref::<&str>() {
        message.to_string()
    } else if let Some(message) = payload.downcast_ref::<String>() {
        message.clone()
    } else {
        "a panic without message".to_string()
    }
}

/// The folders of the workspace: `workspaceFolders`, else `rootUri`, else `rootPath`.
fn workspace_roots(params: &serde_json::Value) -> Vec<std::path::PathBuf> {
    let from_uri = |value: &serde_json::Value| {
        value
            .as_str()
            .and_then(|u| u.parse::<Uri>().ok())
            .and_then(|u| file_path(&u))
    };
    let folders: Vec<_> = params
        .get("workspaceFolders")
        .and_then(|f| f.as_array())
        .map(|folders| {
            folders
                .iter()
                .filter_map(|f| f.get("uri").and_then(from_uri))
                .collect()
        })
        .unwrap_or_default();
    if !folders.is_empty() {
        return folders;
    }
    if let Some(root) = params.get("rootUri").and_then(from_uri) {
        return vec![root];
    }
    params
        .get("rootPath")
        .and_then(|p| p.as_str())
        .map(|p| vec![std::path::PathBuf::from(p)])
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, Value};

    fn request(id: i32, method: &str, params: Value) -> Incoming {
        Incoming::Message(Message::Request(Request {
            id: RequestId::from(id),
            method: method.to_string(),
            params,
        }))
    }

    fn notification(method: &str, params: Value) -> Incoming {
        Incoming::Message(Message::Notification(Notification {
            method: method.to_string(),
            params,
        }))
    }

    /// Runs the server on `messages` in-process; returns its exit code and what it sent.
    fn run(messages: Vec<Incoming>) -> (i32, Vec<Value>) {
        let (incoming_tx, incoming_rx) = crossbeam_channel::unbounded();
        let (outgoing_tx, outgoing_rx) = crossbeam_channel::unbounded();
        for message in messages {
            incoming_tx.send(message).unwrap();
        }
        drop(incoming_tx);
        let code = Server::new(outgoing_tx).run(incoming_rx);
        let sent = outgoing_rx
            .try_iter()
            .map(|outgoing| match outgoing {
                Outgoing::Serialized(text) => serde_json::from_str(&text).unwrap(),
                Outgoing::Message(message) => serde_json::to_value(message).unwrap(),
            })
            .collect();
        (code, sent)
    }

    #[test]
    fn a_panicking_handler_becomes_an_internal_error_and_the_server_goes_on() {
        let (code, sent) = run(vec![
            request(1, "initialize", json!({"capabilities": {}})),
            request(2, "dockside/test/panic", Value::Null),
            notification(
                "textDocument/didOpen",
                json!({"textDocument": {"uri": "file:///D", "languageId": "dockerfile", "version": 1, "text": "FROM a\n"}}),
            ),
            request(
                3,
                "textDocument/documentSymbol",
                json!({"textDocument": {"uri": "file:///D"}}),
            ),
            request(4, "shutdown", Value::Null),
            notification("exit", Value::Null),
        ]);
        assert_eq!(code, 0);
        let response = |id: i32| {
            sent.iter()
                .find(|m| m["id"] == json!(id))
                .cloned()
                .unwrap_or_else(|| panic!("no response {id} in {sent:?}"))
        };
        assert_eq!(
            response(2)["error"]["code"],
            ErrorCode::InternalError as i32
        );
        assert_eq!(
            response(2)["error"]["message"],
            "internal error in `dockside/test/panic`: a bug in a request handler"
        );
        assert_eq!(response(3)["result"][0]["name"], "a");
        assert_eq!(response(4)["result"], Value::Null);
        assert!(sent.iter().any(|m| m["method"] == "window/logMessage"
            && m["params"]["message"]
                .as_str()
                .is_some_and(|t| t.contains("a bug in a request handler"))));
    }

    #[test]
    fn diagnostics_wait_until_the_queue_is_empty() {
        let uri = "file:///D";
        let mut messages = vec![
            request(
                1,
                "initialize",
                json!({"capabilities": {"textDocument": {"documentSymbol": {"hierarchicalDocumentSymbolSupport": true}}}}),
            ),
            notification(
                "textDocument/didOpen",
                json!({"textDocument": {"uri": uri, "languageId": "dockerfile", "version": 1, "text": "FROM a\n"}}),
            ),
        ];
        for version in 2..=50 {
            messages.push(notification(
                "textDocument/didChange",
                json!({"textDocument": {"uri": uri, "version": version}, "contentChanges": [
                    {"range": {"start": {"line": 1, "character": 0}, "end": {"line": 1, "character": 0}}, "text": "RUN x\n"}
                ]}),
            ));
        }
        messages.push(request(
            2,
            "textDocument/documentSymbol",
            json!({"textDocument": {"uri": uri}}),
        ));
        // The input then ends without shutdown.
        let (code, sent) = run(messages);
        assert_eq!(code, 1);
        // Everything was queued at once: the request is answered from the latest text,
        // and diagnostics are published once, for the last version, when the queue is empty.
        assert_eq!(sent.len(), 4, "{sent:?}");
        assert_eq!(sent[0]["id"], 1);
        assert_eq!(sent[1]["id"], 2);
        assert_eq!(
            sent[1]["result"][0]["children"].as_array().map(Vec::len),
            Some(50)
        );
        assert_eq!(sent[2]["method"], "textDocument/publishDiagnostics");
        assert_eq!(sent[2]["params"]["version"], 50);
        assert_eq!(sent[3]["method"], "window/logMessage");
    }
}
