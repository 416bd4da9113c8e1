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
       dockside images inspect [--insecure] [--json] REFERENCE

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

/// `dockside images ...` from the command line: prints and returns the exit code. `inspect`
/// asks a registry ([`super::registry::cli`]); everything else lists the embedded catalog.
pub fn run_command(args: &[std::ffi::OsString]) -> i32 {
    let args: Vec<String> = args
        .iter()
        .map(|arg| arg.to_string_lossy().into_owned())
        .collect();
    if args.first().map(String::as_str) == Some("inspect") {
        let output = super::registry::cli::run(args.get(1..).unwrap_or_default());
        print!("{}", output.stdout);
        eprint!("{}", output.stderr);
        return output.code;
    }
    let (text, code) = run(&args, &crate::analysis::today());
    if code == EXIT_USAGE {
        eprint!("{text}");
    } else {
        print!("{text}");
    }
    code
}

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

#[cfg(test)]
mod tests {
    use super::*;

    const TODAY: &str = "2026-08-25";

    fn run_args(args: &[&str]) -> (String, i32) {
        let args: Vec<String> = args.iter().map(|arg| arg.to_string()).collect();
        run(&args, TODAY)
    }

    #[test]
    fn lists_repositories_without_arguments() {
        let (out, code) = run_args(&[]);
        assert_eq!(code, EXIT_OK);
        assert_eq!(
            out,
            "Microsoft .NET container images (catalog as of 2026-08):

  sdk               mcr.microsoft.com/dotnet/sdk               .NET SDK
  aspnet            mcr.microsoft.com/dotnet/aspnet            ASP.NET Core Runtime
  runtime           mcr.microsoft.com/dotnet/runtime           .NET Runtime
  runtime-deps      mcr.microsoft.com/dotnet/runtime-deps      .NET Runtime Dependencies (for self-contained / native AOT apps)
  monitor           mcr.microsoft.com/dotnet/monitor           .NET Monitor Tool
  monitor/base      mcr.microsoft.com/dotnet/monitor/base      .NET Monitor Base (no extensions)
  aspire-dashboard  mcr.microsoft.com/dotnet/aspire-dashboard  Aspire Dashboard

Run `dockside images REPOSITORY [VERSION]` to list tags, e.g. `dockside images aspnet 10.0`.
"
        );
    }

    #[test]
    fn lists_matching_tags_with_sizes_and_support() {
        let (out, code) = run_args(&["aspnet", "10.0", "alpine"]);
        assert_eq!(code, EXIT_OK);
        assert_eq!(
            out,
            "mcr.microsoft.com/dotnet/aspnet: 10 tags, compressed sizes as of 2026-08 (1 MB = 1024² bytes)

TAG                              OS             AMD64    ARM64    ARM32  SUPPORT
10.0-alpine                      Alpine 3.24  51.8 MB  49.5 MB  48.2 MB  LTS, until 2028-11-14
10.0-alpine3.24                  Alpine 3.24  51.8 MB  49.5 MB  48.2 MB  LTS, until 2028-11-14
10.0-alpine3.23                  Alpine 3.23  51.8 MB  49.5 MB  48.2 MB  LTS, until 2028-11-14
10.0-alpine-extra                Alpine 3.24  66.7 MB  64.4 MB  63.2 MB  LTS, until 2028-11-14
10.0-alpine3.24-extra            Alpine 3.24  66.7 MB  64.4 MB  63.2 MB  LTS, until 2028-11-14
10.0-alpine3.23-extra            Alpine 3.23  66.2 MB  63.9 MB  62.7 MB  LTS, until 2028-11-14
10.0-alpine3.24-composite        Alpine 3.24  51.2 MB  48.9 MB  47.7 MB  LTS, until 2028-11-14
10.0-alpine3.23-composite        Alpine 3.23  51.2 MB  48.9 MB  47.7 MB  LTS, until 2028-11-14
10.0-alpine3.24-composite-extra  Alpine 3.24  66.1 MB  63.8 MB  62.6 MB  LTS, until 2028-11-14
10.0-alpine3.23-composite-extra  Alpine 3.23  65.6 MB  63.4 MB  62.2 MB  LTS, until 2028-11-14
"
        );
    }

    #[test]
    fn versions_are_alternatives_and_all_adds_fixed_tags() {
        let (out, code) = run_args(&["runtime", "8.0", "9.0", "noble-chiseled"]);
        assert_eq!(code, EXIT_OK);
        assert_eq!(
            out,
            "mcr.microsoft.com/dotnet/runtime: 4 tags, compressed sizes as of 2026-08 (1 MB = 1024² bytes)

TAG                       OS                               AMD64    ARM64    ARM32  SUPPORT
8.0-noble-chiseled        Ubuntu 24.04 chiseled (noble)  36.4 MB  33.9 MB        -  LTS, maintenance until 2026-11-10
8.0-noble-chiseled-extra  Ubuntu 24.04 chiseled (noble)  51.2 MB  48.7 MB        -  LTS, maintenance until 2026-11-10
9.0-noble-chiseled        Ubuntu 24.04 chiseled (noble)  38.5 MB  35.8 MB  34.6 MB  STS, maintenance until 2026-11-10
9.0-noble-chiseled-extra  Ubuntu 24.04 chiseled (noble)  53.3 MB  50.6 MB  48.9 MB  STS, maintenance until 2026-11-10
"
        );
        let (out, code) = run_args(&["sdk", "10", "alpine3.24", "--all"]);
        assert_eq!(code, EXIT_OK);
        let tags: Vec<&str> = out
            .lines()
            .skip(3)
            .filter_map(|line| line.split_whitespace().next())
            .collect();
        assert_eq!(
            tags,
            [
                "10.0-alpine3.24",
                "10.0-alpine3.24-aot",
                "10.0.400-alpine3.24",
                "10.0.400-alpine3.24-aot"
            ]
        );
    }

