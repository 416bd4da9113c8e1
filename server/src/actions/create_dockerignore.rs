use std::path::Path;

use super::{ActionContext, CodeAction, FileChange};
use crate::context::{Dockerignore, SourceOutcome};
use crate::declare_action;
use crate::ide::TextEdit;
use crate::rules::dotnet::restore_model::SolutionView;

/// The .dockerignore Dockside writes for a .NET build context, section by section.
const DOTNET_DOCKERIGNORE: &[(&str, &[&str])] = &[
    ("Build outputs of every project", &["**/bin/", "**/obj/"]),
    (
        "Source control, IDE and user files",
        &[
            "**/.git",
            "**/.gitignore",
            "**/.vs",
            "**/.vscode",
            "**/.idea",
            "**/*.user",
            "**/*.suo",
        ],
    ),
    (
        "Local secrets",
        &[
            "**/.env",
            "**/*.pfx",
            "**/*.key",
            "**/secrets.json",
            "**/secrets.dev.yaml",
        ],
    ),
    (
        "Container files (the builder reads the Dockerfile separately)",
        &[
            "**/.dockerignore",
            "**/Dockerfile*",
            "**/docker-compose*",
            "**/compose.y*ml",
            "**/compose.*.y*ml",
        ],
    ),
    (
        "Tooling and test output",
        &["**/node_modules", "**/npm-debug.log", "**/TestResults"],
    ),
];

/// The .NET .dockerignore, with `line_break` line ends. A pattern that would exclude one of
/// `copied` (context-relative paths the Dockerfile copies by name) is left out, so the file
/// never breaks the build it is written for.
pub fn dotnet_dockerignore(copied: &[String], line_break: &str) -> String {
    let mut out = String::new();
    for (index, (heading, patterns)) in DOTNET_DOCKERIGNORE.iter().enumerate() {
        let kept: Vec<&str> = patterns
            .iter()
            .copied()
            .filter(|pattern| {
                let ignore = Dockerignore::parse(pattern);
                !copied.iter().any(|path| ignore.is_excluded(path).is_some())
            })
            .collect();
        if kept.is_empty() {
            continue;
        }
        if index > 0 && !out.is_empty() {
            out.push_str(line_break);
        }
        out.push_str(&format!("# {heading}{line_break}"));
        for pattern in kept {
            out.push_str(pattern);
            out.push_str(line_break);
        }
    }
    out
}

declare_action! {
/// Writes the build context's `.dockerignore` for a .NET solution.
///
/// - Without one (the quick fix of `MissingDockerignore`): creates `.dockerignore` at the
///   build-context root excluding `bin/` and `obj/` at any depth, `.git`, `.vs`, `.vscode`,
///   `*.user`, local secrets (`.env`, `*.pfx`, `secrets.json`), `Dockerfile*`, compose files
///   and `node_modules`. A pattern that would exclude a file the Dockerfile copies by name
///   is left out.
/// - With one that lets build outputs through (the quick fix of
///   `DockerignoreMissingBuildOutputs`): appends only the missing `**/bin/` and `**/obj/`
///   lines to the ignore file Docker reads (`<Dockerfile>.dockerignore` when it exists, else
///   the context's `.dockerignore`), leaving the rest of it as written.
///
/// One action with two titles: both are "the .dockerignore this Dockerfile needs", and an
/// existing file is only ever appended to.
///
/// ## Before
/// ```dockerfile
/// FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
/// WORKDIR /src
/// $0COPY . .
/// ```
///
/// ## After
/// ```dockerfile
/// FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
/// WORKDIR /src
/// COPY . .
/// ```
/// and a new `.dockerignore` next to the build context:
/// ```text
/// # Build outputs of every project
/// **/bin/
/// **/obj/
/// ...
/// ```
///
/// ## Fix safety
/// Safe, but never applied by `dockside check --fix`, which edits only the Dockerfile.
    CreateDockerignore { expensive: false }
}

impl CreateDockerignore {
    fn run(ctx: &ActionContext, out: &mut Vec<CodeAction>) {
        let Some(facts) = &ctx.analysis.facts else {
            return;
        };
        let line_break = ctx.line_break();
        if let Some(diagnostic) = ctx.diagnostics("MissingDockerignore").next() {
            if facts.dockerignore.is_none() {
                let path = facts.build_context.dir.join(".dockerignore");
                let contents = dotnet_dockerignore(&copied_by_name(ctx), line_break);
                out.push(
                    CodeAction::quick_fix(
                        &Self::META,
                        diagnostic,
                        format!("Create {}", display(ctx, &path)),
                        Vec::new(),
                    )
                    .preferred()
                    .with_file(FileChange::Create { path, contents }),
                );
            }
        }
        if let Some(diagnostic) = ctx.diagnostics("DockerignoreMissingBuildOutputs").next() {
            let Some(ignore) = &facts.dockerignore else {
                return;
            };
            let missing = missing_build_output_lines(ctx, &ignore.ignore);
            if missing.is_empty() {
                return;
            }
            let original = ignore.text.clone();
            let file_break = super::line_break_of(&original);
            let mut appended = String::new();
            if !original.is_empty() && !original.ends_with('\n') {
                appended.push_str(file_break);
            }
            for line in &missing {
                appended.push_str(line);
                appended.push_str(file_break);
            }
            let path = ignore.source.path().to_path_buf();
            out.push(
                CodeAction::quick_fix(
                    &Self::META,
                    diagnostic,
                    format!("Add {} to {}", missing.join(" and "), display(ctx, &path)),
                    Vec::new(),
                )
                .preferred()
                .with_file(FileChange::Edit {
                    path,
                    edits: vec![TextEdit::insert(original.len(), appended)],
                    original,
                }),
            );
        }
    }
}

