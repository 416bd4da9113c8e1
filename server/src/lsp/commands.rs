//! `workspace/executeCommand`: `dockside.generateDockerfile` writes the Dockerfile and
//! .dockerignore of a project through `workspace/applyEdit`; `dockside.applyEdit` applies
//! the edit of a code action offered to clients that only understand commands.

use std::path::{Path, PathBuf};
use std::str::FromStr;

use lsp_server::ErrorCode;
use lsp_types::{ExecuteCommandOptions, ServerCapabilities, Uri};
use serde_json::{json, Value};

use super::documents::file_path;
use super::features::{invalid, Failure};
use crate::actions::generate_dockerfile::{
    default_dockerfile_path, generate, index_project_workspace,
};
use crate::context::SolutionSnapshot;
use crate::dotnet::{paths, Workspace};

pub(crate) const GENERATE_DOCKERFILE: &str = "dockside.generateDockerfile";
pub(crate) const APPLY_EDIT: &str = "dockside.applyEdit";

pub(crate) fn advertise(capabilities: &mut ServerCapabilities) {
    capabilities.execute_command_provider = Some(ExecuteCommandOptions {
        commands: vec![GENERATE_DOCKERFILE.to_string(), APPLY_EDIT.to_string()],
        work_done_progress_options: Default::default(),
    });
}

/// What a command did: its reply, and the `workspace/applyEdit` params to send the client.
#[derive(Debug)]
pub(crate) struct CommandOutcome {
    pub result: Value,
    pub apply_edit: Option<Value>,
}

/// Runs `params.command`. `solution_for` gives the indexed solution of a path, when the
/// server has one.
pub(crate) fn execute(
    params: &Value,
    solution_for: impl Fn(&Path) -> Option<SolutionSnapshot>,
) -> Result<CommandOutcome, Failure> {
    let command = params
        .get("command")
        .and_then(Value::as_str)
        .ok_or_else(|| invalid("missing `command`"))?;
    let argument = params.pointer("/arguments/0");
    match command {
        GENERATE_DOCKERFILE => generate_dockerfile(argument, solution_for),
        APPLY_EDIT => {
            let edit = argument
                .filter(|e| e.is_object())
                .ok_or_else(|| invalid("`dockside.applyEdit` needs a WorkspaceEdit argument"))?;
            Ok(CommandOutcome {
                result: Value::Null,
                apply_edit: Some(json!({"edit": edit})),
            })
        }
        other => Err(invalid(format!(
            "unknown command `{other}` (known: {GENERATE_DOCKERFILE}, {APPLY_EDIT})"
        ))),
    }
}

/// The project path of `{ "project": "<path or file URI>" }`.
fn project_argument(argument: Option<&Value>) -> Result<PathBuf, Failure> {
    let raw = argument
        .and_then(|a| a.get("project"))
        .and_then(Value::as_str)
        .ok_or_else(|| {
            invalid(
                "`dockside.generateDockerfile` needs `{ \"project\": \"<path of a .csproj>\" }`",
            )
        })?;
    let path = if raw.starts_with("file:") {
        Uri::from_str(raw)
            .ok()
            .and_then(|uri| file_path(&uri))
            .ok_or_else(|| invalid(format!("`{raw}` is not a file URI")))?
    } else {
        PathBuf::from(raw)
    };
    if !path.is_absolute() {
        return Err(invalid(format!(
            "the project path `{raw}` must be absolute (or a file URI)"
        )));
    }
    Ok(paths::normalize(&path))
}

