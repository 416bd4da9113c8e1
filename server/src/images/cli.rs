//! `dockside images`: list and search the embedded catalog from a terminal or a script.

use serde_json::{json, Map, Value};

use super::catalog::{Arch, Catalog, Image, Repository};
use super::completion::TagItem;
use super::facts::DotnetVersion;
use super::format;
use super::support::SupportStatus;

pub const EXIT_OK: i32 = 0;
pub const EXIT_NO_MATCH: i32 = 1;
pub const EXIT_USAGE: i32 = 2;

const USAGE: &str = "\
Usage: dockside images [--json] [--all] [REPOSITORY [FILTER...]]

List Microsoft .NET container images from Dockside's embedded catalog.

  REPOSITORY  sdk, aspnet, runtime, runtime-deps, monitor, monitor/base, aspire-dashboard
              (also dotnet/aspnet or mcr.microsoft.com/dotnet/aspnet)
  FILTER      a .NET version (10.0, or 10 for every 10.x) or text the tag must contain
              (alpine, chiseled, noble...); versions are alternatives, texts must all match
  --json      print JSON instead of a table
  --all       also list fixed-version tags (10.0.11-noble), not only floating ones
  -h, --help  print this help

Exit status: 0 tags listed, 1 nothing matched, 2 usage error.
";

/// Runs `dockside images` with the arguments that follow `images`. Returns the text to print and
/// the exit code; on exit code 2 the text is a usage error meant for stderr.
pub fn run(args: &[String], today: &str) -> (String, i32) {
    run_with(Catalog::embedded(), args, today)
}

/// [`run`] against a given catalog.
pub fn run_with(catalog: &Catalog, args: &[String], today: &str) -> (String, i32) {
    let options = match Options::parse(args) {
        Ok(Some(options)) => options,
        Ok(None) => return (USAGE.to_string(), EXIT_OK),
        Err(message) => return (format!("dockside images: {message}\n\n{USAGE}"), EXIT_USAGE),
    };
    let Some(repo_name) = &options.repository else {
        return list_repositories(catalog, options.json);
    };
    let Some(repo) = catalog.find_repository(repo_name) else {
        let known: Vec<&str> = catalog
            .repositories
            .iter()
            .map(Repository::short_name)
            .collect();
        return (
            format!(
                "dockside images: unknown repository `{repo_name}`; known: {}\n",
                known.join(", ")
            ),
            EXIT_USAGE,
        );
    };
    let filters = Filters::new(&options.filters);
    let preferred = filters.versions.iter().find_map(|filter| match filter {
        VersionFilter::Exact(version) => Some(*version),
        VersionFilter::Major(_) => None,
    });
    let items: Vec<TagItem<'_>> = catalog
        .tags_for(repo.path, preferred, today, None)
        .into_iter()
        .filter(|item| options.all || item.floating)
        .filter(|item| filters.matches(item))
        .collect();
    let code = if items.is_empty() {
        EXIT_NO_MATCH
    } else {
        EXIT_OK
    };
    let text = if options.json {
        tags_json(catalog, repo, &items, today)
    } else {
        tags_table(catalog, repo, &items, today)
    };
    (text, code)
}

struct Options {
    json: bool,
    all: bool,
    repository: Option<String>,
    filters: Vec<String>,
}

impl Options {
    /// `Ok(None)` for `--help`.
    fn parse(args: &[String]) -> Result<Option<Options>, String> {
        let mut options = Options {
            json: false,
            all: false,
            repository: None,
            filters: Vec::new(),
        };
        for arg in args {
            match arg.as_str() {
                "-h" | "--help" => return Ok(None),
                "--json" => options.json = true,
                "--all" => options.all = true,
                flag if flag.starts_with('-') && flag.len() > 1 => {
                    return Err(format!("unknown option `{flag}`"))
                }
                "" => return Err("empty argument".to_string()),
                word if options.repository.is_none() => options.repository = Some(word.to_string()),
                word => options.filters.push(word.to_string()),
            }
        }
        Ok(Some(options))
    }
}

