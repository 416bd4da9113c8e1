//! The generated 2,000-project solution of the `workspace_index` and `side_by_side`
//! benchmarks: depth-5 ProjectReference chains, Directory.Build.props at three levels
//! (root, `src/`, `src/<group>/`) and central package management.

use std::io;
use std::path::Path;

pub const PROJECTS: usize = 2_000;
pub const GROUPS: usize = 20;
pub const CHAIN: usize = 5;

/// Writes `text` at `relative` under `root`, creating the folders on the way.
pub(super) fn write(root: &Path, relative: &str, text: &str) -> io::Result<()> {
    let path = root.join(relative);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    std::fs::write(path, text)
}

pub fn project_path(index: usize) -> String {
    let group = index % GROUPS;
    format!("src/Group{group:02}/Project{index:04}/Project{index:04}.csproj")
}

pub fn csproj(index: usize, marker: &str) -> String {
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

/// Writes the solution under `root`.
pub fn generate(root: &Path) -> io::Result<()> {
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
    )?;
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
    )?;
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
    )?;
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
        )?;
    }
    let mut sln = String::from("\nMicrosoft Visual Studio Solution File, Format Version 12.00\n");
    for index in 0..PROJECTS {
        write(root, &project_path(index), &csproj(index, "original"))?;
        sln.push_str(&format!(
            "Project(\"{{9A19103F-16F7-4668-BE54-9A1E7A4F7556}}\") = \"Project{index:04}\", \"{}\", \"{{00000000-0000-0000-0000-{index:012}}}\"\nEndProject\n",
            project_path(index).replace('/', "\\")
        ));
    }
    write(root, "Contoso.sln", &sln)?;
    write(
        root,
        "src/Group00/Project0000/Dockerfile",
        "FROM mcr.microsoft.com/dotnet/aspnet:8.0\n",
    )?;
    Ok(())
}
