//! Editor features as plain functions over an [`crate::analysis::Analysis`]: hover,
//! completion, symbols, ... The `lsp` layer only converts positions and types.

pub mod symbols;
