//! Dockside's results as LSP types.

use std::str::FromStr;

use lsp_types::{
    CodeDescription, DiagnosticSeverity, DocumentSymbol, Location, NumberOrString,
    SymbolInformation, Uri,
};

use super::position::to_lsp_range;
use crate::analysis::{Analysis, Diagnostic, Severity};
use crate::ide::symbols::{Symbol, SymbolKind};
use crate::text::Encoding;

pub(crate) const SOURCE: &str = "dockside";

pub(crate) fn diagnostic(
    analysis: &Analysis,
    diagnostic: &Diagnostic,
    encoding: Encoding,
) -> lsp_types::Diagnostic {
    lsp_types::Diagnostic {
        range: to_lsp_range(analysis, diagnostic.range, encoding),
        severity: Some(severity(diagnostic.severity)),
        code: Some(NumberOrString::String(diagnostic.code.to_string())),
        code_description: diagnostic
            .docs_url
            .as_deref()
            .and_then(|url| Uri::from_str(url).ok())
            .map(|href| CodeDescription { href }),
        source: Some(SOURCE.to_string()),
        message: diagnostic.message.clone(),
        related_information: None,
        tags: None,
        data: None,
    }
}

/// The `textDocument/publishDiagnostics` notification (the whole JSON-RPC message) for every
/// diagnostic of an analysis.
pub(crate) fn publish_diagnostics_message(
    uri: &Uri,
    version: Option<i32>,
    analysis: &Analysis,
    encoding: Encoding,
) -> serde_json::Result<String> {
    let mut out = Vec::with_capacity(256 + 256 * analysis.diagnostics.len());
    out.extend_from_slice(
        br#"{"jsonrpc":"2.0","method":"textDocument/publishDiagnostics","params":"#,
    );
    serde_json::to_writer(&mut out, &publish_params(uri, version, analysis, encoding))?;
    out.push(b'}');
    String::from_utf8(out).map_err(serde::ser::Error::custom)
}

/// The params of `textDocument/publishDiagnostics`, with borrowed fields: the same JSON as
/// [`diagnostic`] and `lsp_types`, without copying each message and building each link again
/// (a 30,000-line file has thousands of diagnostics).
fn publish_params<'a>(
    uri: &'a Uri,
    version: Option<i32>,
    analysis: &'a Analysis,
    encoding: Encoding,
) -> PublishParams<'a> {
    // Links repeat (one per rule): each is checked to be a URI once.
    let mut valid_links: std::collections::HashMap<&str, bool> = Default::default();
    let diagnostics: Vec<PublishedDiagnostic> = analysis
        .diagnostics
        .iter()
        .map(|d| {
            let link = d.docs_url.as_deref().filter(|url| {
                *valid_links
                    .entry(url)
                    .or_insert_with(|| Uri::from_str(url).is_ok())
            });
            PublishedDiagnostic {
                range: to_lsp_range(analysis, d.range, encoding),
                severity: severity(d.severity),
                code: d.code,
                code_description: link.map(|href| Link { href }),
                source: SOURCE,
                message: &d.message,
            }
        })
        .collect();
    PublishParams {
        uri: uri.as_str(),
        diagnostics,
        version,
    }
}

/// `PublishDiagnosticsParams` with borrowed fields.
#[derive(serde::Serialize)]
struct PublishParams<'a> {
    uri: &'a str,
    diagnostics: Vec<PublishedDiagnostic<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    version: Option<i32>,
}

/// An LSP `Diagnostic` with the fields Dockside sets, borrowed.
#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
struct PublishedDiagnostic<'a> {
    range: lsp_types::Range,
    severity: DiagnosticSeverity,
    code: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    code_description: Option<Link<'a>>,
    source: &'static str,
    message: &'a str,
}

#[derive(serde::Serialize)]
struct Link<'a> {
    href: &'a str,
}

fn severity(severity: Severity) -> DiagnosticSeverity {
    match severity {
        Severity::Error => DiagnosticSeverity::ERROR,
        Severity::Warning => DiagnosticSeverity::WARNING,
        Severity::Info => DiagnosticSeverity::INFORMATION,
        Severity::Hint => DiagnosticSeverity::HINT,
    }
}

pub(crate) fn nested_symbols(
    analysis: &Analysis,
    symbols: &[Symbol],
    encoding: Encoding,
) -> Vec<DocumentSymbol> {
    symbols
        .iter()
        .map(|symbol| {
            #[allow(deprecated)] // `deprecated` is a required field of the struct
            DocumentSymbol {
                name: symbol.name.clone(),
                detail: symbol.detail.clone(),
                kind: symbol_kind(symbol.kind),
                tags: None,
                deprecated: None,
                range: to_lsp_range(analysis, symbol.range, encoding),
                selection_range: to_lsp_range(analysis, symbol.selection_range, encoding),
                children: (!symbol.children.is_empty())
                    .then(|| nested_symbols(analysis, &symbol.children, encoding)),
            }
        })
        .collect()
}

/// For clients without hierarchical symbol support: every symbol, parents before their
/// children, each child naming its stage as container.
pub(crate) fn flat_symbols(
    analysis: &Analysis,
    uri: &Uri,
    symbols: &[Symbol],
    encoding: Encoding,
) -> Vec<SymbolInformation> {
    let mut out = Vec::new();
    flatten_into(analysis, uri, symbols, None, encoding, &mut out);
    out
}

