//! MSBuild properties: a case-insensitive, ordered-by-assignment property bag that remembers
//! where each value was set, so rules can point at the line that set `PublishAot`.

use rustc_hash::FxHashMap as HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::text::TextRange;

/// A place in a workspace file.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Location {
    pub path: Arc<Path>,
    pub range: TextRange,
}

impl Location {
    pub fn new(path: &Arc<Path>, range: TextRange) -> Self {
        Location {
            path: path.clone(),
            range,
        }
    }
    pub fn path_buf(&self) -> PathBuf {
        self.path.to_path_buf()
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Property {
    /// The name as last written.
    pub name: String,
    pub value: String,
    /// Where the value was set; `None` for reserved and global properties.
    pub origin: Option<Location>,
}

#[derive(Clone, Debug, Default)]
pub struct PropertyBag {
    by_lower_name: HashMap<String, Property>,
}

impl PropertyBag {
    pub fn get(&self, name: &str) -> Option<&Property> {
        if name.bytes().any(|b| b.is_ascii_uppercase()) {
            self.by_lower_name.get(&name.to_ascii_lowercase())
        } else {
            self.by_lower_name.get(name)
        }
    }

    /// The value, or the empty string for an undefined property (as MSBuild expands it).
    pub fn value(&self, name: &str) -> &str {
        self.get(name).map(|p| p.value.as_str()).unwrap_or("")
    }

    pub fn is_defined(&self, name: &str) -> bool {
        self.get(name).is_some()
    }

    pub fn set(&mut self, name: &str, value: String, origin: Option<Location>) {
        self.by_lower_name.insert(
            name.to_ascii_lowercase(),
            Property {
                name: name.to_string(),
                value,
                origin,
            },
        );
    }

    pub fn iter(&self) -> impl Iterator<Item = &Property> {
        self.by_lower_name.values()
    }

    pub fn len(&self) -> usize {
        self.by_lower_name.len()
    }

    pub fn is_empty(&self) -> bool {
        self.by_lower_name.is_empty()
    }
}

/// MSBuild's reading of a boolean property: `true`/`false` in any case; anything else
/// (including empty) is "not set".
pub fn parse_bool(value: &str) -> Option<bool> {
    let value = value.trim();
    if value.eq_ignore_ascii_case("true") {
        Some(true)
    } else if value.eq_ignore_ascii_case("false") {
        Some(false)
    } else {
        None
    }
}

/// Splits a `;`-separated MSBuild list, trimming and dropping empty entries.
pub fn split_list(value: &str) -> Vec<String> {
    value
        .split(';')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}
