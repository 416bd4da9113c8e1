//! Editor features as plain functions over an [`crate::analysis::Analysis`]: hover,
//! completion, symbols, ... The `lsp` layer only converts positions and types.

pub mod image_completion;
pub mod image_hover;
pub mod inlay_hints;
pub mod symbols;
