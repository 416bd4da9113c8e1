//! `dockside init <project>`: writes the project's Dockerfile and the build context's
//! .dockerignore, never overwriting a file.

use std::ffi::OsString;
use std::path::{Path, PathBuf};

use crate::actions::generate_dockerfile::{
    default_dockerfile_path, generate, index_project_workspace,
};
use crate::dotnet::paths;

const USAGE: &str = "\
Usage: dockside init <PROJECT>

Writes a best-practice Dockerfile next to PROJECT (a .csproj, .fsproj or .vbproj): a build
stage that restores the project's ProjectReference closure in its own layer, then a final
stage on the project's chiseled runtime image running as the non-root app user. Also writes
the build context's .dockerignore when there is none. Existing files are never overwritten.";

pub fn run(args: &[OsString]) -> i32 {
    let mut project: Option<PathBuf> = None;
    for arg in args {
        match arg.to_string_lossy().as_ref() {
            "-h" | "--help" => {
                println!("{USAGE}");
                return 0;
            }
            flag if flag.starts_with('-') => {
                eprintln!("dockside init: unknown option `{flag}`\n\n{USAGE}");
                return 2;
            }
            _ if project.is_some() => {
                eprintln!("dockside init: one project at a time\n\n{USAGE}");
                return 2;
            }
            _ => project = Some(PathBuf::from(arg)),
        }
    }
    let Some(project) = project else {
        eprintln!("{USAGE}");
        return 2;
    };
    match init(&project) {
        Ok(written) => {
            for line in written {
                println!("{line}");
            }
            0
        }
        Err(message) => {
            eprintln!("dockside init: {message}");
            1
        }
    }
}

/// Writes the files; returns one line per file for the user.
fn init(project: &Path) -> Result<Vec<String>, String> {
    let absolute =
        std::path::absolute(project).map_err(|e| format!("{}: {e}", project.display()))?;
    let absolute = paths::normalize(&absolute);
    let is_project = absolute
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.to_ascii_lowercase().ends_with("proj"));
    if !is_project || !absolute.is_file() {
        return Err(format!(
            "{} is not a project file (.csproj, .fsproj, .vbproj)",
            project.display()
        ));
    }
    let workspace = index_project_workspace(&absolute);
    let Some(project_info) = workspace.project_by_path(&absolute) else {
        return Err(format!("{} could not be read", project.display()));
    };
    let dockerfile = default_dockerfile_path(project_info);
    if dockerfile.exists() {
        return Err(format!(
            "{} already exists; remove it or edit it (Dockside does not overwrite files)",
            shown(&dockerfile)
        ));
    }
    let generated =
        generate(&workspace, project_info, &dockerfile).map_err(|error| error.to_string())?;
    let has_ignore =
        crate::context::dockerignore::dockerignore_for(&generated.context_dir, &dockerfile);
    write_new(&dockerfile, &generated.dockerfile)?;
    let mut written = vec![format!("wrote {}", shown(&dockerfile))];
    match has_ignore {
        Some(existing) => written.push(format!("kept {}", shown(existing.path()))),
        None => {
            write_new(&generated.dockerignore_path, &generated.dockerignore)?;
            written.push(format!("wrote {}", shown(&generated.dockerignore_path)));
        }
    }
    let context = shown(&generated.context_dir);
    written.push(format!(
        "build it with: docker build -f {} {context}",
        shown(&dockerfile)
    ));
    Ok(written)
}

/// Creates `path`, failing if it exists (even if it appeared since the check).
fn write_new(path: &Path, contents: &str) -> Result<(), String> {
    use std::io::Write;
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|e| format!("cannot create {}: {e}", shown(path)))?;
    file.write_all(contents.as_bytes())
        .map_err(|e| format!("cannot write {}: {e}", shown(path)))
}

/// `path` relative to the current directory when it is below it.
fn shown(path: &Path) -> String {
    let cwd = std::env::current_dir().ok().map(|d| paths::normalize(&d));
    match cwd.as_deref().and_then(|cwd| path.strip_prefix(cwd).ok()) {
        Some(rest) if rest.as_os_str().is_empty() => ".".to_string(),
        Some(rest) => rest.display().to_string(),
        None => path.display().to_string(),
    }
}
