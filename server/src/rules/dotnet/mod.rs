//! Rules of origin `dotnet`, one per file.

use crate::rules::Rule;

pub static RULES: &[&dyn Rule] = &[];
