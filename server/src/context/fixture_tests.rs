//! The fixtures under `fixtures/` evaluate to the facts their READMEs describe.

use std::path::{Path, PathBuf};

use super::*;
use crate::dotnet::{Workspace, WorkspaceOptions};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../fixtures")
        .join(name)
}

fn index(name: &str) -> (PathBuf, Workspace) {
    let root = crate::dotnet::paths::normalize(&fixture(name));
    let workspace = Workspace::index(&root, WorkspaceOptions::default());
    (root, workspace)
}

fn closure_chains(workspace: &Workspace, project: &Path) -> Vec<String> {
    let id = workspace.project_id(project).expect("project indexed");
    workspace
        .reference_closure(id)
        .entries
        .iter()
        .map(|e| workspace.describe_chain(&e.chain))
        .collect()
}

fn context_for(workspace: &Workspace, dockerfile: &Path, sources: &[&str]) -> BuildContextChoice {
    let compose = load_compose_files(workspace);
    choose_build_context(&BuildContextRequest {
        dockerfile,
        workspace,
        compose_files: &compose,
        configured: &[],
        configured_source: "dockside.toml",
        copy_sources: sources,
        fs: &crate::context::confined::FsMemo::default(),
    })
}

#[test]
fn every_fixture_indexes_without_workspace_diagnostics() {
    let names = [
        "vs-template",
        "microservices",
        "central-packages",
        "private-feed",
        "global-json",
        "aot-app",
        "alpine-app",
        "naive-single-stage",
        "compose-app",
        "good",
    ];
    for name in names {
        let (root, workspace) = index(name);
        assert_eq!(workspace.diagnostics(), [], "{name}");
        assert!(workspace.projects().count() >= 1, "{name}");
        assert!(
            workspace
                .files()
                .of_kind(crate::dotnet::FileKind::Dockerfile)
                .count()
                >= 1,
            "{name}"
        );
        assert!(root.join("README.md").is_file(), "{name}");
        for project in workspace.projects() {
            assert!(project.evaluated, "{name}: {}", project.path.display());
        }
    }
}

#[test]
fn vs_template_context_and_missing_restore_project() {
    let (root, workspace) = index("vs-template");
    let api = workspace
        .project_by_path(&root.join("src/Api/Api.csproj"))
        .unwrap();
    assert!(api.is_web());
    assert_eq!(api.target_frameworks, ["net8.0"]);
    assert_eq!(closure_chains(&workspace, &api.path), ["Api -> Domain"]);
    let dockerfile = root.join("src/Api/Dockerfile");
    let choice = context_for(&workspace, &dockerfile, &["src/Api/Api.csproj", "."]);
    assert_eq!(choice.dir, root);
    assert!(matches!(
        choice.reason,
        ContextReason::DockerfileContext { .. }
    ));
    let ignore_path = dockerignore_for(&choice.dir, &dockerfile).unwrap();
    let ignore = Dockerignore::parse(&std::fs::read_to_string(ignore_path.path()).unwrap());
    assert!(ignore.build_outputs_coverage().complete());
    assert_eq!(
        ignore.is_excluded("src/Api/Dockerfile").map(|m| m.pattern),
        Some("**/Dockerfile*".to_string())
    );
    assert_eq!(ignore.is_excluded(".git/HEAD"), None);
}

#[test]
fn microservices_closure_and_props_chain() {
    let (root, workspace) = index("microservices");
    let orders = root.join("src/Services/Orders/Orders.Api/Orders.Api.csproj");
    assert_eq!(
        closure_chains(&workspace, &orders),
        [
            "Orders.Api -> Orders.Application",
            "Orders.Api -> Orders.Application -> Shared.Messaging",
            "Orders.Api -> Orders.Application -> Shared.Messaging -> Shared.Core",
        ]
    );
    let project = workspace.project_by_path(&orders).unwrap();
    assert_eq!(
        project.inputs,
        [
            root.join("src/Directory.Build.props"),
            root.join("Directory.Build.props")
        ]
    );
    assert_eq!(
        project.properties.value("RootNamespace"),
        "Contoso.Orders.Api"
    );
    assert_eq!(project.target_frameworks, ["net9.0"]);
    let choice = context_for(
        &workspace,
        &root.join("src/Services/Orders/Orders.Api/Dockerfile"),
        &[
            "Directory.Build.props",
            "src/Services/Orders/Orders.Api/Orders.Api.csproj",
            "src/",
        ],
    );
    assert_eq!(choice.dir, root);
    assert_eq!(
        choice.reason,
        ContextReason::CopySources {
            found: 3,
            considered: 3,
            is_solution_dir: true
        }
    );
}

