//! Workspace-level tests: evaluation over real files in a temporary directory.

use std::path::{Path, PathBuf};

use super::*;

fn write(root: &Path, relative: &str, text: &str) -> PathBuf {
    let path = root.join(relative);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).unwrap();
    }
    std::fs::write(&path, text).unwrap();
    path
}

fn index(root: &Path) -> Workspace {
    Workspace::index(root, WorkspaceOptions::default())
}

fn project<'a>(workspace: &'a Workspace, root: &Path, relative: &str) -> &'a Project {
    workspace
        .project_by_path(&root.join(relative))
        .unwrap_or_else(|| panic!("{relative} not indexed"))
}

fn kinds(diagnostics: &[WorkspaceDiagnostic]) -> Vec<WorkspaceDiagnosticKind> {
    diagnostics.iter().map(|d| d.kind).collect()
}

#[test]
fn directory_build_props_chain_targets_and_conditions() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(
        root,
        "Directory.Build.props",
        r#"<Project>
  <PropertyGroup>
    <TargetFramework>net8.0</TargetFramework>
    <Company>Contoso</Company>
    <RootSeen>yes</RootSeen>
  </PropertyGroup>
</Project>"#,
    );
    write(
        root,
        "src/Directory.Build.props",
        r#"<Project>
  <Import Project="$([MSBuild]::GetPathOfFileAbove('Directory.Build.props', '$(MSBuildThisFileDirectory)../'))" />
  <PropertyGroup>
    <AssemblyName>$(Company).$(MSBuildProjectName)</AssemblyName>
    <SrcSeen>$(RootSeen)</SrcSeen>
  </PropertyGroup>
</Project>"#,
    );
    write(
        root,
        "src/Directory.Build.targets",
        r#"<Project>
  <PropertyGroup>
    <TargetsSeen>$(OutputType)</TargetsSeen>
  </PropertyGroup>
</Project>"#,
    );
    write(
        root,
        "src/Api/Api.csproj",
        r#"<Project Sdk="Microsoft.NET.Sdk.Web">
  <PropertyGroup>
    <OutputType>Exe</OutputType>
    <RuntimeIdentifier Condition="'$(OS)' != 'Windows_NT'">linux-x64</RuntimeIdentifier>
    <PublishAot Condition="'$(Configuration)' == 'Release'">true</PublishAot>
    <InvariantGlobalization Condition="'$(Configuration)' == 'Debug' and '$(TargetFramework)' == 'NET8.0'">true</InvariantGlobalization>
    <DockerfileContext>..\..</DockerfileContext>
    <ContainerBaseImage>mcr.microsoft.com/dotnet/aspnet:8.0-alpine</ContainerBaseImage>
  </PropertyGroup>
</Project>"#,
    );
    let workspace = index(root);
    let api = project(&workspace, root, "src/Api/Api.csproj");
    assert!(api.evaluated);
    assert_eq!(api.sdk(), Some("Microsoft.NET.Sdk.Web"));
    assert!(api.is_web());
    assert_eq!(api.target_frameworks, ["net8.0"]);
    assert_eq!(api.assembly_name, "Contoso.Api");
    assert_eq!(api.properties.value("SrcSeen"), "yes");
    assert_eq!(api.properties.value("TargetsSeen"), "Exe");
    assert_eq!(api.runtime_identifiers, ["linux-x64"]);
    assert_eq!(api.publish_aot, None, "Configuration defaults to Debug");
    assert_eq!(api.invariant_globalization, Some(true));
    assert_eq!(api.dockerfile_context.as_deref(), Some("..\\.."));
    assert_eq!(
        api.container_base_image.as_deref(),
        Some("mcr.microsoft.com/dotnet/aspnet:8.0-alpine")
    );
    assert_eq!(
        api.inputs,
        [
            root.join("src/Directory.Build.props"),
            root.join("Directory.Build.props"),
            root.join("src/Directory.Build.targets")
        ]
    );
    let origin = api
        .property("AssemblyName")
        .unwrap()
        .origin
        .as_ref()
        .unwrap();
    assert_eq!(
        &*origin.path,
        root.join("src/Directory.Build.props").as_path()
    );
    assert!(api.diagnostics.is_empty(), "{:?}", api.diagnostics);

    let release = Workspace::index(
        root,
        WorkspaceOptions {
            evaluation: EvaluationOptions {
                global_properties: vec![("Configuration".into(), "Release".into())],
            },
            ..WorkspaceOptions::default()
        },
    );
    let api = project(&release, root, "src/Api/Api.csproj");
    assert_eq!(api.publish_aot, Some(true));
    assert_eq!(api.invariant_globalization, None);
}

