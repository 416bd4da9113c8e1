//! Indexing benchmark: a generated 2,000-project solution with depth-5 ProjectReference chains
//! and Directory.Build.props at three levels (root, src/, src/<group>/).
//!
//! Run: `cargo bench --bench workspace_index`. Targets: full index + evaluation < 500 ms,
//! re-evaluation after one csproj edit < 10 ms.

use std::time::{Duration, Instant};

use dockside::bench_support::solution::{csproj, generate, project_path, CHAIN, GROUPS, PROJECTS};
use dockside::dotnet::{Workspace, WorkspaceOptions};

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

fn main() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let root = dir.path();
    generate(root).expect("write the benchmark solution");

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
