//! `textDocument/hover`.

use lsp_types::{Hover, HoverContents, HoverParams, MarkupContent, MarkupKind};

use crate::analysis::{Analysis, AnalysisEnv};
use crate::lsp::position::{to_lsp_range, to_offset};
use crate::text::Encoding;

/// The hover at the request's position: the image of a `FROM` line first (other hovers are
/// tried after it as they are added).
pub(crate) fn hover(
    analysis: &Analysis,
    env: &AnalysisEnv,
    encoding: Encoding,
    params: HoverParams,
) -> Option<Hover> {
    let offset = to_offset(
        analysis,
        params.text_document_position_params.position,
        encoding,
    );
    image_hover(analysis, env, offset, encoding)
}

/// The hover of the `FROM` image at `offset`.
pub(crate) fn image_hover(
    analysis: &Analysis,
    env: &AnalysisEnv,
    offset: usize,
    encoding: Encoding,
) -> Option<Hover> {
    let found = crate::ide::image_hover::hover(analysis, offset, env)?;
    Some(Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value: found.markdown,
        }),
        range: Some(to_lsp_range(analysis, found.range, encoding)),
    })
}
