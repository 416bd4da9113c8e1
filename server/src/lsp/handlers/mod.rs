//! Request handlers, one file per feature: they take an analysis (and what else they need),
//! convert positions through [`super::position`] and return LSP types.

pub(crate) mod hover;
pub(crate) mod inlay_hints;
