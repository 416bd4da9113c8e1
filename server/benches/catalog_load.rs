//! Cost of the embedded image catalog: first use in a fresh process (what a server pays on its first
//! hover or diagnostic that needs it; nothing is parsed at start-up), repeated parses, and lookups.
//! Run with `cargo bench --bench catalog_load`. Times are medians, so a busy machine's preemptions
//! do not count as catalog work.

use std::process::Command;
use std::time::{Duration, Instant};

use dockside::images::hover::image_hover_markdown;
use dockside::images::{Catalog, ImageMatch, ImageRef};

const FIRST_USE_CHILD: &str = "DOCKSIDE_BENCH_CATALOG_FIRST_USE";
const FRESH_PROCESSES: usize = 21;

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples.get(samples.len() / 2).copied().unwrap_or_default()
}

fn time<T>(iterations: usize, mut f: impl FnMut() -> T) -> Vec<Duration> {
    (0..iterations)
        .map(|_| {
            let start = Instant::now();
            std::hint::black_box(f());
            start.elapsed()
        })
        .collect()
}

/// Runs this benchmark again as a fresh process that only measures the first use.
fn first_use_in_fresh_processes() -> Vec<Duration> {
    let Ok(exe) = std::env::current_exe() else {
        return Vec::new();
    };
    (0..FRESH_PROCESSES)
        .filter_map(|_| {
            let output = Command::new(&exe).env(FIRST_USE_CHILD, "1").output().ok()?;
            let nanos: u64 = String::from_utf8(output.stdout).ok()?.trim().parse().ok()?;
            Some(Duration::from_nanos(nanos))
        })
        .collect()
}

fn main() {
    if std::env::var_os(FIRST_USE_CHILD).is_some() {
        let start = Instant::now();
        let catalog = Catalog::embedded();
        let elapsed = start.elapsed();
        assert_eq!(catalog.images.len(), 262, "embedded catalog did not load");
        println!("{}", elapsed.as_nanos());
        return;
    }

    let first_use = first_use_in_fresh_processes();
    assert_eq!(first_use.len(), FRESH_PROCESSES, "child processes failed");
    let parses = time(200, || {
        Catalog::load_embedded().map(|catalog| catalog.images.len())
    });
    let catalog = Catalog::embedded();
    let reference = ImageRef::parse("mcr.microsoft.com/dotnet/aspnet:10.0");
    let hovers = time(1_000, || {
        image_hover_markdown(&reference, "2026-08-25", None)
    });
    let known = time(1_000, || catalog.lookup(&reference));
    let typo = ImageRef::parse("mcr.microsoft.com/dotnet/aspnet:10.0-alpin");
    assert!(matches!(catalog.lookup(&typo), ImageMatch::UnknownTag(_)));
    let typos = time(200, || catalog.lookup(&typo));
    let tags = time(200, || {
        catalog.tags_for("aspnet", None, "2026-08-25", None).len()
    });

    println!("| measure | median |");
    println!("|---|---|");
    println!(
        "| first use in a fresh process (parse + index), {FRESH_PROCESSES} processes | {:?} |",
        median(first_use)
    );
    println!("| parse + index, 200 runs | {:?} |", median(parses));
    println!("| lookup `aspnet:10.0` | {:?} |", median(known));
    println!(
        "| hover `aspnet:10.0` (lookup, alternatives, markdown) | {:?} |",
        median(hovers)
    );
    println!("| unknown tag with did-you-mean | {:?} |", median(typos));
    println!("| tag completion list for `aspnet` | {:?} |", median(tags));
}
