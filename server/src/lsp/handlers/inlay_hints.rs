//! `textDocument/inlayHint`.

use lsp_types::{InlayHint, InlayHintLabel, InlayHintParams};

use crate::analysis::{Analysis, AnalysisEnv};
use crate::lsp::position::{to_lsp_position, to_offset};
use crate::text::{Encoding, TextRange};

/// The size hints after the `FROM` images in the requested range.
pub(crate) fn inlay_hints(
    analysis: &Analysis,
    env: &AnalysisEnv,
    encoding: Encoding,
    params: InlayHintParams,
) -> Vec<InlayHint> {
    let start = to_offset(analysis, params.range.start, encoding);
    let end = to_offset(analysis, params.range.end, encoding);
    let range = TextRange::new(start.min(end), start.max(end));
    crate::ide::inlay_hints::inlay_hints(analysis, env, range)
        .into_iter()
        .map(|hint| InlayHint {
            position: to_lsp_position(analysis, hint.offset, encoding),
            label: InlayHintLabel::String(hint.label),
            kind: None,
            text_edits: None,
            tooltip: None,
            padding_left: Some(true),
            padding_right: None,
            data: None,
        })
        .collect()
}
