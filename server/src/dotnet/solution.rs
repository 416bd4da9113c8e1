//! Solution files: the classic text `.sln` format and the XML `.slnx` format.

use std::path::{Path, PathBuf};

use super::diagnostic::{WorkspaceDiagnostic, WorkspaceDiagnosticKind};
use super::paths;
use super::xml::{self, XmlElement};
use crate::analysis::Severity;
use crate::text::TextRange;

/// The project type of solution folders in `.sln` files; they are not projects.
const SOLUTION_FOLDER_TYPE: &str = "2150E333-8FDC-42A3-9474-1A3956D46DE8";

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SolutionProject {
    /// The display name (`.sln`), or the file stem (`.slnx`).
    pub name: String,
    /// The path as written in the solution.
    pub raw_path: String,
    /// Absolute, normalised path.
    pub path: PathBuf,
    /// Range of the path in the solution file.
    pub range: TextRange,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Solution {
    pub path: PathBuf,
    pub projects: Vec<SolutionProject>,
    pub diagnostics: Vec<WorkspaceDiagnostic>,
}

impl Solution {
    pub fn dir(&self) -> &Path {
        self.path.parent().unwrap_or(Path::new("/"))
    }
}

/// Parses a solution of either format, chosen by the file extension.
pub fn parse_solution(path: &Path, text: &str) -> Solution {
    let is_slnx = path
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("slnx"));
    if is_slnx {
        parse_slnx(path, text)
    } else {
        parse_sln(path, text)
    }
}

fn parse_sln(path: &Path, text: &str) -> Solution {
    let dir = path.parent().unwrap_or(Path::new("/"));
    let mut solution = Solution {
        path: path.to_path_buf(),
        projects: Vec::new(),
        diagnostics: Vec::new(),
    };
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let line_start = offset;
        offset += line.len();
        let trimmed = line.trim_start();
        if !trimmed.starts_with("Project(") {
            continue;
        }
        let indent = line.len() - trimmed.len();
        // Project("{TYPE}") = "Name", "Path", "{GUID}"
        let quoted = quoted_strings(trimmed);
        if quoted.len() < 4 {
            solution.diagnostics.push(WorkspaceDiagnostic::new(
                path,
                Some(TextRange::new(
                    line_start,
                    line_start + line.trim_end().len(),
                )),
                Severity::Warning,
                WorkspaceDiagnosticKind::MalformedSolution,
                "a Project line of the solution could not be read",
            ));
            continue;
        }
        let type_guid = quoted[0].1.trim_matches(['{', '}']);
        if type_guid.eq_ignore_ascii_case(SOLUTION_FOLDER_TYPE) {
            continue;
        }
        let (name_start, name) = quoted[1];
        let _ = name_start;
        let (path_start, raw_path) = quoted[2];
        let absolute = line_start + indent + path_start;
        solution.projects.push(SolutionProject {
            name: name.to_string(),
            raw_path: raw_path.to_string(),
            path: paths::resolve(dir, raw_path),
            range: TextRange::new(absolute, absolute + raw_path.len()),
        });
    }
    solution
}

/// The double-quoted strings of a line with the byte offset of their contents.
fn quoted_strings(line: &str) -> Vec<(usize, &str)> {
    let mut result = Vec::new();
    let mut rest_start = 0;
    while let Some(open) = line[rest_start..].find('"') {
        let start = rest_start + open + 1;
        let Some(close) = line[start..].find('"') else {
            break;
        };
        result.push((start, &line[start..start + close]));
        rest_start = start + close + 1;
    }
    result
}

fn parse_slnx(path: &Path, text: &str) -> Solution {
    let dir = path.parent().unwrap_or(Path::new("/"));
    let mut solution = Solution {
        path: path.to_path_buf(),
        projects: Vec::new(),
        diagnostics: Vec::new(),
    };
    match xml::parse(text) {
        Ok(document) => collect_slnx_projects(&document.root, dir, &mut solution.projects),
        Err(error) => solution.diagnostics.push(WorkspaceDiagnostic::new(
            path,
            error.range,
            Severity::Error,
            if error.declares_entities {
                WorkspaceDiagnosticKind::XmlEntities
            } else {
                WorkspaceDiagnosticKind::MalformedXml
            },
            error.message,
        )),
    }
    solution
}

fn collect_slnx_projects(element: &XmlElement, dir: &Path, out: &mut Vec<SolutionProject>) {
    for child in &element.children {
        if child.is("Project") {
            if let Some(attribute) = child.attribute("Path") {
                let resolved = paths::resolve(dir, &attribute.value);
                out.push(SolutionProject {
                    name: paths::file_stem(&resolved),
                    raw_path: attribute.value.clone(),
                    path: resolved,
                    range: attribute.value_range,
                });
            }
        } else if child.is("Folder") {
            collect_slnx_projects(child, dir, out);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classic_sln_lists_projects_but_not_folders() {
        let text = "\u{feff}\nMicrosoft Visual Studio Solution File, Format Version 12.00\n# Visual Studio Version 17\nProject(\"{9A19103F-16F7-4668-BE54-9A1E7A4F7556}\") = \"Api\", \"src\\Api\\Api.csproj\", \"{1B2C}\"\nEndProject\nProject(\"{2150E333-8FDC-42A3-9474-1A3956D46DE8}\") = \"src\", \"src\", \"{AB}\"\nEndProject\nProject(\"{broken\nGlobal\nEndGlobal\n";
        let solution = parse_solution(Path::new("/repo/App.sln"), text);
        assert_eq!(solution.projects.len(), 1);
        let project = &solution.projects[0];
        assert_eq!(project.name, "Api");
        assert_eq!(project.path, PathBuf::from("/repo/src/Api/Api.csproj"));
        assert_eq!(&text[project.range.as_range()], "src\\Api\\Api.csproj");
        assert_eq!(solution.diagnostics.len(), 1);
        assert_eq!(
            solution.diagnostics[0].kind,
            WorkspaceDiagnosticKind::MalformedSolution
        );
    }

    #[test]
    fn slnx_lists_projects_in_folders() {
        let text = "<Solution>\n  <Folder Name=\"/src/\">\n    <Project Path=\"src/Api/Api.csproj\" />\n  </Folder>\n  <Project Path=\"tests/Api.Tests/Api.Tests.csproj\" />\n</Solution>\n";
        let solution = parse_solution(Path::new("/repo/App.slnx"), text);
        let names: Vec<_> = solution.projects.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, ["Api", "Api.Tests"]);
        assert_eq!(
            solution.projects[1].path,
            PathBuf::from("/repo/tests/Api.Tests/Api.Tests.csproj")
        );
        assert_eq!(
            &text[solution.projects[0].range.as_range()],
            "src/Api/Api.csproj"
        );
    }

    #[test]
    fn malformed_slnx_is_a_diagnostic() {
        let solution = parse_solution(
            Path::new("/repo/App.slnx"),
            "<Solution><Project Path=\"a\"></Solution>",
        );
        assert!(solution.projects.is_empty());
        assert_eq!(
            solution.diagnostics[0].kind,
            WorkspaceDiagnosticKind::MalformedXml
        );
    }
}
