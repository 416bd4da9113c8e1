//! Indexing benchmark: a generated 2,000-project solution with depth-5 ProjectReference chains
//! and Directory.Build.props at three levels (root, src/, src/<group>/).
//!
//! Run: `cargo bench --bench workspace_index`. Targets: full index + evaluation < 500 ms,
//! re-evaluation after one csproj edit < 10 ms.

use std::path::Path;
use std::time::{Duration, Instant};

use dockside::dotnet::{Workspace, WorkspaceOptions};

const PROJECTS: usize = 2_000;
const GROUPS: usize = 20;
const CHAIN: usize = 5;

fn write(root: &Path, relative: &str, text: &str) {
    let path = root.join(relative);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).expect("create benchmark directory");
    }
    std::fs::write(path, text).expect("write benchmark file");
}

fn project_path(index: usize) -> String {
    let group = index % GROUPS;
    format!("src/Group{group:02}/Project{index:04}/Project{index:04}.csproj")
}

fn csproj(index: usize, marker: &str) -> String {
    let next = if index % CHAIN != CHAIN - 1 && index + 1 < PROJECTS {
        let target = project_path(index + 1);
        format!(
            "    <ProjectReference Include=\"..\\..\\..\\{}\" />\n",
            target.replace('/', "\\")
        )
    } else {
        String::new()
    };
    let sdk = if index % CHAIN == 0 {
        "Microsoft.NET.Sdk.Web"
    } else {
        "Microsoft.NET.Sdk"
    };
    format!(
        r#"<Project Sdk="{sdk}">

  <PropertyGroup>
    <Nullable>enable</Nullable>
    <ImplicitUsings>enable</ImplicitUsings>
    <RootNamespace>Contoso.Project{index:04}</RootNamespace>
    <Marker>{marker}</Marker>
    <PublishAot Condition="'$(Configuration)' == 'Release'">true</PublishAot>
  </PropertyGroup>

  <ItemGroup>
    <PackageReference Include="Serilog" />
    <PackageReference Include="Microsoft.Extensions.Hosting" />
  </ItemGroup>

  <ItemGroup>
{next}  </ItemGroup>

</Project>
"#
    )
}

fn generate(root: &Path) {
    write(
        root,
        "Directory.Build.props",
        r#"<Project>
  <PropertyGroup>
    <TargetFramework>net8.0</TargetFramework>
    <LangVersion>latest</LangVersion>
    <Company>Contoso</Company>
    <TreatWarningsAsErrors Condition="'$(CI)' == 'true'">true</TreatWarningsAsErrors>
  </PropertyGroup>
</Project>
"#,
    );
    write(
        root,
        "Directory.Packages.props",
        r#"<Project>
  <PropertyGroup>
    <ManagePackageVersionsCentrally>true</ManagePackageVersionsCentrally>
  </PropertyGroup>
  <ItemGroup>
    <PackageVersion Include="Serilog" Version="4.0.1" />
    <PackageVersion Include="Microsoft.Extensions.Hosting" Version="8.0.1" />
  </ItemGroup>
</Project>
"#,
    );
    write(
        root,
        "src/Directory.Build.props",
        r#"<Project>
  <Import Project="$([MSBuild]::GetPathOfFileAbove('Directory.Build.props', '$(MSBuildThisFileDirectory)../'))" />
  <PropertyGroup>
    <AssemblyName>$(Company).$(MSBuildProjectName)</AssemblyName>
  </PropertyGroup>
</Project>
"#,
    );
    for group in 0..GROUPS {
        write(
            root,
            &format!("src/Group{group:02}/Directory.Build.props"),
            &format!(
                r#"<Project>
  <Import Project="$([MSBuild]::GetPathOfFileAbove('Directory.Build.props', '$(MSBuildThisFileDirectory)../'))" />
  <PropertyGroup>
    <Group>{group}</Group>
  </PropertyGroup>
</Project>
"#
            ),
        );
    }
    let mut sln = String::from("\nMicrosoft Visual Studio Solution File, Format Version 12.00\n");
    for index in 0..PROJECTS {
        write(root, &project_path(index), &csproj(index, "original"));
        sln.push_str(&format!(
            "Project(\"{{9A19103F-16F7-4668-BE54-9A1E7A4F7556}}\") = \"Project{index:04}\", \"{}\", \"{{00000000-0000-0000-0000-{index:012}}}\"\nEndProject\n",
            project_path(index).replace('/', "\\")
        ));
    }
    write(root, "Contoso.sln", &sln);
    write(
        root,
        "src/Group00/Project0000/Dockerfile",
        "FROM mcr.microsoft.com/dotnet/aspnet:8.0\n",
    );
}

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

