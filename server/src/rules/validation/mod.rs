//! Rules of origin `validation`, one per file.

use crate::rules::Rule;

pub static RULES: &[&dyn Rule] = &[];