#[test]
fn imports_relative_and_this_file_directory_and_missing() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(
        root,
        "build/common.props",
        r#"<Project>
  <Import Project="$(MSBuildThisFileDirectory)versions.props" />
  <PropertyGroup><Common>1</Common></PropertyGroup>
</Project>"#,
    );
    write(
        root,
        "build/versions.props",
        "<Project><PropertyGroup><LangVersion>latest</LangVersion></PropertyGroup></Project>",
    );
    let csproj = r#"<Project Sdk="Microsoft.NET.Sdk">
  <Import Project="..\build\common.props" />
  <Import Project="missing.props" />
  <Import Project="$(MSBuildExtensionsPath)\Microsoft\VisualStudio\v17.0\WebApplications\Microsoft.WebApplication.targets" />
  <Import Project="optional.props" Condition="Exists('optional.props')" />
  <PropertyGroup><TargetFrameworks>net8.0;net9.0</TargetFrameworks></PropertyGroup>
</Project>"#;
    let path = write(root, "App/App.csproj", csproj);
    let workspace = index(root);
    let app = project(&workspace, root, "App/App.csproj");
    assert_eq!(app.properties.value("Common"), "1");
    assert_eq!(app.properties.value("LangVersion"), "latest");
    assert_eq!(app.target_frameworks, ["net8.0", "net9.0"]);
    assert_eq!(app.assembly_name, "App");
    assert_eq!(
        app.inputs,
        [
            root.join("build/common.props"),
            root.join("build/versions.props")
        ]
    );
    assert_eq!(
        kinds(&app.diagnostics),
        [WorkspaceDiagnosticKind::ImportNotFound]
    );
    let missing = &app.diagnostics[0];
    assert_eq!(missing.path, path);
    assert_eq!(&csproj[missing.range.unwrap().as_range()], "missing.props");
    assert!(app.probes.contains(&root.join("App/optional.props")));
}

#[test]
fn central_package_management_versions() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let packages = r#"<Project>
  <PropertyGroup>
    <ManagePackageVersionsCentrally>true</ManagePackageVersionsCentrally>
  </PropertyGroup>
  <ItemGroup>
    <PackageVersion Include="Serilog" Version="4.0.1" />
    <PackageVersion Include="Microsoft.Data.SqlClient" Version="5.2.2" />
    <GlobalPackageReference Include="Nerdbank.GitVersioning" Version="3.6.143" />
  </ItemGroup>