fn flatten_into(
    analysis: &Analysis,
    uri: &Uri,
    symbols: &[Symbol],
    container: Option<&str>,
    encoding: Encoding,
    out: &mut Vec<SymbolInformation>,
) {
    for symbol in symbols {
        #[allow(deprecated)] // `deprecated` is a required field of the struct
        out.push(SymbolInformation {
            name: symbol.name.clone(),
            kind: symbol_kind(symbol.kind),
            tags: None,
            deprecated: None,
            location: Location::new(uri.clone(), to_lsp_range(analysis, symbol.range, encoding)),
            container_name: container.map(str::to_string),
        });
        flatten_into(
            analysis,
            uri,
            &symbol.children,
            Some(&symbol.name),
            encoding,
            out,
        );
    }
}

fn symbol_kind(kind: SymbolKind) -> lsp_types::SymbolKind {
    match kind {
        SymbolKind::Stage => lsp_types::SymbolKind::NAMESPACE,
        SymbolKind::Directive => lsp_types::SymbolKind::KEY,
        SymbolKind::Variable => lsp_types::SymbolKind::VARIABLE,
        SymbolKind::Metadata => lsp_types::SymbolKind::PROPERTY,
        SymbolKind::Filesystem => lsp_types::SymbolKind::FILE,
        SymbolKind::Command | SymbolKind::Instruction => lsp_types::SymbolKind::FUNCTION,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::AnalysisEnv;
    use crate::text::TextRange;

    #[test]
    fn diagnostics_carry_code_source_link_and_encoded_range() {
        let text = "LABEL x=\"🐳\" y\n";
        let analysis = crate::analysis::analyze(text, &AnalysisEnv::default());
        let y = text.find(" y").unwrap() + 1;
        let finding = Diagnostic {
            range: TextRange::new(y, y + 1),
            severity: Severity::Warning,
            code: "SomeRule",
            message: "m".into(),
            docs_url: Some("https://dockside.dev/rules/SomeRule".into()),
            fixable: false,
        };
        let utf16 = diagnostic(&analysis, &finding, Encoding::Utf16);
        assert_eq!(utf16.range.start, lsp_types::Position::new(0, 13));
        assert_eq!(utf16.range.end, lsp_types::Position::new(0, 14));
        let utf8 = diagnostic(&analysis, &finding, Encoding::Utf8);
        assert_eq!(utf8.range.start, lsp_types::Position::new(0, 15));
        assert_eq!(utf8.severity, Some(DiagnosticSeverity::WARNING));
        assert_eq!(
            utf8.code,
            Some(NumberOrString::String("SomeRule".to_string()))
        );
        assert_eq!(utf8.source.as_deref(), Some("dockside"));
        assert_eq!(
            utf8.code_description.map(|d| d.href.as_str().to_string()),
            Some("https://dockside.dev/rules/SomeRule".to_string())
        );
    }

    #[test]
    fn published_diagnostics_serialize_as_lsp_types_does() {
        let text = "from alpine\nMAINTAINER me\nRUN cd /x && echo \"🐳\"\n";
        let mut analysis = crate::analysis::analyze(text, &AnalysisEnv::default());
        assert!(
            analysis.diagnostics.len() >= 2,
            "{:?}",
            analysis.diagnostics
        );
        analysis.diagnostics[0].docs_url = Some("not a uri".into());
        analysis.diagnostics[1].docs_url = None;
        let uri = Uri::from_str("file:///w/Dockerfile").unwrap();
        for encoding in [Encoding::Utf8, Encoding::Utf16] {
            for version in [Some(3), None] {
                let expected = lsp_types::PublishDiagnosticsParams {
                    uri: uri.clone(),
                    diagnostics: analysis
                        .diagnostics
                        .iter()
                        .map(|d| diagnostic(&analysis, d, encoding))
                        .collect(),
                    version,
                };
                let written = publish_diagnostics_message(&uri, version, &analysis, encoding);
                let message: serde_json::Value = serde_json::from_str(&written.unwrap()).unwrap();
                assert_eq!(
                    message,
                    serde_json::json!({
                        "jsonrpc": "2.0",
                        "method": "textDocument/publishDiagnostics",
                        "params": expected,
                    })
                );
            }
        }
    }

    #[test]
    fn flat_symbols_name_their_container() {
        let text = "FROM a AS b\nRUN x\n";
        let analysis = crate::analysis::analyze(text, &AnalysisEnv::default());
        let symbols = vec![Symbol {
            name: "b".into(),
            detail: None,
            kind: SymbolKind::Stage,
            range: TextRange::new(0, 17),
            selection_range: TextRange::new(10, 11),
            children: vec![Symbol {
                name: "RUN".into(),
                detail: Some("x".into()),
                kind: SymbolKind::Command,
                range: TextRange::new(12, 17),
                selection_range: TextRange::new(12, 15),
                children: vec![],
            }],
        }];
        let uri = Uri::from_str("file:///Dockerfile").unwrap();
        let flat = flat_symbols(&analysis, &uri, &symbols, Encoding::Utf16);
        assert_eq!(flat.len(), 2);
        assert_eq!(flat[0].container_name, None);
        assert_eq!(flat[1].container_name.as_deref(), Some("b"));
        assert_eq!(flat[1].location.range.start, lsp_types::Position::new(1, 0));
        let nested = nested_symbols(&analysis, &symbols, Encoding::Utf16);
        assert_eq!(
            nested[0].selection_range.start,
            lsp_types::Position::new(0, 10)
        );
        assert_eq!(nested[0].children.as_ref().map(Vec::len), Some(1));
        assert_eq!(nested[0].children.as_ref().unwrap()[0].children, None);
    }
}
