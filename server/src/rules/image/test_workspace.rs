//! Rule tests that need a solution: a temporary folder with project files and a Dockerfile.

use crate::analysis::analyze;
use crate::context::SolutionSnapshot;
use crate::dotnet::{paths, Workspace, WorkspaceOptions};
use crate::rules::test_support::test_env;
use crate::text::Encoding;

/// An ASP.NET Core app on .NET 10 using Microsoft.Data.SqlClient.
pub const SQL_APP: &str = r#"<Project Sdk="Microsoft.NET.Sdk.Web">
  <PropertyGroup>
    <TargetFramework>net10.0</TargetFramework>
  </PropertyGroup>
  <ItemGroup>
    <PackageReference Include="Microsoft.Data.SqlClient" Version="6.1.1" />
  </ItemGroup>
</Project>
"#;

/// A plain ASP.NET Core app on .NET 10.
pub const WEB_APP: &str = r#"<Project Sdk="Microsoft.NET.Sdk.Web">
  <PropertyGroup>
    <TargetFramework>net10.0</TargetFramework>
  </PropertyGroup>
</Project>
"#;

/// The diagnostics of rule `name` on the Dockerfile at `dockerfile` (relative to a fresh
/// solution folder holding `files`), as `line:col-line:col severity message`.
pub fn check_in_workspace(
    name: &str,
    files: &[(&str, &str)],
    dockerfile: &str,
    text: &str,
) -> Vec<String> {
    let dir = tempfile::tempdir().expect("temporary folder");
    let root = paths::normalize(dir.path());
    for (path, content) in files.iter().chain([(dockerfile, text)].iter()) {
        let path = root.join(path);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("create folders");
        }
        std::fs::write(&path, content).expect("write file");
    }
    let workspace = Workspace::index(&root, WorkspaceOptions::default());
    let mut env = test_env();
    env.path = Some(root.join(dockerfile));
    env.solution = Some(SolutionSnapshot::new(workspace));
    let analysis = analyze(text, &env);
    analysis
        .diagnostics
        .iter()
        .filter(|d| d.code == name)
        .map(|d| {
            let s = analysis
                .line_index
                .line_col(text, d.range.start(), Encoding::Utf8);
            let e = analysis
                .line_index
                .line_col(text, d.range.end(), Encoding::Utf8);
            format!(
                "{}:{}-{}:{} {} {}",
                s.line + 1,
                s.col + 1,
                e.line + 1,
                e.col + 1,
                d.severity.as_str(),
                d.message
            )
        })
        .collect()
}