enum VersionFilter {
    Exact(DotnetVersion),
    Major(u16),
}

struct Filters {
    versions: Vec<VersionFilter>,
    texts: Vec<String>,
}

impl Filters {
    fn new(words: &[String]) -> Filters {
        let mut filters = Filters {
            versions: Vec::new(),
            texts: Vec::new(),
        };
        for word in words {
            if let Some(version) =
                DotnetVersion::parse(word).filter(|_| word.matches('.').count() == 1)
            {
                filters.versions.push(VersionFilter::Exact(version));
            } else if let Some(major) = word
                .parse::<u16>()
                .ok()
                .filter(|_| word.bytes().all(|b| b.is_ascii_digit()))
            {
                filters.versions.push(VersionFilter::Major(major));
            } else {
                filters.texts.push(word.to_ascii_lowercase());
            }
        }
        filters
    }

    fn matches(&self, item: &TagItem<'_>) -> bool {
        let version = item
            .image
            .dotnet_version
            .or_else(|| DotnetVersion::parse(item.image.channel));
        let version_ok = self.versions.is_empty()
            || self.versions.iter().any(|filter| match (filter, version) {
                (VersionFilter::Exact(wanted), Some(version)) => *wanted == version,
                (VersionFilter::Major(major), Some(version)) => *major == version.major,
                (_, None) => false,
            });
        let tag = item.tag.to_ascii_lowercase();
        version_ok && self.texts.iter().all(|text| tag.contains(text.as_str()))
    }
}

fn list_repositories(catalog: &Catalog, json: bool) -> (String, i32) {
    if json {
        let repositories: Vec<Value> = catalog
            .repository_items()
            .into_iter()
            .map(|item| json!({"name": item.short_name, "image": item.image_name, "description": item.description}))
            .collect();
        let value = json!({"catalog_snapshot": catalog.snapshot, "repositories": repositories});
        return (pretty(&value), EXIT_OK);
    }
    let items = catalog.repository_items();
    let name_width = items
        .iter()
        .map(|item| item.short_name.len())
        .max()
        .unwrap_or(0);
    let image_width = items
        .iter()
        .map(|item| item.image_name.len())
        .max()
        .unwrap_or(0);
    let mut out = format!(
        "Microsoft .NET container images (catalog as of {}):\n\n",
        catalog.snapshot
    );
    for item in &items {
        out.push_str(&format!(
            "  {:name_width$}  {:image_width$}  {}\n",
            item.short_name, item.image_name, item.description
        ));
    }
    out.push_str("\nRun `dockside images REPOSITORY [VERSION]` to list tags, e.g. `dockside images aspnet 10.0`.\n");
    (out, EXIT_OK)
}

fn size_cell(image: &Image, arch: Arch) -> String {
    image
        .size(arch)
        .map(|size| format::size(size.compressed_bytes))
        .unwrap_or_else(|| "-".to_string())
}

fn support_cell(catalog: &Catalog, image: &Image, today: &str) -> String {
    match image
        .dotnet_version
        .and_then(|version| catalog.lifecycle(version))
    {
        Some(lifecycle) => lifecycle.status_short(today),
        None => match image.runtime_version {
            Some(runtime) => format!("runs on .NET {runtime}"),
            None => "-".to_string(),
        },
    }
}

