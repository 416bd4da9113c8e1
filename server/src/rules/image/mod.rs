//! Rules of origin `image`, one per file.

use crate::rules::Rule;

pub static RULES: &[&dyn Rule] = &[];