</Project>"#;
    write(root, "Directory.Packages.props", packages);
    write(
        root,
        "src/Lib/Lib.csproj",
        r#"<Project Sdk="Microsoft.NET.Sdk">
  <ItemGroup>
    <PackageReference Include="serilog" />
    <PackageReference Include="Microsoft.Data.SqlClient" VersionOverride="5.1.0" />
    <PackageReference Include="Unknown.Package" />
    <PackageReference Include="Conditional" Version="1.0.0" Condition="'$(TargetFramework)' == 'net48'" />
  </ItemGroup>
  <PropertyGroup><TargetFramework>net8.0</TargetFramework></PropertyGroup>
</Project>"#,
    );
    let workspace = index(root);
    let lib = project(&workspace, root, "src/Lib/Lib.csproj");
    assert!(lib.central_package_management);
    let summary: Vec<(String, Option<String>, bool)> = lib
        .package_references
        .iter()
        .map(|p| (p.name.clone(), p.version.clone(), p.condition.applies()))
        .collect();
    assert_eq!(
        summary,
        [
            (
                "Nerdbank.GitVersioning".to_string(),
                Some("3.6.143".to_string()),
                true
            ),
            ("serilog".to_string(), Some("4.0.1".to_string()), true),
            (
                "Microsoft.Data.SqlClient".to_string(),
                Some("5.1.0".to_string()),
                true
            ),
            ("Unknown.Package".to_string(), None, true),
            ("Conditional".to_string(), Some("1.0.0".to_string()), false),
        ]
    );
    match &lib.package_references[1].version_source {
        VersionSource::Central(location) => {
            assert_eq!(
                &*location.path,
                root.join("Directory.Packages.props").as_path()
            );
            assert_eq!(
                &packages[location.range.as_range()],
                r#"<PackageVersion Include="Serilog" Version="4.0.1" />"#
            );
        }
        other => panic!("expected a central version, got {other:?}"),
    }
    assert_eq!(
        lib.package_references[0].version_source,
        VersionSource::Global
    );
    assert_eq!(
        lib.package_references[2].version_source,
        VersionSource::Override
    );
    assert_eq!(
        lib.package_references[3].version_source,
        VersionSource::Missing
    );
    assert_eq!(lib.inputs, [root.join("Directory.Packages.props")]);
    let conditional = &lib.package_references[4].condition;
    assert_eq!(
        conditional.text.as_deref(),
        Some("'$(TargetFramework)' == 'net48'")
    );
    assert_eq!(conditional.holds, Some(false));
}

#[test]
fn malformed_project_and_malformed_import_do_not_stop_indexing() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(
        root,
        "Broken/Broken.csproj",
        "<Project Sdk=\"Microsoft.NET.Sdk\">\n<PropertyGroup>\n</PropertyGrup>\n</Project>",
    );
    write(root, "Directory.Build.props", "<Project><PropertyGroup>");
    write(root, "Good/Good.csproj", "<Project Sdk=\"Microsoft.NET.Sdk\"><PropertyGroup><TargetFramework>net9.0</TargetFramework></PropertyGroup></Project>");
    let workspace = index(root);
    let broken = project(&workspace, root, "Broken/Broken.csproj");
    assert!(!broken.evaluated);
    assert_eq!(
        broken.diagnostics[0].kind,
        WorkspaceDiagnosticKind::MalformedXml
    );
    assert_eq!(
        broken.diagnostics[0].path,
        root.join("Broken/Broken.csproj")
    );
    let good = project(&workspace, root, "Good/Good.csproj");
    assert!(good.evaluated);
    assert_eq!(good.target_frameworks, ["net9.0"]);
    assert_eq!(
        kinds(&good.diagnostics),
        [WorkspaceDiagnosticKind::MalformedXml]
    );
    assert_eq!(good.diagnostics[0].path, root.join("Directory.Build.props"));
    // The broken props file is reported once, although two projects import it.
    let props_problems = workspace
        .diagnostics()
        .into_iter()
        .filter(|d| d.path == root.join("Directory.Build.props"))
        .count();
    assert_eq!(props_problems, 1);
}

#[test]
fn doctype_entities_are_never_expanded() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let mut laughs =
        String::from("<?xml version=\"1.0\"?>\n<!DOCTYPE Project [\n<!ENTITY a \"aaaaaaaaaa\">\n");
    for level in 1..10 {
        let previous = if level == 1 {
            "a".to_string()
        } else {
            format!("l{}", level - 1)
        };
        laughs.push_str(&format!(
            "<!ENTITY l{level} \"{}\">\n",
            format!("&{previous};").repeat(10)
        ));
    }
    laughs.push_str("]>\n<Project Sdk=\"Microsoft.NET.Sdk\"><PropertyGroup><AssemblyName>&l9;</AssemblyName></PropertyGroup></Project>");
    write(root, "Bomb/Bomb.csproj", &laughs);
    let workspace = index(root);
    let bomb = project(&workspace, root, "Bomb/Bomb.csproj");
    assert!(!bomb.evaluated);
    assert_eq!(
        kinds(&bomb.diagnostics),
        [WorkspaceDiagnosticKind::XmlEntities]
    );
    assert_eq!(bomb.assembly_name, "Bomb");
}

