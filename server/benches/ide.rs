//! Editor-feature latency on generated Dockerfiles: completion and hover (p50 and p95) on a
//! 3,000-line file, semantic tokens (computed and encoded for UTF-16) on a 30,000-line file.
//! Run with `cargo bench --bench ide`.

use std::time::{Duration, Instant};

use dockside::analysis::{analyze, AnalysisEnv};
use dockside::bench_support::generated_dockerfile;
use dockside::ide::{completion, hover_docs, semantic_tokens, IdeEnv};
use dockside::text::Encoding;

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Median and 95th percentile of `iterations` runs.
fn measure(iterations: usize, mut f: impl FnMut()) -> (Duration, Duration) {
    f();
    let mut samples: Vec<Duration> = (0..iterations)
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed()
        })
        .collect();
    samples.sort();
    (
        samples[samples.len() / 2],
        samples[samples.len() * 95 / 100],
    )
}

fn ms(d: Duration) -> String {
    format!("{:.3} ms", d.as_secs_f64() * 1e3)
}

/// The byte offset of `needle` (plus `delta`) in the middle of the text, where the scopes are
/// largest.
fn middle_offset(text: &str, needle: &str, delta: usize) -> usize {
    let half = text.len() / 2;
    text[half..]
        .find(needle)
        .map(|i| half + i + delta)
        .unwrap_or(half)
}

fn main() {
    let env = IdeEnv::default();
    let analysis_env = AnalysisEnv::default();
    let text = generated_dockerfile(3_000);
    let analysis = analyze(&text, &analysis_env);
    println!("| feature (3,000 lines) | p50 | p95 |");
    println!("|---|---|---|");
    let cases = [
        (
            "completion: variable after `$`",
            middle_offset(&text, "-a $TARGETARCH", 4),
        ),
        (
            "completion: flag value `--mount=...`",
            middle_offset(&text, "type=cache", 5),
        ),
        (
            "completion: `dotnet publish` option",
            middle_offset(&text, "--no-restore", 2),
        ),
        (
            "completion: keyword",
            middle_offset(&text, "WORKDIR /src", 2),
        ),
    ];
    for (name, offset) in cases {
        let items = completion::completions(&analysis, offset, &env);
        assert!(!items.is_empty(), "{name}: no items");
        let (p50, p95) = measure(2001, || {
            std::hint::black_box(completion::completions(&analysis, offset, &env));
        });
        println!(
            "| {name} ({} items) | {} | {} |",
            items.len(),
            ms(p50),
            ms(p95)
        );
    }
    let cases = [
        ("hover: keyword", middle_offset(&text, "COPY --from", 1)),
        (
            "hover: variable value",
            middle_offset(&text, "$BUILD_CONFIGURATION", 3),
        ),
        (
            "hover: stage reference",
            middle_offset(&text, "--from=build", 9),
        ),
        (
            "hover: dotnet option",
            middle_offset(&text, "--no-restore", 4),
        ),
    ];
    for (name, offset) in cases {
        assert!(
            hover_docs::hover(&analysis, offset, &env).is_some(),
            "{name}: no hover"
        );
        let (p50, p95) = measure(2001, || {
            std::hint::black_box(hover_docs::hover(&analysis, offset, &env));
        });
        println!("| {name} | {} | {} |", ms(p50), ms(p95));
    }

    let big = generated_dockerfile(30_000);
    let analysis = analyze(&big, &analysis_env);
    let tokens = semantic_tokens::semantic_tokens(&analysis);
    let (p50, p95) = measure(51, || {
        let tokens = semantic_tokens::semantic_tokens(&analysis);
        std::hint::black_box(semantic_tokens::encode(
            &analysis.text,
            &analysis.line_index,
            &tokens,
            Encoding::Utf16,
        ));
    });
    println!(
        "| semantic tokens full + UTF-16 encoding (30,000 lines, {} tokens) | {} | {} |",
        tokens.len(),
        ms(p50),
        ms(p95)
    );
    let (p50, p95) = measure(51, || {
        std::hint::black_box(semantic_tokens::semantic_tokens(&analysis));
    });
    println!(
        "| semantic tokens, computing only (30,000 lines) | {} | {} |",
        ms(p50),
        ms(p95)
    );
    let (p50, p95) = measure(51, || {
        std::hint::black_box(semantic_tokens::encode(
            &analysis.text,
            &analysis.line_index,
            &tokens,
            Encoding::Utf16,
        ));
    });
    println!(
        "| semantic tokens, UTF-16 encoding only (30,000 lines) | {} | {} |",
        ms(p50),
        ms(p95)
    );
}