fn main() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let root = dir.path();
    generate(root);

    // Sanity: the generated solution evaluates as intended.
    let workspace = Workspace::index(root, WorkspaceOptions::default());
    let projects = workspace.projects().count();
    assert_eq!(projects, PROJECTS);
    let first = workspace
        .project_by_path(&root.join(project_path(0)))
        .expect("first project");
    assert_eq!(first.assembly_name, "Contoso.Project0000");
    assert_eq!(first.target_frameworks, ["net8.0"]);
    assert_eq!(
        first.inputs.len(),
        4,
        "three Directory.Build.props levels + Directory.Packages.props"
    );
    let closure = workspace.reference_closure(first.id);
    assert_eq!(closure.entries.len(), CHAIN - 1);
    assert_eq!(
        workspace
            .describe_chain(&closure.entries[CHAIN - 2].chain)
            .matches(" -> ")
            .count(),
        CHAIN - 1
    );

    let runs = 7;
    let mut index_times = Vec::new();
    for _ in 0..runs {
        let start = Instant::now();
        let workspace = Workspace::index(root, WorkspaceOptions::default());
        index_times.push(start.elapsed());
        assert_eq!(workspace.projects().count(), PROJECTS);
    }

    let mut workspace = Workspace::index(root, WorkspaceOptions::default());
    let edited = root.join(project_path(1234));
    let mut edit_times = Vec::new();
    for round in 0..50 {
        let text = csproj(1234, &format!("edit{round}"));
        let start = Instant::now();
        let summary = workspace.update_file(&edited, Some(text));
        edit_times.push(start.elapsed());
        assert_eq!(summary.reevaluated.len(), 1);
    }

    let mut closure_times = Vec::new();
    for _ in 0..50 {
        let start = Instant::now();
        let mut total = 0;
        for project in workspace.projects() {
            total += workspace.reference_closure(project.id).entries.len();
        }
        closure_times.push(start.elapsed() / PROJECTS as u32);
        assert!(total > 0);
    }

    let group_props = root.join("src/Group07/Directory.Build.props");
    let mut props_times = Vec::new();
    for round in 0..10 {
        let text = format!(
            "<Project>\n  <Import Project=\"$([MSBuild]::GetPathOfFileAbove('Directory.Build.props', '$(MSBuildThisFileDirectory)../'))\" />\n  <PropertyGroup><Group>{round}</Group></PropertyGroup>\n</Project>\n"
        );
        let start = Instant::now();
        let summary = workspace.update_file(&group_props, Some(text));
        props_times.push(start.elapsed());
        assert_eq!(summary.reevaluated.len(), PROJECTS / GROUPS);
    }

    println!("workspace_index: {PROJECTS} projects, chains of {CHAIN}, Directory.Build.props at 3 levels + CPM");
    println!(
        "  full index + evaluation:        median {:>8.2} ms  (min {:.2} ms, {runs} runs; target < 500 ms)",
        median(index_times.clone()).as_secs_f64() * 1e3,
        index_times.iter().min().map(|d| d.as_secs_f64() * 1e3).unwrap_or(0.0)
    );
    println!(
        "  re-evaluation after csproj edit: median {:>8.3} ms  (max {:.3} ms, 50 edits; target < 10 ms)",
        median(edit_times.clone()).as_secs_f64() * 1e3,
        edit_times.iter().max().map(|d| d.as_secs_f64() * 1e3).unwrap_or(0.0)
    );
    println!(
        "  group props edit (100 projects): median {:>8.3} ms",
        median(props_times).as_secs_f64() * 1e3
    );
    println!(
        "  reference closure per project:   median {:>8.3} µs",
        median(closure_times).as_secs_f64() * 1e6
    );
}