#[test]
fn oversized_project_is_a_diagnostic() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let mut big = String::from("<Project Sdk=\"Microsoft.NET.Sdk\"><!--");
    big.push_str(&"x".repeat(2048));
    big.push_str("--></Project>");
    write(root, "Big/Big.csproj", &big);
    let workspace = Workspace::index(
        root,
        WorkspaceOptions {
            max_file_size: 1024,
            ..WorkspaceOptions::default()
        },
    );
    let project = project(&workspace, root, "Big/Big.csproj");
    assert!(!project.evaluated);
    assert_eq!(
        kinds(&project.diagnostics),
        [WorkspaceDiagnosticKind::UnreadableFile]
    );
}

fn reference(path: &str) -> String {
    format!("<ProjectReference Include=\"{path}\" />")
}

fn sdk_project(references: &[&str]) -> String {
    let items: String = references.iter().map(|r| reference(r)).collect();
    format!("<Project Sdk=\"Microsoft.NET.Sdk\"><ItemGroup>{items}</ItemGroup></Project>")
}

#[test]
fn reference_closure_with_chains_and_missing_projects() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(
        root,
        "src/Api/Api.csproj",
        &sdk_project(&["..\\Domain\\Domain.csproj", "../Contracts/Contracts.csproj"]),
    );
    write(
        root,
        "src/Domain/Domain.csproj",
        &sdk_project(&["../Shared.Core/Shared.Core.csproj"]),
    );
    write(
        root,
        "src/Contracts/Contracts.csproj",
        &sdk_project(&["../Shared.Core/Shared.Core.csproj", "../Gone/Gone.csproj"]),
    );
    write(
        root,
        "src/Shared.Core/Shared.Core.csproj",
        &sdk_project(&[]),
    );
    write(
        root,
        "src/Tools/Tools.csproj",
        "<Project Sdk=\"Microsoft.NET.Sdk\"><ItemGroup Condition=\"'$(Configuration)' == 'Release'\"><ProjectReference Include=\"../Api/Api.csproj\" /></ItemGroup></Project>",
    );
    let workspace = index(root);
    let api = workspace
        .project_id(&root.join("src/Api/Api.csproj"))
        .unwrap();
    let closure = workspace.reference_closure(api);
    let described: Vec<String> = closure
        .entries
        .iter()
        .map(|e| workspace.describe_chain(&e.chain))
        .collect();
    assert_eq!(
        described,
        [
            "Api -> Domain",
            "Api -> Contracts",
            "Api -> Domain -> Shared.Core"
        ]
    );
    assert_eq!(closure.missing.len(), 1);
    assert_eq!(closure.missing[0].path, root.join("src/Gone/Gone.csproj"));
    assert_eq!(
        workspace.describe_chain(&closure.missing[0].chain),
        "Api -> Contracts"
    );
    assert!(closure.cycles.is_empty());

    let contracts = project(&workspace, root, "src/Contracts/Contracts.csproj");
    assert!(!contracts.project_references[1].target_exists);
    assert_eq!(
        kinds(&contracts.diagnostics),
        [WorkspaceDiagnosticKind::MissingProjectReference]
    );

    // The Release-only reference is known not to apply in the default (Debug) evaluation.
    let tools = workspace
        .project_id(&root.join("src/Tools/Tools.csproj"))
        .unwrap();
    assert!(workspace.reference_closure(tools).entries.is_empty());
    let tools_project = workspace.project(tools).unwrap();
    assert_eq!(
        tools_project.project_references[0].condition.holds,
        Some(false)
    );
}