/// `**/bin/` and `**/obj/`, for those a project directory of the context still lets through.
fn missing_build_output_lines(ctx: &ActionContext, ignore: &Dockerignore) -> Vec<&'static str> {
    let rule_ctx = ctx.rule_context();
    let Some(view) = SolutionView::of(&rule_ctx) else {
        return Vec::new();
    };
    let projects = view.projects_in_context();
    let dirs: Vec<&str> = projects.dirs.iter().map(|(_, d)| d.as_str()).collect();
    let missing = ignore.missing_build_output_exclusions(&dirs);
    let coverage = ignore.build_outputs_coverage();
    let mut lines = Vec::new();
    let lacks = |output: &str| {
        missing
            .iter()
            .any(|m| m == output || m.ends_with(&format!("/{output}")))
    };
    if lacks("bin") || !coverage.bin_everywhere {
        lines.push("**/bin/");
    }
    if lacks("obj") || !coverage.obj_everywhere {
        lines.push("**/obj/");
    }
    lines
}

/// Context-relative paths the Dockerfile copies by name (not the context root).
fn copied_by_name(ctx: &ActionContext) -> Vec<String> {
    let Some(facts) = &ctx.analysis.facts else {
        return Vec::new();
    };
    let mut paths = Vec::new();
    for copy in &facts.copies {
        for (_, resolution) in &copy.sources {
            if let SourceOutcome::Found(matches) = &resolution.outcome {
                paths.extend(
                    matches
                        .iter()
                        .filter(|m| !m.relative_path.is_empty() && m.relative_path != ".")
                        .map(|m| m.relative_path.clone()),
                );
            }
        }
    }
    paths
}