fn tags_table(catalog: &Catalog, repo: &Repository, items: &[TagItem<'_>], today: &str) -> String {
    let mut out = format!(
        "{}: {} tag{}, compressed sizes as of {} (1 MB = 1024² bytes)\n",
        repo.image_name(),
        items.len(),
        if items.len() == 1 { "" } else { "s" },
        catalog.snapshot
    );
    if items.is_empty() {
        out.push_str("No tags match.\n");
        return out;
    }
    let header = ["TAG", "OS", "AMD64", "ARM64", "ARM32", "SUPPORT"];
    let rows: Vec<[String; 6]> = items
        .iter()
        .map(|item| {
            [
                item.tag.to_string(),
                item.image.os_name(),
                size_cell(item.image, Arch::Amd64),
                size_cell(item.image, Arch::Arm64v8),
                size_cell(item.image, Arch::Arm32v7),
                support_cell(catalog, item.image, today),
            ]
        })
        .collect();
    let mut widths = header.map(str::chars).map(Iterator::count);
    for row in &rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    out.push('\n');
    let header_cells: Vec<String> = header.iter().map(|cell| cell.to_string()).collect();
    push_row(&mut out, &header_cells, &widths);
    for row in &rows {
        push_row(&mut out, row, &widths);
    }
    out
}

/// Text columns left-aligned, size columns right-aligned, no trailing spaces.
fn push_row(out: &mut String, cells: &[String], widths: &[usize]) {
    let mut line = String::new();
    for (index, (cell, width)) in cells.iter().zip(widths).enumerate() {
        if index > 0 {
            line.push_str("  ");
        }
        let padding = width.saturating_sub(cell.chars().count());
        let right_aligned = (2..=4).contains(&index);
        if right_aligned {
            line.push_str(&" ".repeat(padding));
            line.push_str(cell);
        } else {
            line.push_str(cell);
            line.push_str(&" ".repeat(padding));
        }
    }
    out.push_str(line.trim_end());
    out.push('\n');
}

fn tags_json(catalog: &Catalog, repo: &Repository, items: &[TagItem<'_>], today: &str) -> String {
    let tags: Vec<Value> = items
        .iter()
        .map(|item| tag_json(catalog, item, today))
        .collect();
    let value = json!({
        "catalog_snapshot": catalog.snapshot,
        "repository": repo.image_name(),
        "tags": tags,
    });
    pretty(&value)
}

fn tag_json(catalog: &Catalog, item: &TagItem<'_>, today: &str) -> Value {
    let image = item.image;
    let mut sizes = Map::new();
    for size in &image.sizes {
        sizes.insert(
            size.arch.tag_suffix().to_string(),
            json!({
                "compressed_bytes": size.compressed_bytes,
                "compressed_mb": format::mib(size.compressed_bytes),
                "uncompressed_bytes": size.uncompressed_bytes,
                "uncompressed_as_of": size.uncompressed_as_of,
            }),
        );
    }
    let lifecycle = image
        .dotnet_version
        .and_then(|version| catalog.lifecycle(version));
    let support = lifecycle.map(|life| {
        let status = match life.status_on(today) {
            SupportStatus::Preview { .. } => "preview",
            SupportStatus::Supported { .. } => "supported",
            SupportStatus::Maintenance { .. } => "maintenance",
            SupportStatus::OutOfSupport { .. } => "out-of-support",
            SupportStatus::Unknown { .. } => "unknown",
        };
        json!({
            "release_type": life.release_type.name(),
            "status": status,
            "ga": life.ga.or(life.planned_ga),
            "end_of_support": life.end_or_planned(),
        })
    });
    json!({
        "tag": item.tag,
        "floating": item.floating,
        "dotnet_version": image.dotnet_version.map(|v| v.to_string()),
        "product_version": image.product_version,
        "variant": image.variant,
        "os": image.os_name(),
        "os_family": image.os_family().name(),
        "libc": image.libc.map(|libc| libc.name()),
        "shell": image.shell,
        "package_manager": image.package_manager.name(),
        "default_user": image.default_user,
        "non_root_by_default": image.is_non_root_by_default(),
        "ports": image.ports(),
        "icu": image.icu,
        "tzdata": image.tzdata,
        "globalization_invariant": image.globalization_invariant,
        "distroless": image.is_distroless(),
        "architectures": image.architectures().map(Arch::tag_suffix).collect::<Vec<_>>(),
        "sizes": Value::Object(sizes),
        "support": support,
    })
}

fn pretty(value: &Value) -> String {
    let mut text = serde_json::to_string_pretty(value).unwrap_or_else(|_| value.to_string());
    text.push('\n');
    text
}
