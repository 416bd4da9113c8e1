//! Rules of origin `buildkit`, one per file.

use crate::rules::Rule;

pub static RULES: &[&dyn Rule] = &[];