/// The path relative to the solution root, as diagnostics show paths.
fn display(ctx: &ActionContext, path: &Path) -> String {
    match ctx.workspace() {
        Some(workspace) => {
            crate::rules::dotnet::restore_model::display_relative(workspace.root(), path)
        }
        None => path.display().to_string(),
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use crate::actions::test_support::{extract_cursor, offered, solution_env};
    use crate::actions::{CodeAction, FileChange};
    use crate::analysis::analyze;
    use crate::ide::apply_edits;
    use crate::rules::dotnet::test_support::{csproj, solution};

    const NAME: &str = "CreateDockerignore";

    /// The one offer at the cursor of `marked` in the solution at `root`.
    fn offer(root: &Path, marked: &str) -> CodeAction {
        let env = solution_env(root, "Dockerfile");
        let (text, range) = extract_cursor(marked);
        let actions = offered(&env, NAME, &text, range);
        assert_eq!(actions.len(), 1, "{:?}", actions);
        actions[0].clone()
    }

    /// Writes the action's file changes, then checks the diagnostic it fixes is gone and the
    /// action is not offered again.
    fn apply_and_recheck(root: &Path, marked: &str, action: &CodeAction) {
        for change in &action.files {
            match change {
                FileChange::Create { path, contents } => {
                    assert!(!path.exists(), "{} exists", path.display());
                    std::fs::write(path, contents).expect("write");
                }
                FileChange::Edit {
                    path,
                    original,
                    edits,
                } => {
                    let on_disk = std::fs::read_to_string(path).expect("read");
                    assert_eq!(&on_disk, original);
                    std::fs::write(path, apply_edits(original, edits)).expect("write");
                }
            }
        }
        let env = solution_env(root, "Dockerfile");
        let (text, range) = extract_cursor(marked);
        let fixed = action.fixes.as_ref().expect("a quick fix").code;
        let analysis = analyze(&text, &env);
        assert!(
            analysis.diagnostics.iter().all(|d| d.code != fixed),
            "{fixed} is still reported"
        );
        assert!(offered(&env, NAME, &text, range).is_empty());
    }

    const WEB_PUBLISH: &str = "FROM mcr.microsoft.com/dotnet/sdk:8.0 AS build\nWORKDIR /src\n$0COPY . .\nRUN dotnet publish src/Api/Api.csproj -c Release -o /app\n";

    #[test]
    fn creates_the_dotnet_dockerignore_at_the_context_root() {
        let dir = solution(&[
            ("src/Api/Api.csproj", &csproj("Microsoft.NET.Sdk.Web", &[])),
            ("Dockerfile", ""),
        ]);
        let root = crate::dotnet::paths::normalize(dir.path());
        let action = offer(&root, WEB_PUBLISH);
        assert_eq!(action.title, "Create .dockerignore");
        assert!(action.preferred && action.edits.is_empty());
        assert_eq!(
            action.files,
            vec![FileChange::Create {
                path: root.join(".dockerignore"),
                contents: "# Build outputs of every project\n**/bin/\n**/obj/\n\n# Source control, IDE and user files\n**/.git\n**/.gitignore\n**/.vs\n**/.vscode\n**/.idea\n**/*.user\n**/*.suo\n\n# Local secrets\n**/.env\n**/*.pfx\n**/*.key\n**/secrets.json\n**/secrets.dev.yaml\n\n# Container files (the builder reads the Dockerfile separately)\n**/.dockerignore\n**/Dockerfile*\n**/docker-compose*\n**/compose.y*ml\n**/compose.*.y*ml\n\n# Tooling and test output\n**/node_modules\n**/npm-debug.log\n**/TestResults\n".to_string(),
            }]
        );
        apply_and_recheck(&root, WEB_PUBLISH, &action);
    }

    #[test]
    fn keeps_files_the_dockerfile_copies_by_name_and_crlf() {
        let dir = solution(&[
            ("src/Api/Api.csproj", &csproj("Microsoft.NET.Sdk.Web", &[])),
            ("compose.yaml", "services: {}\n"),
            ("Dockerfile", ""),
        ]);
        let root = crate::dotnet::paths::normalize(dir.path());
        let marked = "FROM mcr.microsoft.com/dotnet/sdk:8.0\r\n$0COPY compose.yaml /etc/app/\r\nCOPY . /src\r\n";
        let action = offer(&root, marked);
        let [FileChange::Create { contents, .. }] = action.files.as_slice() else {
            panic!("{:?}", action.files);
        };
        assert!(
            contents.contains("**/Dockerfile*\r\n**/docker-compose*\r\n**/compose.*.y*ml\r\n"),
            "{contents}"
        );
        assert!(!contents.contains("**/compose.y*ml\r\n"), "{contents}");
        assert!(!contents.replace("\r\n", "").contains('\n'));
    }

    #[test]
    fn appends_only_the_missing_build_outputs() {
        let dir = solution(&[
            (".dockerignore", "# mine\nbin/\nobj/\n.git"),
            ("src/Api/Api.csproj", &csproj("Microsoft.NET.Sdk.Web", &[])),
            ("Dockerfile", ""),
        ]);
        let root = crate::dotnet::paths::normalize(dir.path());
        let marked = "FROM mcr.microsoft.com/dotnet/sdk:8.0\nWORKDIR /src\nCOPY $0src/ src/\n";
        let action = offer(&root, marked);
        assert_eq!(action.title, "Add **/bin/ and **/obj/ to .dockerignore");
        let [FileChange::Edit {
            path,
            original,
            edits,
        }] = action.files.as_slice()
        else {
            panic!("{:?}", action.files);
        };
        assert_eq!(path, &root.join(".dockerignore"));
        assert_eq!(
            apply_edits(original, edits),
            "# mine\nbin/\nobj/\n.git\n**/bin/\n**/obj/\n"
        );
        apply_and_recheck(&root, marked, &action);
    }

    #[test]
    fn appends_to_the_dockerfile_own_ignore_file() {
        let dir = solution(&[
            (".dockerignore", "**/bin/\n**/obj/\n"),
            ("Dockerfile.dockerignore", "**/obj/\n"),
            ("src/Api/Api.csproj", &csproj("Microsoft.NET.Sdk.Web", &[])),
            ("Dockerfile", ""),
        ]);
        let root = crate::dotnet::paths::normalize(dir.path());
        let marked = "FROM mcr.microsoft.com/dotnet/sdk:8.0\nWORKDIR /src\n$0COPY src/ src/\n";
        let action = offer(&root, marked);
        assert_eq!(action.title, "Add **/bin/ to Dockerfile.dockerignore");
        apply_and_recheck(&root, marked, &action);
        assert_eq!(
            std::fs::read_to_string(root.join("Dockerfile.dockerignore")).expect("read"),
            "**/obj/\n**/bin/\n"
        );
    }

    #[test]
    fn not_offered_without_a_solution() {
        crate::actions::test_support::check_not_applicable(
            NAME,
            "FROM mcr.microsoft.com/dotnet/sdk:8.0\n$0COPY . .\n",
        );
    }
}