    #[test]
    fn appliance_major_tags_are_listed() {
        let (out, code) = run_args(&["monitor", "10"]);
        assert_eq!(code, EXIT_OK);
        assert_eq!(
            out,
            "mcr.microsoft.com/dotnet/monitor: 3 tags, compressed sizes as of 2026-08 (1 MB = 1024² bytes)

TAG     OS                            AMD64    ARM64  ARM32  SUPPORT
10.0    Azure Linux 3.0 distroless  66.7 MB  63.0 MB      -  runs on .NET 10.0.11
10      Azure Linux 3.0 distroless  66.7 MB  63.0 MB      -  runs on .NET 10.0.11
latest  Azure Linux 3.0 distroless  66.7 MB  63.0 MB      -  runs on .NET 10.0.11
"
        );
    }

    #[test]
    fn json_output_has_the_same_facts() {
        let (out, code) = run_args(&["--json", "aspnet", "10.0", "noble-chiseled-composite-extra"]);
        assert_eq!(code, EXIT_OK);
        let value: Value = match serde_json::from_str(&out) {
            Ok(value) => value,
            Err(error) => panic!("{error}: {out}"),
        };
        assert_eq!(
            value,
            json!({
                "catalog_snapshot": "2026-08",
                "repository": "mcr.microsoft.com/dotnet/aspnet",
                "tags": [{
                    "tag": "10.0-noble-chiseled-composite-extra",
                    "floating": true,
                    "dotnet_version": "10.0",
                    "product_version": "10.0.11",
                    "variant": "noble-chiseled-composite-extra",
                    "os": "Ubuntu 24.04 chiseled (noble)",
                    "os_family": "ubuntu",
                    "libc": "glibc",
                    "shell": null,
                    "package_manager": "none",
                    "default_user": "app (UID 1654 via $APP_UID)",
                    "non_root_by_default": true,
                    "ports": [8080],
                    "icu": true,
                    "tzdata": true,
                    "globalization_invariant": false,
                    "distroless": true,
                    "architectures": ["amd64", "arm64v8", "arm32v7"],
                    "sizes": {
                        "amd64": {"compressed_bytes": 70138456u64, "compressed_mb": 66.9, "uncompressed_bytes": null, "uncompressed_as_of": null},
                        "arm64v8": {"compressed_bytes": 66295183u64, "compressed_mb": 63.2, "uncompressed_bytes": null, "uncompressed_as_of": null},
                        "arm32v7": {"compressed_bytes": 65126895u64, "compressed_mb": 62.1, "uncompressed_bytes": null, "uncompressed_as_of": null},
                    },
                    "support": {"release_type": "LTS", "status": "supported", "ga": "2025-11-11", "end_of_support": "2028-11-14"},
                }],
            })
        );
        let (out, code) = run_args(&["--json"]);
        assert_eq!(code, EXIT_OK);
        let repositories: Value = serde_json::from_str(&out).unwrap_or_default();
        assert_eq!(
            repositories["repositories"][0],
            json!({"name": "sdk", "image": "mcr.microsoft.com/dotnet/sdk", "description": ".NET SDK"})
        );
    }

    #[test]
    fn no_match_exits_1_and_usage_errors_exit_2() {
        assert_eq!(
            run_args(&["aspnet", "12.0"]),
            (
                "mcr.microsoft.com/dotnet/aspnet: 0 tags, compressed sizes as of 2026-08 (1 MB = 1024² bytes)\nNo tags match.\n"
                    .to_string(),
                EXIT_NO_MATCH
            )
        );
        assert_eq!(
            run_args(&["nginx"]),
            (
                "dockside images: unknown repository `nginx`; known: sdk, aspnet, runtime, runtime-deps, monitor, monitor/base, aspire-dashboard\n".to_string(),
                EXIT_USAGE
            )
        );
        let (out, code) = run_args(&["aspnet", "--bogus"]);
        assert_eq!(code, EXIT_USAGE);
        assert!(
            out.starts_with("dockside images: unknown option `--bogus`\n\nUsage: dockside images")
        );
        assert_eq!(run_args(&["aspnet", ""]).1, EXIT_USAGE);
        assert_eq!(run_args(&["--help"]), (USAGE.to_string(), EXIT_OK));
        assert_eq!(
            run_args(&[
                "mcr.microsoft.com/dotnet/aspnet",
                "10.0",
                "noble-chiseled-composite-extra"
            ])
            .1,
            EXIT_OK
        );
    }
}
