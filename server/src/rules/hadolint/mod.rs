//! Rules of origin `hadolint`, one per file.

use crate::rules::Rule;

pub static RULES: &[&dyn Rule] = &[];
