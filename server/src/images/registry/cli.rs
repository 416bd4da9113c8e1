//! `dockside images inspect REF`: asks the image's registry and prints its platforms with
//! compressed sizes, the digest to pin and the number of tags.
//!
//! An explicit command is an explicit request for the network, so it does not wait for
//! `registry.enabled` (which governs the editor's automatic look-ups); it does honour the
//! `registry.insecure` list of the nearest `dockside.toml`, plus `--insecure`.

use std::time::Duration;

use serde_json::{json, Value};

use super::credentials::normalize_host;
use super::service::{RegistryOptions, RegistryService};
use super::{format_utc, LookupError, RemoteAbsence, RemoteImage, RemoteLookup, TAGS_SHOWN};
use crate::config::Config;
use crate::images::format;
use crate::images::reference::ImageRef;

pub const EXIT_FOUND: i32 = 0;
pub const EXIT_NOT_FOUND: i32 = 1;
pub const EXIT_USAGE: i32 = 2;
pub const EXIT_LOOKUP_FAILED: i32 = 3;

/// Longest wait for a whole look-up (each HTTP exchange has its own 3 s timeout).
const OVERALL_TIMEOUT: Duration = Duration::from_secs(60);

const USAGE: &str = "\
Usage: dockside images inspect [--insecure] [--json] REFERENCE

Ask the image's registry (OCI distribution API) for its platforms, compressed sizes,
digest and tags.

  REFERENCE   an image reference: localhost:5000/team/app:1.0, ghcr.io/org/img, nginx:1.27
  --insecure  use plain HTTP for this registry (also: `registry.insecure` in dockside.toml)
  --json      print JSON instead of text
  -h, --help  print this help

Credentials come from $DOCKER_CONFIG/config.json or ~/.docker/config.json (`auths`).
Answers are cached for 24 h in the user's cache directory (DOCKSIDE_CACHE_DIR overrides it).
Exit status: 0 found, 1 the registry has no such tag or repository, 2 usage error,
3 the registry could not be asked (the error is on stderr).
";

/// What to print; the caller writes `stdout` and `stderr` and exits with `code`.
#[derive(Debug, PartialEq, Eq)]
pub struct Output {
    pub stdout: String,
    pub stderr: String,
    pub code: i32,
}

/// Runs `dockside images inspect` with the arguments after `inspect`.
pub fn run(args: &[String]) -> Output {
    let config_dir = std::env::current_dir().unwrap_or_default();
    let (config, _) = Config::load_for(&config_dir);
    run_with(
        args,
        &config.insecure_registries,
        RegistryOptions::default(),
    )
}

/// [`run`] with the insecure registries and service options given.
pub fn run_with(args: &[String], insecure: &[String], options: RegistryOptions) -> Output {
    let mut json = false;
    let mut force_insecure = false;
    let mut reference: Option<&str> = None;
    for arg in args {
        match arg.as_str() {
            "-h" | "--help" => return output(USAGE.to_string(), String::new(), EXIT_FOUND),
            "--json" => json = true,
            "--insecure" => force_insecure = true,
            flag if flag.starts_with('-') => {
                return usage_error(&format!("unknown option `{flag}`"))
            }
            word if reference.is_none() => reference = Some(word),
            word => return usage_error(&format!("unexpected argument `{word}`")),
        }
    }
    let Some(text) = reference else {
        return usage_error("missing the image reference");
    };
    let image = ImageRef::parse(text);
    if let Some(problem) = image.problems().first() {
        return usage_error(&format!(
            "`{text}` is not an image reference: {}",
            problem.message()
        ));
    }
    if image.is_scratch() {
        return usage_error("`scratch` is not in any registry");
    }
    let mut insecure: Vec<String> = insecure.to_vec();
    if force_insecure {
        insecure.push(image.registry().to_string());
    }
    let uses_http = insecure
        .iter()
        .any(|host| normalize_host(host) == image.registry());
    let service = RegistryService::with_options(
        &insecure,
        RegistryOptions {
            log_failures: false,
            ..options
        },
    );
    let warnings: String = service
        .credential_problems()
        .iter()
        .map(|problem| format!("dockside images inspect: warning: {problem}\n"))
        .collect();
    let mut result = inspect(&service, &image, json, uses_http);
    result.stderr.insert_str(0, &warnings);
    result
}

fn inspect(service: &RegistryService, image: &ImageRef, json: bool, uses_http: bool) -> Output {
    match service.lookup_blocking(image, OVERALL_TIMEOUT) {
        Ok(RemoteLookup::Found(found)) => {
            let stdout = if json {
                pretty(&found_json(&found, uses_http))
            } else {
                found_text(&found, uses_http)
            };
            output(stdout, String::new(), EXIT_FOUND)
        }
        Ok(RemoteLookup::NotFound(absence)) => {
            let stdout = if json {
                pretty(&absent_json(&absence))
            } else {
                format!("{}\n", absence.describe())
            };
            output(stdout, String::new(), EXIT_NOT_FOUND)
        }
        Err(error) => failed(service, image, &error, json),
    }
}

