//! global.json: the SDK version pin, its roll-forward policy, and msbuild-sdks.

use std::path::{Path, PathBuf};

use super::diagnostic::{WorkspaceDiagnostic, WorkspaceDiagnosticKind};
use crate::analysis::Severity;
use crate::text::TextRange;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GlobalJson {
    pub path: PathBuf,
    pub sdk_version: Option<String>,
    /// Range of the version string (without quotes).
    pub sdk_version_range: Option<TextRange>,
    pub roll_forward: Option<String>,
    pub allow_prerelease: Option<bool>,
    /// `msbuild-sdks`: name and version, in file order.
    pub msbuild_sdks: Vec<(String, String)>,
    pub diagnostics: Vec<WorkspaceDiagnostic>,
}

impl GlobalJson {
    /// The policy in force: the written one, else `latestPatch` when a version is pinned
    /// (the .NET host's default), else `latestMajor`.
    pub fn effective_roll_forward(&self) -> &str {
        match (&self.roll_forward, &self.sdk_version) {
            (Some(policy), _) => policy,
            (None, Some(_)) => "latestPatch",
            (None, None) => "latestMajor",
        }
    }

    pub fn dir(&self) -> &Path {
        self.path.parent().unwrap_or(Path::new("/"))
    }
}

pub fn parse_global_json(path: &Path, text: &str) -> GlobalJson {
    let mut result = GlobalJson {
        path: path.to_path_buf(),
        sdk_version: None,
        sdk_version_range: None,
        roll_forward: None,
        allow_prerelease: None,
        msbuild_sdks: Vec::new(),
        diagnostics: Vec::new(),
    };
    // The .NET host accepts comments in global.json; blank them out, keeping offsets.
    let cleaned = blank_comments(text.trim_start_matches('\u{feff}'));
    let bom = text.len() - text.trim_start_matches('\u{feff}').len();
    let value: serde_json::Value = match serde_json::from_str(&cleaned) {
        Ok(value) => value,
        Err(error) => {
            let offset = line_col_to_offset(&cleaned, error.line(), error.column()) + bom;
            result.diagnostics.push(WorkspaceDiagnostic::new(
                path,
                Some(TextRange::empty(offset.min(text.len()))),
                Severity::Error,
                WorkspaceDiagnosticKind::MalformedJson,
                format!("global.json is not valid JSON: {error}"),
            ));
            return result;
        }
    };
    if let Some(sdk) = value.get("sdk") {
        result.sdk_version = sdk
            .get("version")
            .and_then(|v| v.as_str())
            .map(str::to_string);
        result.roll_forward = sdk
            .get("rollForward")
            .and_then(|v| v.as_str())
            .map(str::to_string);
        result.allow_prerelease = sdk.get("allowPrerelease").and_then(|v| v.as_bool());
        if let Some(version) = &result.sdk_version {
            let sdk_key = cleaned.find("\"sdk\"").unwrap_or(0);
            let needle = format!("\"{version}\"");
            if let Some(found) = cleaned[sdk_key..].find(&needle) {
                let start = bom + sdk_key + found + 1;
                result.sdk_version_range = Some(TextRange::new(start, start + version.len()));
            }
        }
    }
    if let Some(sdks) = value.get("msbuild-sdks").and_then(|v| v.as_object()) {
        for (name, version) in sdks {
            if let Some(version) = version.as_str() {
                result
                    .msbuild_sdks
                    .push((name.clone(), version.to_string()));
            }
        }
    }
    result
}

/// Replaces `//` and `/* */` comments outside strings with spaces.
fn blank_comments(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = bytes.to_vec();
    let mut i = 0;
    let mut in_string = false;
    while i < bytes.len() {
        let b = bytes[i];
        if in_string {
            if b == b'\\' {
                i += 2;
                continue;
            }
            if b == b'"' {
                in_string = false;
            }
            i += 1;
            continue;
        }
        match (b, bytes.get(i + 1)) {
            (b'"', _) => {
                in_string = true;
                i += 1;
            }
            (b'/', Some(b'/')) => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    out[i] = b' ';
                    i += 1;
                }
            }
            (b'/', Some(b'*')) => {
                while i < bytes.len() && !(bytes[i] == b'*' && bytes.get(i + 1) == Some(&b'/')) {
                    if bytes[i] != b'\n' {
                        out[i] = b' ';
                    }
                    i += 1;
                }
                for _ in 0..2 {
                    if i < bytes.len() {
                        out[i] = b' ';
                        i += 1;
                    }
                }
            }
            _ => i += 1,
        }
    }
    // Only ASCII bytes outside strings were replaced by ASCII spaces, so this stays UTF-8.
    String::from_utf8(out).unwrap_or_else(|_| text.to_string())
}

fn line_col_to_offset(text: &str, line: usize, column: usize) -> usize {
    let mut offset = 0;
    for (index, line_text) in text.split_inclusive('\n').enumerate() {
        if index + 1 == line {
            return offset + column.saturating_sub(1).min(line_text.len());
        }
        offset += line_text.len();
    }
    text.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_sdk_pin_policy_and_msbuild_sdks() {
        let text = "{\n  // pinned for CI\n  \"sdk\": { \"version\": \"8.0.100\", \"rollForward\": \"latestFeature\" },\n  \"msbuild-sdks\": { \"Microsoft.Build.Traversal\": \"4.1.0\" }\n}\n";
        let global = parse_global_json(Path::new("/repo/global.json"), text);
        assert_eq!(global.sdk_version.as_deref(), Some("8.0.100"));
        assert_eq!(global.effective_roll_forward(), "latestFeature");
        assert_eq!(
            &text[global.sdk_version_range.unwrap().as_range()],
            "8.0.100"
        );
        assert_eq!(
            global.msbuild_sdks,
            vec![("Microsoft.Build.Traversal".to_string(), "4.1.0".to_string())]
        );
        assert!(global.diagnostics.is_empty());
    }

    #[test]
    fn default_roll_forward_is_latest_patch_when_pinned() {
        let global = parse_global_json(Path::new("/g.json"), "{\"sdk\":{\"version\":\"6.0.400\"}}");
        assert_eq!(global.effective_roll_forward(), "latestPatch");
    }

    #[test]
    fn malformed_json_is_a_diagnostic_with_position() {
        let text = "{\n  \"sdk\": { \"version\": \"8.0.100\" \n}";
        let global = parse_global_json(Path::new("/g.json"), text);
        assert_eq!(global.sdk_version, None);
        assert_eq!(global.diagnostics.len(), 1);
        assert_eq!(
            global.diagnostics[0].kind,
            WorkspaceDiagnosticKind::MalformedJson
        );
        assert!(global.diagnostics[0].range.is_some());
    }
}
