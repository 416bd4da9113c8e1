//! Which projects of the solution a Dockerfile builds.
//!
//! A stopgap until the model knows it: the projects named in a `dotnet publish` or
//! `dotnet build` command of the Dockerfile (matched by project file name), and the projects
//! whose directory contains the Dockerfile (Visual Studio puts it next to the project).

use std::path::Path;

use rustc_hash::FxHashSet;

use crate::dotnet::{paths, Project, Workspace};
use crate::model::Model;
use crate::rules::RuleContext;

const PROJECT_EXTENSIONS: &[&str] = &[".csproj", ".fsproj", ".vbproj"];

/// The projects `model` (the Dockerfile at `dockerfile`) builds, in workspace order.
pub(crate) fn built_projects<'w>(
    workspace: &'w Workspace,
    dockerfile: Option<&Path>,
    model: &Model,
) -> Vec<&'w Project> {
    // In ASCII lower case, the set that `eq_ignore_ascii_case` compares against: a
    // Dockerfile with many services names as many projects as the solution has.
    let named: FxHashSet<String> = model
        .dotnet_commands
        .iter()
        .filter(|invocation| invocation.command.is("publish") || invocation.command.is("build"))
        .filter_map(|invocation| invocation.command.project.as_ref())
        .filter_map(|word| project_file_name(&word.text))
        .map(|name| name.to_ascii_lowercase())
        .collect();
    let dockerfile_dir = dockerfile.and_then(Path::parent).map(paths::normalize);
    workspace
        .projects()
        .filter(|project| {
            let by_name = project
                .path
                .file_name()
                .and_then(|name| name.to_str())
                .is_some_and(|name| named.contains(&name.to_ascii_lowercase()));
            let contains_dockerfile = dockerfile_dir
                .as_deref()
                .is_some_and(|dir| dir.starts_with(project.dir()));
            by_name || contains_dockerfile
        })
        .collect()
}

/// The executable projects the Dockerfile of `ctx` builds: the apps that run in its image.
pub(crate) fn app_projects<'c>(ctx: &'c RuleContext<'_>) -> Vec<&'c Project> {
    let Some(workspace) = ctx.workspace() else {
        return Vec::new();
    };
    built_projects(workspace, ctx.env.path.as_deref(), ctx.model)
        .into_iter()
        .filter(|project| project.evaluated && project.is_executable())
        .collect()
}

/// The project file name for messages: `Api.csproj`.
pub(crate) fn file_name(project: &Project) -> String {
    project
        .path
        .file_name()
        .map(|name| name.to_string_lossy().to_string())
        .unwrap_or_else(|| project.name.clone())
}

/// The projects `project` references, transitively, itself first.
pub(crate) fn with_references<'w>(
    workspace: &'w Workspace,
    project: &'w Project,
) -> Vec<&'w Project> {
    let closure = workspace.reference_closure(project.id);
    std::iter::once(project)
        .chain(
            closure
                .entries
                .iter()
                .filter_map(|entry| workspace.project(entry.project)),
        )
        .collect()
}

/// `src/Api/Api.csproj`, `"./Api.csproj"` -> `Api.csproj`; `None` for folders, solutions
/// and words built with variables.
fn project_file_name(word: &str) -> Option<String> {
    let word = word.trim_matches(|c| c == '"' || c == '\'');
    if word.contains('$') {
        return None;
    }
    let name = word.rsplit(['/', '\\']).next()?;
    let lower = name.to_ascii_lowercase();
    PROJECT_EXTENSIONS
        .iter()
        .any(|ext| lower.ends_with(ext) && lower.len() > ext.len())
        .then(|| name.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn project_file_names() {
        assert_eq!(
            project_file_name("src/Api/Api.csproj").as_deref(),
            Some("Api.csproj")
        );
        assert_eq!(
            project_file_name("\"./Lib.FSPROJ\"").as_deref(),
            Some("Lib.FSPROJ")
        );
        assert_eq!(project_file_name("App.sln"), None);
        assert_eq!(project_file_name("src/Api"), None);
        assert_eq!(project_file_name("$PROJECT.csproj"), None);
        assert_eq!(project_file_name(".csproj"), None);
    }
}
