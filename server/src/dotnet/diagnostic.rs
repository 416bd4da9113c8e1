//! Problems found while reading the solution. They never stop indexing: each one names the
//! file it is about and, when known, the byte range in that file.

use std::path::PathBuf;

use crate::analysis::Severity;
use crate::text::TextRange;

/// What kind of problem a [`WorkspaceDiagnostic`] reports, so that rules and the editor can
/// pick the ones they care about without parsing messages.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum WorkspaceDiagnosticKind {
    /// The directory walk skipped something (symlink loop, unreadable directory,
    /// non-UTF-8 name, file or depth limit).
    Walk,
    /// A file could not be read, is too large, or is not valid UTF-8/UTF-16.
    UnreadableFile,
    /// XML that is not well-formed; the file is skipped.
    MalformedXml,
    /// A DOCTYPE that declares entities; Dockside never expands them and skips the file.
    XmlEntities,
    /// JSON (global.json, launchSettings.json) that does not parse.
    MalformedJson,
    /// YAML (compose files) that does not parse.
    MalformedYaml,
    /// A solution file line or element that could not be understood.
    MalformedSolution,
    /// `<Import Project=...>` of a file that does not exist.
    ImportNotFound,
    /// An import that is already being evaluated (MSBuild reports MSB4210/MSB4011).
    ImportCycle,
    /// A `ProjectReference` to a file that does not exist.
    MissingProjectReference,
    /// ProjectReferences that form a cycle.
    ProjectReferenceCycle,
    /// An expression or condition Dockside does not evaluate; the result is a best guess.
    UnsupportedExpression,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WorkspaceDiagnostic {
    pub path: PathBuf,
    /// Byte range in `path`'s (decoded) text, when known.
    pub range: Option<TextRange>,
    pub severity: Severity,
    pub kind: WorkspaceDiagnosticKind,
    pub message: String,
}

impl WorkspaceDiagnostic {
    pub fn new(
        path: impl Into<PathBuf>,
        range: Option<TextRange>,
        severity: Severity,
        kind: WorkspaceDiagnosticKind,
        message: impl Into<String>,
    ) -> Self {
        WorkspaceDiagnostic {
            path: path.into(),
            range,
            severity,
            kind,
            message: message.into(),
        }
    }
}