fn generate_dockerfile(
    argument: Option<&Value>,
    solution_for: impl Fn(&Path) -> Option<SolutionSnapshot>,
) -> Result<CommandOutcome, Failure> {
    let project_path = project_argument(argument)?;
    let is_project = project_path
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.to_ascii_lowercase().ends_with("proj"));
    if !is_project || !project_path.is_file() {
        return Err(invalid(format!(
            "{} is not a project file (.csproj, .fsproj, .vbproj)",
            project_path.display()
        )));
    }
    let snapshot = solution_for(&project_path)
        .filter(|s| s.workspace.project_by_path(&project_path).is_some());
    let indexed;
    let workspace: &Workspace = match &snapshot {
        Some(snapshot) => snapshot.workspace.as_ref(),
        None => {
            indexed = index_project_workspace(&project_path);
            &indexed
        }
    };
    let project = workspace
        .project_by_path(&project_path)
        .ok_or_else(|| failed(format!("{} could not be read", project_path.display())))?;
    let dockerfile_path = default_dockerfile_path(project);
    if dockerfile_path.exists() {
        return Err(failed(format!(
            "{} already exists; Dockside does not overwrite it",
            dockerfile_path.display()
        )));
    }
    let generated = generate(workspace, project, &dockerfile_path)
        .map_err(|error| failed(error.to_string()))?;
    let dockerfile_uri = crate::cli::output::path_to_uri(&dockerfile_path);
    let mut changes = create_with(&dockerfile_uri, &generated.dockerfile);
    let has_ignore =
        crate::context::dockerignore::dockerignore_for(&generated.context_dir, &dockerfile_path)
            .is_some();
    let dockerignore_uri = (!has_ignore).then(|| {
        let uri = crate::cli::output::path_to_uri(&generated.dockerignore_path);
        changes.extend(create_with(&uri, &generated.dockerignore));
        uri
    });
    let edit = json!({"documentChanges": changes});
    Ok(CommandOutcome {
        result: json!({
            "dockerfile": dockerfile_uri,
            "dockerignore": dockerignore_uri,
            "edit": edit,
        }),
        apply_edit: Some(json!({
            "label": format!("Generate a Dockerfile for {}", project.name),
            "edit": edit,
        })),
    })
}

/// A `create` operation for a new file, then the edit that fills it.
fn create_with(uri: &str, contents: &str) -> Vec<Value> {
    vec![
        json!({"kind": "create", "uri": uri, "options": {"overwrite": false, "ignoreIfExists": false}}),
        json!({
            "textDocument": {"uri": uri, "version": null},
            "edits": [{"range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}}, "newText": contents}],
        }),
    ]
}

fn failed(message: String) -> Failure {
    Failure {
        code: ErrorCode::RequestFailed,
        message,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(params: Value) -> Result<CommandOutcome, Failure> {
        execute(&params, |_| None)
    }

    fn message(result: Result<CommandOutcome, Failure>) -> String {
        match result {
            Ok(outcome) => panic!("expected an error, got {outcome:?}"),
            Err(failure) => failure.message,
        }
    }

    #[test]
    fn bad_arguments_are_errors_not_panics() {
        assert_eq!(message(run(json!({}))), "missing `command`");
        assert_eq!(
            message(run(json!({"command": "dockside.nope"}))),
            "unknown command `dockside.nope` (known: dockside.generateDockerfile, dockside.applyEdit)"
        );
        assert_eq!(
            message(run(
                json!({"command": GENERATE_DOCKERFILE, "arguments": [42]})
            )),
            "`dockside.generateDockerfile` needs `{ \"project\": \"<path of a .csproj>\" }`"
        );
        assert_eq!(
            message(run(
                json!({"command": GENERATE_DOCKERFILE, "arguments": [{"project": "Api.csproj"}]})
            )),
            "the project path `Api.csproj` must be absolute (or a file URI)"
        );
        assert_eq!(
            message(run(json!({"command": APPLY_EDIT, "arguments": ["x"]}))),
            "`dockside.applyEdit` needs a WorkspaceEdit argument"
        );
    }

    #[test]
    fn refuses_missing_projects_and_existing_dockerfiles() {
        let dir = crate::rules::dotnet::test_support::solution(&[
            (
                "Api/Api.csproj",
                &crate::rules::dotnet::test_support::csproj("Microsoft.NET.Sdk.Web", &[]),
            ),
            ("Api/Dockerfile", "FROM scratch\n"),
        ]);
        let root = paths::normalize(dir.path());
        let missing = root.join("Nope/Nope.csproj");
        assert_eq!(
            message(run(
                json!({"command": GENERATE_DOCKERFILE, "arguments": [{"project": missing}]})
            )),
            format!(
                "{} is not a project file (.csproj, .fsproj, .vbproj)",
                missing.display()
            )
        );
        let project = root.join("Api/Api.csproj");
        assert_eq!(
            message(run(
                json!({"command": GENERATE_DOCKERFILE, "arguments": [{"project": project}]})
            )),
            format!(
                "{} already exists; Dockside does not overwrite it",
                root.join("Api/Dockerfile").display()
            )
        );
    }
}
