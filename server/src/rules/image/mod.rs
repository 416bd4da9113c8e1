//! Rules of origin `image`, one per file.

mod image_not_found_in_registry;

use crate::rules::Rule;

pub static RULES: &[&dyn Rule] = &[&image_not_found_in_registry::ImageNotFoundInRegistry];