#[test]
fn reference_cycles_terminate_and_are_reported() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(root, "A/A.csproj", &sdk_project(&["../B/B.csproj"]));
    write(root, "B/B.csproj", &sdk_project(&["../C/C.csproj"]));
    write(
        root,
        "C/C.csproj",
        &sdk_project(&["../A/A.csproj", "../C/C.csproj"]),
    );
    let workspace = index(root);
    let a = workspace.project_id(&root.join("A/A.csproj")).unwrap();
    let closure = workspace.reference_closure(a);
    let described: Vec<String> = closure
        .entries
        .iter()
        .map(|e| workspace.describe_chain(&e.chain))
        .collect();
    assert_eq!(described, ["A -> B", "A -> B -> C"]);
    let cycles: Vec<String> = closure
        .cycles
        .iter()
        .map(|c| workspace.describe_chain(c))
        .collect();
    assert_eq!(cycles, ["A -> B -> C -> A", "C -> C"]);
    let messages: Vec<String> = workspace
        .diagnostics()
        .into_iter()
        .filter(|d| d.kind == WorkspaceDiagnosticKind::ProjectReferenceCycle)
        .map(|d| d.message)
        .collect();
    assert_eq!(
        messages,
        [
            "circular ProjectReference: A -> B -> C -> A",
            "circular ProjectReference: C -> C"
        ]
    );
}

#[test]
fn items_see_properties_defined_later_and_update_remove() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(
        root,
        "Directory.Build.targets",
        r#"<Project>
  <ItemGroup>
    <PackageReference Update="Serilog" Version="4.1.0" />
    <PackageReference Remove="Legacy" />
  </ItemGroup>
</Project>"#,
    );
    write(
        root,
        "App/App.csproj",
        r#"<Project Sdk="Microsoft.NET.Sdk">
  <ItemGroup Condition="'$(UseWeb)' == 'true'">
    <FrameworkReference Include="Microsoft.AspNetCore.App" />
  </ItemGroup>
  <ItemGroup>
    <PackageReference Include="Serilog" Version="3.0.0" />
    <PackageReference Include="Legacy" Version="1.0.0" />
    <PackageReference Include="Child">
      <Version>2.0.0</Version>
    </PackageReference>
  </ItemGroup>
  <PropertyGroup><UseWeb>true</UseWeb></PropertyGroup>
</Project>"#,
    );
    let workspace = index(root);
    let app = project(&workspace, root, "App/App.csproj");
    assert!(app.is_web());
    let packages: Vec<(&str, Option<&str>)> = app
        .package_references
        .iter()
        .map(|p| (p.name.as_str(), p.version.as_deref()))
        .collect();
    assert_eq!(
        packages,
        [("Serilog", Some("4.1.0")), ("Child", Some("2.0.0"))]
    );
}

#[test]
fn choose_when_otherwise_and_legacy_projects() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(
        root,
        "Legacy/Legacy.csproj",
        r#"<?xml version="1.0" encoding="utf-8"?>
<Project ToolsVersion="15.0" xmlns="http://schemas.microsoft.com/developer/msbuild/2003">
  <Import Project="$(MSBuildExtensionsPath)\$(MSBuildToolsVersion)\Microsoft.Common.props" Condition="Exists('$(MSBuildExtensionsPath)\$(MSBuildToolsVersion)\Microsoft.Common.props')" />
  <PropertyGroup>
    <OutputType>Exe</OutputType>
    <TargetFrameworkVersion>v4.7.2</TargetFrameworkVersion>
  </PropertyGroup>
  <Choose>
    <When Condition="'$(Flavor)' == 'x'"><PropertyGroup><Picked>when</Picked></PropertyGroup></When>
    <Otherwise><PropertyGroup><Picked>otherwise</Picked></PropertyGroup></Otherwise>
  </Choose>
  <Import Project="$(MSBuildToolsPath)\Microsoft.CSharp.targets" />
</Project>"#,
    );
    let workspace = index(root);
    let legacy = project(&workspace, root, "Legacy/Legacy.csproj");
    assert_eq!(legacy.sdk(), None);
    assert_eq!(legacy.target_frameworks, ["net472"]);
    assert_eq!(legacy.properties.value("Picked"), "otherwise");
    assert!(legacy.is_executable());
    assert!(legacy.diagnostics.is_empty(), "{:?}", legacy.diagnostics);
}

