//! Parse and full-analysis time for generated 30-, 3,000- and 30,000-line Dockerfiles.
//! Run with `cargo bench --bench analysis`. Prints the median of repeated runs.

use std::time::{Duration, Instant};

use dockside::analysis::{analyze, AnalysisEnv};
use dockside::bench_support::generated_dockerfile;
use dockside::syntax::parse;

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn measure(iterations: usize, mut f: impl FnMut()) -> Duration {
    f();
    let mut samples: Vec<Duration> = (0..iterations)
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed()
        })
        .collect();
    samples.sort();
    samples[samples.len() / 2]
}

fn main() {
    let env = AnalysisEnv::default();
    // For profilers (callgrind, perf): analyse one file of N lines once and exit.
    if let Some(lines) = std::env::var("DOCKSIDE_BENCH_ONCE")
        .ok()
        .and_then(|v| v.parse::<usize>().ok())
    {
        let text = generated_dockerfile(lines);
        std::hint::black_box(analyze(&text, &env));
        return;
    }
    println!("| lines | bytes | instructions | parse (median) | parse + model + rules (median) |");
    println!("|---|---|---|---|---|");
    for lines in [30, 3_000, 30_000] {
        let text = generated_dockerfile(lines);
        let iterations = if lines > 10_000 { 21 } else { 201 };
        let instructions = parse(&text).instructions.len();
        let parse_time = measure(iterations, || {
            std::hint::black_box(parse(std::hint::black_box(&text)));
        });
        let analysis_time = measure(iterations, || {
            std::hint::black_box(analyze(std::hint::black_box(&text), &env));
        });
        println!(
            "| {lines} | {} | {instructions} | {:.3} ms | {:.3} ms |",
            text.len(),
            parse_time.as_secs_f64() * 1e3,
            analysis_time.as_secs_f64() * 1e3
        );
    }
}
