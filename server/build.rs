//! Exposes the embedded image catalog's snapshot dates as compile-time constants
//! (`DOCKSIDE_CATALOG_SNAPSHOT`, `DOCKSIDE_CATALOG_SOURCE_DATE`) so `dockside --version`
//! and hovers can name them without parsing the catalog.

use std::fs;
use std::path::Path;

const CATALOG: &str = "data/dotnet-images.tsv";

fn main() {
    println!("cargo:rerun-if-changed={CATALOG}");
    let text = match fs::read_to_string(Path::new(CATALOG)) {
        Ok(text) => text,
        Err(error) => panic!("cannot read {CATALOG}: {error}"),
    };
    let snapshot = text
        .lines()
        .find_map(|line| line.strip_prefix("snapshot\t"))
        .map(|rest| rest.split('\t').collect::<Vec<_>>());
    match snapshot.as_deref() {
        Some([month, date, ..]) if is_month(month) && is_date(date) => {
            println!("cargo:rustc-env=DOCKSIDE_CATALOG_SNAPSHOT={month}");
            println!("cargo:rustc-env=DOCKSIDE_CATALOG_SOURCE_DATE={date}");
        }
        _ => panic!("{CATALOG} has no valid `snapshot` line; regenerate it with scripts/gen_image_catalog.py"),
    }
}

fn is_month(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.len() == 7
        && bytes[4] == b'-'
        && bytes
            .iter()
            .enumerate()
            .all(|(i, b)| i == 4 || b.is_ascii_digit())
}

fn is_date(text: &str) -> bool {
    text.len() == 10
        && text.as_bytes()[7] == b'-'
        && is_month(&text[..7])
        && text[8..].bytes().all(|b| b.is_ascii_digit())
}