#[test]
fn update_file_reevaluates_only_dependents() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(root, "Directory.Build.props", "<Project><PropertyGroup><TargetFramework>net8.0</TargetFramework></PropertyGroup></Project>");
    write(root, "a/A/A.csproj", &sdk_project(&[]));
    write(root, "b/B/B.csproj", &sdk_project(&[]));
    let mut workspace = index(root);
    let a = workspace.project_id(&root.join("a/A/A.csproj")).unwrap();
    let b = workspace.project_id(&root.join("b/B/B.csproj")).unwrap();

    // A csproj edit (unsaved buffer) re-evaluates that project only.
    let summary = workspace.update_file(
        &root.join("a/A/A.csproj"),
        Some("<Project Sdk=\"Microsoft.NET.Sdk\"><PropertyGroup><PublishAot>true</PublishAot></PropertyGroup></Project>".into()),
    );
    assert_eq!(summary.reevaluated, [a]);
    assert_eq!(workspace.project(a).unwrap().publish_aot, Some(true));

    // A props edit re-evaluates every project that imports it.
    write(root, "Directory.Build.props", "<Project><PropertyGroup><TargetFramework>net9.0</TargetFramework></PropertyGroup></Project>");
    let summary = workspace.update_file(&root.join("Directory.Build.props"), None);
    assert_eq!(summary.kind, Some(FileKind::DirectoryBuildProps));
    assert_eq!(summary.reevaluated, [a, b]);
    assert_eq!(workspace.project(b).unwrap().target_frameworks, ["net9.0"]);

    // A new, nearer Directory.Build.props only affects the projects below it.
    write(root, "b/Directory.Build.props", "<Project><PropertyGroup><TargetFramework>net10.0</TargetFramework></PropertyGroup></Project>");
    let summary = workspace.update_file(Path::new("b/Directory.Build.props"), None);
    assert_eq!(summary.reevaluated, [b]);
    assert_eq!(workspace.project(b).unwrap().target_frameworks, ["net10.0"]);
    assert_eq!(workspace.project(a).unwrap().target_frameworks, ["net9.0"]);

    // Deleting a project removes it; creating a referenced one re-evaluates the referrer.
    std::fs::remove_file(root.join("b/B/B.csproj")).unwrap();
    let summary = workspace.update_file(&root.join("b/B/B.csproj"), None);
    assert_eq!(summary.removed, [b]);
    assert!(workspace
        .project_by_path(&root.join("b/B/B.csproj"))
        .is_none());

    write(root, "a/A/A.csproj", &sdk_project(&["../../c/C/C.csproj"]));
    workspace.update_file(&root.join("a/A/A.csproj"), None);
    assert!(!workspace.project(a).unwrap().project_references[0].target_exists);
    write(root, "c/C/C.csproj", &sdk_project(&[]));
    let summary = workspace.update_file(&root.join("c/C/C.csproj"), None);
    let c = workspace.project_id(&root.join("c/C/C.csproj")).unwrap();
    assert_eq!(summary.reevaluated, [a, c]);
    assert!(workspace.project(a).unwrap().project_references[0].target_exists);
    assert_eq!(workspace.reference_closure(a).entries.len(), 1);
}

#[test]
fn solutions_global_json_and_nuget_configs_are_indexed() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(
        root,
        "global.json",
        "{ \"sdk\": { \"version\": \"8.0.100\" } }",
    );
    write(root, "NuGet.config", "<configuration><packageSources><add key=\"nuget.org\" value=\"https://api.nuget.org/v3/index.json\"/></packageSources></configuration>");
    write(root, "src/nuget.config", "<configuration><packageSources><add key=\"local\" value=\"./packages\"/></packageSources></configuration>");
    write(
        root,
        "App.slnx",
        "<Solution><Project Path=\"src/App/App.csproj\" /></Solution>",
    );
    write(root, "src/App/App.csproj", &sdk_project(&[]));
    let workspace = index(root);
    let solutions: Vec<_> = workspace.solutions().collect();
    assert_eq!(solutions.len(), 1);
    assert_eq!(
        solutions[0].projects[0].path,
        root.join("src/App/App.csproj")
    );
    let global = workspace.global_json_for(&root.join("src/App")).unwrap();
    assert_eq!(global.sdk_version.as_deref(), Some("8.0.100"));
    let configs: Vec<&str> = workspace
        .nuget_configs_for(&root.join("src/App"))
        .iter()
        .map(|c| c.sources[0].key.as_str())
        .collect();
    assert_eq!(configs, ["local", "nuget.org"]);
}
