//! Parse and full-analysis time for generated 30-, 3,000- and 30,000-line Dockerfiles, split
//! into parse, model and rules, plus the slowest rules on the largest file.
//! Run with `cargo bench --bench analysis`. Prints the median of repeated runs.
//! `DOCKSIDE_BENCH_ONCE=<lines>` analyses one file once and exits (for `perf record`).

use std::time::{Duration, Instant};

use dockside::analysis::{analyze, AnalysisEnv};
use dockside::bench_support::{generated_dockerfile, rule_times, services};
use dockside::context::SolutionSnapshot;
use dockside::dotnet::{Workspace, WorkspaceOptions};
use dockside::model::Model;
use dockside::rules::{check, RuleContext};
use dockside::syntax::parse;

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Median time to produce `f`'s result. The result is dropped after the clock stops: freeing
/// a tree is not part of analysing it (the server frees old analyses off the hot path).
fn measure<T>(iterations: usize, mut f: impl FnMut() -> T) -> Duration {
    drop(f());
    let mut samples: Vec<Duration> = (0..iterations)
        .map(|_| {
            let start = Instant::now();
            let result = std::hint::black_box(f());
            let elapsed = start.elapsed();
            drop(result);
            elapsed
        })
        .collect();
    samples.sort();
    samples[samples.len() / 2]
}

fn ms(d: Duration) -> String {
    format!("{:.3} ms", d.as_secs_f64() * 1e3)
}

fn main() {
    let env = AnalysisEnv::default();
    if let Some(lines) = std::env::var("DOCKSIDE_BENCH_ONCE")
        .ok()
        .and_then(|v| v.parse::<usize>().ok())
    {
        let text = generated_dockerfile(lines);
        // `DOCKSIDE_BENCH_SOLUTION=1`: the file inside its generated solution.
        let solution = std::env::var_os("DOCKSIDE_BENCH_SOLUTION").map(|_| in_solution(&text));
        let env = solution.as_ref().map_or(&env, |(_, env)| env);
        // The catalog is parsed once per process (the server does it at start-up): keep that
        // out of what a profiler toggled on `analyze` counts.
        std::hint::black_box(dockside::images::catalog::Catalog::embedded());
        let repeat = std::env::var("DOCKSIDE_BENCH_REPEAT")
            .ok()
            .and_then(|v| v.parse::<usize>().ok())
            .unwrap_or(1);
        for _ in 0..repeat {
            std::hint::black_box(analyze(&text, env));
        }
        return;
    }
    println!(
        "| lines | bytes | instructions | diagnostics | parse | model | rules | analyze (total) |"
    );
    println!("|---|---|---|---|---|---|---|---|");
    for lines in [30, 3_000, 30_000] {
        let text = generated_dockerfile(lines);
        let iterations = if lines > 10_000 { 21 } else { 201 };
        let tree = parse(&text);
        let model = Model::build(&tree);
        let diagnostics = analyze(&text, &env).diagnostics.len();
        let parse_time = measure(iterations, || parse(std::hint::black_box(&text)));
        let model_time = measure(iterations, || Model::build(std::hint::black_box(&tree)));
        let rules_time = measure(iterations, || {
            check(&RuleContext::new(&text, &tree, &model, &env, None))
        });
        let analysis_time = measure(iterations, || analyze(std::hint::black_box(&text), &env));
        println!(
            "| {lines} | {} | {} | {diagnostics} | {} | {} | {} | {} |",
            text.len(),
            tree.instructions.len(),
            ms(parse_time),
            ms(model_time),
            ms(rules_time),
            ms(analysis_time)
        );
    }
    println!();
    println!(
        "The same files opened inside their solution (one web project per service, each referencing a shared library), so that the solution-aware rules run too:"
    );
    println!();
    println!("| lines | diagnostics | analyze (total) |");
    println!("|---|---|---|");
    for lines in [30, 3_000, 30_000] {
        let text = generated_dockerfile(lines);
        let (_dir, env) = in_solution(&text);
        let iterations = if lines > 10_000 { 21 } else { 201 };
        let diagnostics = analyze(&text, &env).diagnostics.len();
        let analysis_time = measure(iterations, || analyze(std::hint::black_box(&text), &env));
        println!("| {lines} | {diagnostics} | {} |", ms(analysis_time));
    }
    let text = generated_dockerfile(30_000);
    println!();
    println!(
        "Slowest rules on 30,000 lines (fastest of five runs each, shared caches charged to the first user):"
    );
    println!();
    println!("| rule | time |");
    println!("|---|---|");
    // The fastest of five runs per rule: one run is at the mercy of the machine's noise.
    let mut fastest: Vec<(&'static str, Duration)> = rule_times(&text, &env);
    for _ in 1..5 {
        for (name, time) in rule_times(&text, &env) {
            if let Some(entry) = fastest.iter_mut().find(|(n, _)| *n == name) {
                entry.1 = entry.1.min(time);
            }
        }
    }
    fastest.sort_by_key(|&(_, time)| std::cmp::Reverse(time));
    let shown = std::env::var("DOCKSIDE_BENCH_RULES")
        .ok()
        .and_then(|v| v.parse::<usize>().ok())
        .unwrap_or(10);
    for (name, time) in fastest.into_iter().take(shown) {
        println!("| {name} | {} |", ms(time));
    }
}

/// `text` as the Dockerfile at the root of its generated solution (one service per block of
/// [`generated_dockerfile`]), with the environment an editor's server gives it. The directory
/// lives as long as the returned guard.
fn in_solution(text: &str) -> (tempfile::TempDir, AnalysisEnv) {
    let dir = tempfile::tempdir().expect("a temporary directory for the bench solution");
    let services = text.matches("# Service ").count().max(1);
    services::generate(dir.path(), services, text).expect("the bench solution is written");
    let workspace = Workspace::index(dir.path(), WorkspaceOptions::default());
    let env = AnalysisEnv {
        path: Some(workspace.root().join("Dockerfile")),
        solution: Some(SolutionSnapshot::new(workspace)),
        ..AnalysisEnv::default()
    };
    (dir, env)
}
