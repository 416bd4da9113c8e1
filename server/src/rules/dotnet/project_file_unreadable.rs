use std::path::PathBuf;

use crate::context::stage_fs::BuildTarget;
use crate::declare_rule;
use crate::dotnet::WorkspaceDiagnosticKind;
use crate::rules::{Diagnostics, RuleContext};

use super::restore_model::RestoreModel;

declare_rule! {
/// ## What it does
/// Reports, on the first `dotnet` command that builds it, a project file that Dockside
/// could not read: unreadable, too large, not valid XML, or declaring XML entities (which Dockside
/// never expands). The projects the command pulls in through ProjectReferences, the MSBuild
/// files they import and the solution it names are checked too.
///
/// ## Why is this bad?
/// The .NET checks of this Dockerfile rely on the project's facts (target framework,
/// references, runtime identifiers); for this project they are unknown, so problems may go
/// unreported. A file Dockside cannot parse usually breaks `dotnet build` as well.
///
/// ## Example
/// `src/Api/Api.csproj` with an unclosed element, and:
/// ```dockerfile
/// RUN dotnet publish src/Api/Api.csproj -c Release -o /app/publish
/// ```
///
/// ## Use instead
/// Fix the project file so that it is well-formed XML without a DOCTYPE.
///
/// ## Fix safety
/// No automatic fix.
    ProjectFileUnreadable {
        severity: Warning,
        origin: Dotnet,
        summary: "A project file the Dockerfile builds cannot be read or parsed.",
    }
}

impl ProjectFileUnreadable {
    fn run(ctx: &RuleContext, out: &mut Diagnostics) {
        let Some(solution) = ctx.env.solution.as_ref() else {
            return;
        };
        let problems: Vec<_> = solution
            .workspace
            .diagnostics()
            .into_iter()
            .filter(|d| {
                matches!(
                    d.kind,
                    WorkspaceDiagnosticKind::UnreadableFile
                        | WorkspaceDiagnosticKind::MalformedXml
                        | WorkspaceDiagnosticKind::XmlEntities
                        | WorkspaceDiagnosticKind::MalformedSolution
                )
            })
            .collect();
        if problems.is_empty() {
            return;
        }
        let Some(model) = RestoreModel::of(ctx) else {
            return;
        };
        let workspace = model.workspace();
        // Each file once, on the first command that reads it.
        let mut reported: Vec<PathBuf> = Vec::new();
        for step in &model.steps {
            // Files this command reads, with how they relate to what it builds.
            let mut files: Vec<(PathBuf, String)> = Vec::new();
            if let BuildTarget::Solution { path, .. } = &step.target.target {
                files.push((path.clone(), String::new()));
            }
            for restored in model.restored_projects(step) {
                let Some(project) = workspace.project(restored.project) else {
                    continue;
                };
                let via = if restored.chain.len() > 1 {
                    format!(
                        " (referenced by {})",
                        workspace.describe_chain(&restored.chain)
                    )
                } else {
                    String::new()
                };
                files.push((project.path.clone(), via));
                for input in &project.inputs {
                    files.push((input.clone(), format!(" (imported by {})", project.name)));
                }
            }
            for (path, via) in &files {
                if reported.contains(path) {
                    continue;
                }
                let Some(problem) = problems.iter().find(|d| d.path == *path) else {
                    continue;
                };
                reported.push(path.clone());
                out.report(
                    &Self::META,
                    step.target_range(),
                    format!(
                        "{}{via} cannot be read, so Dockside cannot check what `dotnet {}` builds from it: {}",
                        model.view.display_path(path),
                        step.command().verb,
                        problem.message.trim_end_matches('.'),
                    ),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::dotnet::test_support::{
        check_rule_in_dir, check_rule_in_solution, csproj, solution,
    };

    #[test]
    fn malformed_project_and_referenced_project() {
        let dir = solution(&[
            (
                "src/Api/Api.csproj",
                &csproj("Microsoft.NET.Sdk.Web", &["../Domain/Domain.csproj"]),
            ),
            ("src/Domain/Domain.csproj", "<Project Sdk=\"Microsoft.NET.Sdk\">\n  <PropertyGroup>\n</Project>\n"),
            (
                "Dockerfile",
                "FROM mcr.microsoft.com/dotnet/sdk:8.0\nWORKDIR /src\nCOPY src/ src/\nRUN dotnet publish src/Api/Api.csproj -o /app\n",
            ),
        ]);
        assert_eq!(
            check_rule_in_dir("ProjectFileUnreadable", dir.path(), "Dockerfile"),
            ["4:20-4:38 src/Domain/Domain.csproj (referenced by Api -> Domain) cannot be read, so Dockside cannot check what `dotnet publish` builds from it: malformed XML: ill-formed document: expected `</PropertyGroup>`, but `</Project>` was found"]
        );
    }

    #[test]
    fn merge_conflict_in_a_referenced_project() {
        assert_eq!(
            check_rule_in_solution("ProjectFileUnreadable", "broken-project", "Dockerfile"),
            ["5:20-5:56 src/Shipping.Data/Shipping.Data.csproj (referenced by Shipping.Api -> Shipping.Data) cannot be read, so Dockside cannot check what `dotnet restore` builds from it: malformed XML attribute: position 16: attribute key must be directly followed by `=` or space"]
        );
    }

    #[test]
    fn silent_when_every_project_reads() {
        assert_eq!(
            check_rule_in_solution("ProjectFileUnreadable", "good", "Dockerfile"),
            Vec::<String>::new()
        );
    }
}