#[test]
fn central_private_global_aot_alpine_facts() {
    let (root, workspace) = index("central-packages");
    let api = workspace
        .project_by_path(&root.join("src/Catalog.Api/Catalog.Api.csproj"))
        .unwrap();
    let versions: Vec<(&str, Option<&str>)> = api
        .package_references
        .iter()
        .map(|p| (p.name.as_str(), p.version.as_deref()))
        .collect();
    assert_eq!(
        versions,
        [
            ("Serilog.AspNetCore", Some("8.0.3")),
            ("Swashbuckle.AspNetCore", Some("6.9.0"))
        ]
    );
    assert_eq!(api.inputs, [root.join("Directory.Packages.props")]);

    let (root, workspace) = index("private-feed");
    let configs = workspace.nuget_configs_for(&root);
    assert_eq!(configs.len(), 1);
    assert!(configs[0].has_clear_text_password());
    assert_eq!(configs[0].credentials[0].source, "contoso-internal");

    let (root, workspace) = index("global-json");
    let global = workspace
        .global_json_for(&root.join("src/Reports"))
        .unwrap();
    assert_eq!(
        (
            global.sdk_version.as_deref(),
            global.effective_roll_forward()
        ),
        (Some("8.0.100"), "latestPatch")
    );

    let (root, workspace) = index("aot-app");
    let app = workspace
        .project_by_path(&root.join("src/Ingest/Ingest.csproj"))
        .unwrap();
    assert_eq!(
        (app.publish_aot, app.self_contained, app.is_web()),
        (Some(true), Some(true), false)
    );
    assert_eq!(app.runtime_identifiers, ["linux-x64"]);
    assert!(app.is_executable());

    let (root, workspace) = index("alpine-app");
    let app = workspace
        .project_by_path(&root.join("src/Orders/Orders.csproj"))
        .unwrap();
    assert_eq!(
        app.package("microsoft.data.sqlclient")
            .and_then(|p| p.version.as_deref()),
        Some("5.2.2")
    );
    assert_eq!(app.invariant_globalization, None);
}

#[test]
fn compose_app_contexts() {
    let (root, workspace) = index("compose-app");
    let api = context_for(&workspace, &root.join("src/Api/Dockerfile"), &[]);
    assert_eq!(api.dir, root);
    assert_eq!(
        api.reason,
        ContextReason::Compose {
            compose_file: root.join("compose.yaml"),
            service: "api".into()
        }
    );
    let worker = context_for(
        &workspace,
        &root.join("src/Worker/Dockerfile"),
        &["Worker.csproj"],
    );
    assert_eq!(worker.dir, root.join("src/Worker"));
    let compose = load_compose_files(&workspace);
    let target = compose[0]
        .service("api")
        .unwrap()
        .build
        .as_ref()
        .unwrap()
        .target
        .as_ref()
        .unwrap();
    assert_eq!(target.value, "final");
}

#[test]
fn good_fixture_restore_sources_all_exist_and_are_included() {
    let (root, workspace) = index("good");
    let web = root.join("src/Web/Web.csproj");
    assert_eq!(closure_chains(&workspace, &web), ["Web -> Core"]);
    let project = workspace.project_by_path(&web).unwrap();
    assert_eq!(project.target_frameworks, ["net10.0"]);
    assert_eq!(project.invariant_globalization, Some(true));
    assert_eq!(
        project.inputs,
        [
            root.join("Directory.Build.props"),
            root.join("Directory.Packages.props")
        ]
    );
    let ignore = Dockerignore::parse(&std::fs::read_to_string(root.join(".dockerignore")).unwrap());
    assert!(ignore.build_outputs_coverage().complete());
    let sources = [
        "global.json",
        "NuGet.config",
        "Directory.Build.props",
        "Directory.Packages.props",
        "src/Web/Web.csproj",
        "src/Core/Core.csproj",
        "src/",
    ];
    for resolution in resolve_sources(&root, &sources, Some(&ignore)) {
        assert_eq!(
            resolution.visible_matches().count(),
            1,
            "{}",
            resolution.source
        );
    }
    let choice = context_for(&workspace, &root.join("Dockerfile"), &sources);
    assert_eq!(
        choice.reason,
        ContextReason::CopySources {
            found: 7,
            considered: 7,
            is_solution_dir: true
        }
    );
}