fn failed(service: &RegistryService, image: &ImageRef, error: &LookupError, json: bool) -> Output {
    let stderr = format!("dockside images inspect: {}\n", error.message);
    // What was known before still helps, clearly labelled as such.
    let stdout = match service.cached_lookup(image) {
        Some(RemoteLookup::Found(found)) if json => {
            let mut value = found_json(&found, false);
            value["cached"] = Value::Bool(true);
            pretty(&value)
        }
        Some(RemoteLookup::Found(found)) => format!(
            "Cached answer from {} (the registry could not be asked now):\n\n{}",
            format_utc(found.fetched_at),
            found_text(&found, false)
        ),
        _ => String::new(),
    };
    output(stdout, stderr, EXIT_LOOKUP_FAILED)
}

fn found_text(image: &RemoteImage, uses_http: bool) -> String {
    let mut out = format!("{}\n", image.reference());
    out.push_str(&format!("  digest     {}\n", image.digest));
    out.push_str(&format!("  pin        {}\n", image.pinned_reference()));
    out.push_str(&format!(
        "  type       {} ({})\n",
        kind_of(&image.media_type),
        image.media_type
    ));
    out.push_str(&format!("  tags       {}\n", tags_summary(image)));
    out.push_str(&format!(
        "  as of      {}{}\n",
        format_utc(image.fetched_at),
        if uses_http { ", over plain HTTP" } else { "" }
    ));
    out.push('\n');
    let header = ["PLATFORM", "COMPRESSED", "LAYERS", "DIGEST"];
    let rows: Vec<[String; 4]> = image
        .platforms
        .iter()
        .map(|p| {
            [
                p.name(),
                format::size(p.compressed_bytes),
                p.layers.to_string(),
                p.digest.clone(),
            ]
        })
        .collect();
    let mut widths = header.map(str::len);
    for row in &rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let line = |cells: [&str; 4]| {
        format!(
            "  {:<w0$}  {:>w1$}  {:>w2$}  {}\n",
            cells[0],
            cells[1],
            cells[2],
            cells[3],
            w0 = widths[0],
            w1 = widths[1],
            w2 = widths[2]
        )
    };
    out.push_str(&line(header));
    for row in &rows {
        out.push_str(&line([&row[0], &row[1], &row[2], &row[3]]));
    }
    out.push_str("\nCompressed = layers + config, as pulled (1 MB = 1024² bytes).\n");
    out
}

fn tags_summary(image: &RemoteImage) -> String {
    let Some(tags) = &image.tags else {
        return "the registry did not list them".to_string();
    };
    let count = format!(
        "{}{} in the repository",
        tags.len(),
        if image.tags_truncated { "+" } else { "" }
    );
    if tags.is_empty() {
        return count;
    }
    let shown: Vec<&str> = tags.iter().take(TAGS_SHOWN).map(String::as_str).collect();
    let more = if tags.len() > TAGS_SHOWN { ", ..." } else { "" };
    format!("{count}: {}{more}", shown.join(", "))
}

fn kind_of(media_type: &str) -> &'static str {
    match media_type {
        "application/vnd.oci.image.index.v1+json" => "OCI image index",
        "application/vnd.docker.distribution.manifest.list.v2+json" => "Docker manifest list",
        "application/vnd.oci.image.manifest.v1+json" => "OCI image manifest",
        "application/vnd.docker.distribution.manifest.v2+json" => "Docker image manifest",
        _ => "manifest",
    }
}

fn found_json(image: &RemoteImage, uses_http: bool) -> Value {
    let platforms: Vec<Value> = image
        .platforms
        .iter()
        .map(|p| {
            json!({
                "platform": p.name(),
                "os": p.os,
                "architecture": p.architecture,
                "variant": p.variant,
                "os_version": p.os_version,
                "digest": p.digest,
                "compressed_bytes": p.compressed_bytes,
                "compressed_mb": format::mib(p.compressed_bytes),
                "layers": p.layers,
            })
        })
        .collect();
    json!({
        "found": true,
        "reference": image.reference(),
        "registry": image.registry,
        "repository": image.repository,
        "tag": image.tag,
        "digest": image.digest,
        "pinned": image.pinned_reference(),
        "media_type": image.media_type,
        "platforms": platforms,
        "tags_count": image.tags.as_ref().map(Vec::len),
        "tags_truncated": image.tags_truncated,
        "tags": image.tags,
        "fetched_at": format_utc(image.fetched_at),
        "plain_http": uses_http,
    })
}

fn absent_json(absence: &RemoteAbsence) -> Value {
    json!({
        "found": false,
        "registry": absence.registry,
        "repository": absence.repository,
        "tag": absence.tag,
        "digest": absence.digest,
        "repository_exists": absence.repository_exists,
        "known_tags": absence.known_tags,
        "checked_at": format_utc(absence.checked_at),
        "message": absence.describe(),
    })
}

fn usage_error(message: &str) -> Output {
    output(
        String::new(),
        format!("dockside images inspect: {message}\n\n{USAGE}"),
        EXIT_USAGE,
    )
}

fn output(stdout: String, stderr: String, code: i32) -> Output {
    Output {
        stdout,
        stderr,
        code,
    }
}

fn pretty(value: &Value) -> String {
    let mut text = serde_json::to_string_pretty(value).unwrap_or_else(|_| value.to_string());
    text.push('\n');
    text
}
