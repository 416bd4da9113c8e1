//! Workspace symbols: every stage of every Dockerfile of the workspace.

use std::path::{Path, PathBuf};

use crate::analysis::Analysis;
use crate::model::BaseImage;
use crate::text::TextRange;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WorkspaceSymbol {
    /// The stage name, or `stage N` for an unnamed stage.
    pub name: String,
    /// What the stage is built from.
    pub detail: String,
    pub path: PathBuf,
    /// The FROM instruction.
    pub range: TextRange,
    /// The stage name (or the FROM keyword of an unnamed stage).
    pub selection_range: TextRange,
    /// The file name, shown as the container.
    pub container: String,
}

/// Case-insensitive subsequence match, as editors filter symbols (`bld` matches `build`).
pub fn matches_query(name: &str, query: &str) -> bool {
    let mut chars = name.chars().flat_map(char::to_lowercase);
    query
        .chars()
        .flat_map(char::to_lowercase)
        .filter(|c| !c.is_whitespace())
        .all(|q| chars.any(|c| c == q))
}

/// The stages of `files` whose name matches `query` (every stage for an empty query), in
/// file order then source order.
pub fn workspace_symbols(files: &[(&Path, &Analysis)], query: &str) -> Vec<WorkspaceSymbol> {
    let mut out = Vec::new();
    for (path, analysis) in files {
        let container = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let model = &analysis.model;
        for stage in &model.stages {
            let Some(from) = analysis.tree.instructions.get(stage.from) else {
                continue;
            };
            let (name, selection_range) = match &stage.name {
                Some(word) => (word.text.to_string(), word.range),
                None => (format!("stage {}", stage.index), from.keyword_range),
            };
            if !matches_query(&name, query) {
                continue;
            }
            let detail = match &stage.base {
                BaseImage::Image { resolved, .. } => format!("FROM {}", resolved.text),
                BaseImage::Stage(p) => {
                    let parent = model
                        .stages
                        .get(*p)
                        .and_then(|s| s.name.as_ref())
                        .map_or_else(|| format!("stage {p}"), |w| w.text.to_string());
                    format!("FROM {parent}")
                }
                BaseImage::Scratch => "FROM scratch".to_string(),
                BaseImage::Missing => "FROM".to_string(),
            };
            out.push(WorkspaceSymbol {
                name,
                detail,
                path: path.to_path_buf(),
                range: from.range,
                selection_range,
                container: container.clone(),
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ide::test_support::analysis;

    #[test]
    fn stages_of_every_file_filtered_by_query() {
        let api = analysis(
            "FROM mcr.microsoft.com/dotnet/sdk:9.0 AS build\nFROM build AS publish\nFROM alpine\n",
        );
        let web_text = "ARG V=8.0\nFROM mcr.microsoft.com/dotnet/aspnet:$V AS base\n";
        let web = analysis(web_text);
        let files = [
            (Path::new("/r/src/Api/Dockerfile"), &api),
            (Path::new("/r/web.Dockerfile"), &web),
        ];
        let all: Vec<(String, String, String)> = workspace_symbols(&files, "")
            .into_iter()
            .map(|s| (s.name, s.detail, s.container))
            .collect();
        assert_eq!(
            all,
            [
                (
                    "build".into(),
                    "FROM mcr.microsoft.com/dotnet/sdk:9.0".into(),
                    "Dockerfile".into()
                ),
                ("publish".into(), "FROM build".into(), "Dockerfile".into()),
                ("stage 2".into(), "FROM alpine".into(), "Dockerfile".into()),
                (
                    "base".into(),
                    "FROM mcr.microsoft.com/dotnet/aspnet:8.0".into(),
                    "web.Dockerfile".into()
                ),
            ]
        );
        let names: Vec<String> = workspace_symbols(&files, "BLD")
            .into_iter()
            .map(|s| s.name)
            .collect();
        assert_eq!(names, ["build"]);
        let found = workspace_symbols(&files, "base");
        assert_eq!(found.len(), 1);
        let at = web_text.find(" base").unwrap() + 1;
        assert_eq!(found[0].selection_range, TextRange::new(at, at + 4));
        assert_eq!(found[0].path, Path::new("/r/web.Dockerfile"));
    }
}
