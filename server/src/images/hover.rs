//! Hover markdown for the image of a `FROM` line: compact, scannable, and never more than the
//! catalog knows.

use std::fmt::Write;

use super::catalog::{Arch, Catalog, Image, REGISTRY};
use super::facts::{describe_os_variant, RepoKind};
use super::format;
use super::lookup::{DeprecatedImage, ImageMatch, KnownImage, RetiredImage, TagKind, UnknownTag};
use super::reference::ImageRef;

/// Hover markdown for an image reference, from the embedded catalog. `today` is `YYYY-MM-DD`;
/// `arch` is the platform that applies (`--platform`, settings), amd64 when `None`.
pub fn image_hover_markdown(reference: &ImageRef, today: &str, arch: Option<&str>) -> String {
    image_hover_markdown_with(Catalog::embedded(), reference, today, arch)
}

/// [`image_hover_markdown`] against a given catalog.
pub fn image_hover_markdown_with(
    catalog: &Catalog,
    reference: &ImageRef,
    today: &str,
    arch: Option<&str>,
) -> String {
    let out = match catalog.lookup(reference) {
        ImageMatch::Scratch => "`scratch`: the reserved empty image. No files, no shell, no libc, no package manager.\n".to_string(),
        ImageMatch::Known(known) => known_hover(catalog, reference, &known, today, arch),
        ImageMatch::UnknownTag(unknown) => with_written_form(unknown_tag_hover(catalog, reference, &unknown), reference),
        ImageMatch::Retired(retired) => with_written_form(retired_hover(catalog, &retired, today), reference),
        ImageMatch::Deprecated(deprecated) => with_written_form(deprecated_hover(&deprecated, today), reference),
        ImageMatch::NightlyUnlisted { repo, tag } => format!(
            "**{}** (nightly) `{}`\n\nTag `{tag}` is not among the released tags; nightly tags change daily and are not checked offline. Nightly images are previews, not for production.\n",
            repo.kind.title(),
            reference.full_name(),
        ),
        ImageMatch::DigestOnly { repo, .. } => format!(
            "**{}** `{}`\n\nPinned by digest `{}`; the catalog has no digests, so the image behind it is unknown.\n",
            repo.kind.title(),
            reference.full_name(),
            short_digest(reference.digest().unwrap_or_default()),
        ),
        ImageMatch::Unresolved { repo, .. } => {
            let what = match repo {
                Some(repo) => format!("Which {} image this is depends on a variable without a value here.", repo.kind.title()),
                None => "The image depends on a variable without a value here; nothing is known about it.".to_string(),
            };
            format!("`{}`\n\n{what}\n", display_text(reference))
        }
        ImageMatch::Invalid => {
            let problems: Vec<&str> = reference.problems().iter().map(|problem| problem.message()).collect();
            format!("`{}`\n\nNot a valid image reference: {}.\n", reference.text(), problems.join("; "))
        }
        ImageMatch::Other { microsoft } => with_written_form(other_hover(reference, microsoft), reference),
    };
    out
}

/// Adds where a variable-built reference came from.
fn with_written_form(mut hover: String, reference: &ImageRef) -> String {
    if let Some(written) = reference.written() {
        let _ = write!(hover, "\nResolved from `{written}`.\n");
    }
    hover
}

fn display_text(reference: &ImageRef) -> &str {
    reference.written().unwrap_or(reference.text())
}

fn known_hover(
    catalog: &Catalog,
    reference: &ImageRef,
    known: &KnownImage<'_>,
    today: &str,
    arch: Option<&str>,
) -> String {
    let image = known.image;
    let mut out = String::new();
    let version = match &known.tag_kind {
        TagKind::FixedOtherVersion { version } => version.as_str(),
        _ => image.product_version,
    };
    let libc = image
        .libc
        .map(|libc| format!(", {}", libc.name()))
        .unwrap_or_default();
    let nightly = if known.nightly { " (nightly)" } else { "" };
    let _ = writeln!(
        out,
        "**{}**{nightly} on {}{libc}\n",
        known.repo.kind.product_title(version),
        image.os_name()
    );

    let _ = writeln!(out, "{}", tag_line(known));
    if let Some(written) = reference.written() {
        let _ = writeln!(out, "Resolved from `{written}`.");
    }
    out.push('\n');
    if known.nightly {
        out.push_str("Nightly build: a preview, not for production; sizes are those of the released image.\n\n");
    }

    let requested = known.effective_arch(arch);
    let _ = writeln!(out, "- Size: {}", size_text(image, requested));
    let shell = image.shell.unwrap_or("none (exec form only)");
    let _ = writeln!(
        out,
        "- Shell: {shell} · package manager: {}",
        image.package_manager.name()
    );
    let _ = writeln!(out, "- User: {}", user_text(image));
    let ports = image.ports();
    match ports.as_slice() {
        [] => {}
        [port] => {
            let _ = writeln!(out, "- Port: {port}");
        }
        many => {
            let list: Vec<String> = many.iter().map(u16::to_string).collect();
            let _ = writeln!(out, "- Ports: {}", list.join(", "));
        }
    }
    if let (Some(icu), Some(tzdata)) = (image.icu, image.tzdata) {
        let invariant = if image.globalization_invariant == Some(true) {
            " (globalization-invariant mode)"
        } else {
            ""
        };
        let _ = writeln!(
            out,
            "- ICU: {}{invariant} · tzdata: {}",
            yes_no(icu),
            yes_no(tzdata)
        );
    }
    if let Some(entrypoint) = image.entrypoint {
        match image.cmd {
            Some(cmd) => {
                let _ = writeln!(out, "- Entrypoint: `{entrypoint}` · CMD `{cmd}`");
            }
            None => {
                let _ = writeln!(out, "- Entrypoint: `{entrypoint}`");
            }
        }
    }
    match image
        .dotnet_version
        .and_then(|version| catalog.lifecycle(version))
    {
        Some(lifecycle) => {
            let _ = writeln!(out, "- Support: {}", lifecycle.status_line(today));
        }
        None => {
            if let Some(runtime) = image.runtime_version {
                let _ = writeln!(out, "- Runs on .NET {runtime}");
            }
        }
    }

    let alternatives = catalog.alternatives(image, requested, known.tag_kind == TagKind::Fixed);
    if !alternatives.is_empty() {
        let _ = writeln!(out, "\nSmaller alternatives ({}):", requested.name());
        for alternative in &alternatives {
            let _ = writeln!(out, "- {}", alternative.describe());
        }
    }
    let _ = write!(
        out,
        "\n_Sizes as of {}: compressed download, 1 MB = 1024² bytes._\n",
        catalog.snapshot
    );
    out
}

fn tag_line(known: &KnownImage<'_>) -> String {
    let image = known.image;
    let tag = &known.tag;
    let mut line = match &known.tag_kind {
        TagKind::ImplicitLatest => "No tag: pulls `latest`, which moves to each new version.".to_string(),
        TagKind::Latest => "Tag `latest` moves to each new version.".to_string(),
        TagKind::Floating => format!("Tag `{tag}` follows each {} patch.", image.channel),
        TagKind::Major => format!("Tag `{tag}` follows each new release of the major version."),
        TagKind::Fixed => format!("Tag `{tag}` is a fixed version."),
        TagKind::FixedOtherVersion { version } => format!(
            "Tag `{tag}` is a fixed version; facts and sizes are those of {} ({version} is not the catalog's version).",
            image.product_version
        ),
    };
    if image.is_windows() {
        line.push_str(" Single-platform: windows/amd64.");
    } else if let Some(arch) = known.arch {
        let _ = write!(line, " Single-platform: {}.", arch.name());
    } else {
        let platforms: Vec<&str> = image.architectures().map(Arch::name).collect();
        let _ = write!(line, " Platforms: {}.", platforms.join(", "));
    }
    if known.digest.is_some() {
        line.push_str(" Pinned by digest.");
    }
    if known.undocumented {
        let _ = write!(
            line,
            " Undocumented alias; the documented tag is `{}`.",
            image.primary_tag()
        );
    }
    line
}

fn size_text(image: &Image, requested: Arch) -> String {
    let mut shown: Vec<Arch> = vec![Arch::Amd64, Arch::Arm64v8];
    if !shown.contains(&requested) {
        shown.push(requested);
    }
    let compressed: Vec<String> = shown
        .iter()
        .filter_map(|arch| {
            image
                .size(*arch)
                .map(|size| format!("{} {}", format::size(size.compressed_bytes), arch.name()))
        })
        .collect();
    let mut text = format!("{} compressed", compressed.join(", "));
    if image.is_windows() {
        text.push_str(", including the shared Windows base layers");
    }
    let on_disk: Vec<(String, &str)> = shown
        .iter()
        .filter_map(|arch| {
            let size = image.size(*arch)?;
            let bytes = size.uncompressed_bytes?;
            Some((
                format!("{} {}", format::approximate_size(bytes), arch.name()),
                size.uncompressed_as_of
                    .map(|date| date.get(..7).unwrap_or(date))
                    .unwrap_or("?"),
            ))
        })
        .collect();
    if !on_disk.is_empty() {
        let sizes: Vec<&str> = on_disk.iter().map(|(size, _)| size.as_str()).collect();
        let mut months: Vec<&str> = on_disk.iter().map(|(_, month)| *month).collect();
        months.sort_unstable();
        months.dedup();
        let measured = match months.as_slice() {
            [only] => only.to_string(),
            [first, .., last] => format!("{first} to {last}"),
            [] => String::new(),
        };
        let _ = write!(
            text,
            "; on disk {} (measured {measured}, ±5 %)",
            sizes.join(", ")
        );
    }
    if image.size(requested).is_none() {
        let _ = write!(text, " (no {} image)", requested.name());
    }
    if let Some(measured_on) = image.sizes.iter().find_map(|size| size.measured_on_version) {
        let _ = write!(text, " (measured on {measured_on})");
    }
    text
}

fn user_text(image: &Image) -> String {
    match image.default_user {
        "root" if image.has_app_user() => {
            "root; non-root `app` (UID 1654) available via `USER $APP_UID`".to_string()
        }
        "root" => "root".to_string(),
        "ContainerUser" => "ContainerUser (non-root)".to_string(),
        "ContainerAdministrator" => "ContainerAdministrator (administrator)".to_string(),
        _ if image.is_non_root_by_default() && image.has_app_user() => {
            "non-root `app` (UID 1654, `$APP_UID`)".to_string()
        }
        other => other.to_string(),
    }
}

fn yes_no(value: bool) -> &'static str {
    if value {
        "yes"
    } else {
        "no"
    }
}

fn unknown_tag_hover(catalog: &Catalog, reference: &ImageRef, unknown: &UnknownTag<'_>) -> String {
    let mut out = format!(
        "**{}** `{}`\n\nTag `{}` is not a published tag (catalog of {}).\n",
        unknown.repo.kind.title(),
        reference.full_name(),
        unknown.tag,
        catalog.snapshot
    );
    if let Some(note) = unknown.note {
        let _ = write!(out, "\n{note}\n");
    }
    if !unknown.suggestions.is_empty() {
        let list: Vec<String> = unknown
            .suggestions
            .iter()
            .map(|s| format!("`{s}`"))
            .collect();
        let _ = write!(out, "\nDid you mean {}?\n", list.join(", "));
    }
    out
}

fn retired_hover(catalog: &Catalog, retired: &RetiredImage<'_>, today: &str) -> String {
    let info = retired.variant.as_deref().and_then(describe_os_variant);
    let mut out = format!(
        "**{}**",
        retired
            .repo
            .kind
            .product_title(&retired.dotnet_version.to_string())
    );
    if let Some(info) = &info {
        let libc = info
            .libc()
            .map(|libc| format!(", {}", libc.name()))
            .unwrap_or_default();
        let _ = write!(out, " on {}{libc}", info.name);
    }
    if retired.nightly {
        out.push_str(" (nightly)");
    }
    let _ = write!(out, "\n\nTag `{}`: ", retired.tag);
    match (retired.removed, retired.retired_variant) {
        (Some(removed), _) => {
            let _ = write!(out, "{}.", removed.summary);
        }
        (None, Some(variant)) => {
            let _ = write!(
                out,
                "`{}` images for .NET {} were published {} to {} and are no longer updated.",
                variant.variant, variant.dotnet_version, variant.first_seen, variant.last_seen
            );
        }
        (None, None) => {
            let _ = write!(
                out,
                "{} images are no longer published or updated.",
                retired.dotnet_version.product_name()
            );
        }
    }
    out.push_str(" No sizes or contents are recorded for retired images.\n\n");
    if let Some(lifecycle) = retired.lifecycle {
        let _ = writeln!(out, "- Support: {}", lifecycle.status_line(today));
    }
    if let Some(replacement) = &retired.replacement {
        let _ = writeln!(out, "- Use instead: `{replacement}`");
    }
    let _ = write!(out, "\n_Image catalog as of {}._\n", catalog.snapshot);
    out
}

fn deprecated_hover(deprecated: &DeprecatedImage<'_>, today: &str) -> String {
    let mut out = format!("**Deprecated repository** `{}`\n\n", deprecated.repository);
    let summary = deprecated.deprecation.summary;
    let mut chars = summary.chars();
    let capitalised: String = chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default();
    let _ = writeln!(out, "{capitalised}.\n");
    if deprecated.kind != RepoKind::Other {
        match deprecated.dotnet_version {
            Some(version) => {
                let _ = writeln!(
                    out,
                    "- Image: {}",
                    deprecated.kind.product_title(&version.to_string())
                );
            }
            None => {
                let _ = writeln!(out, "- Image: {}", deprecated.kind.title());
            }
        }
    }
    if let Some(lifecycle) = deprecated.lifecycle {
        let _ = writeln!(out, "- Support: {}", lifecycle.status_line(today));
    }
    let _ = writeln!(out, "- Use instead: `{}`", deprecated.replacement);
    out
}

fn other_hover(reference: &ImageRef, microsoft: bool) -> String {
    let registry = if reference.registry() == "docker.io" {
        "docker.io (Docker Hub)".to_string()
    } else {
        reference.registry().to_string()
    };
    let mut out = format!(
        "`{}`\n\n- Registry: {registry} · repository: {}",
        reference.canonical(),
        reference.repository()
    );
    match (reference.tag(), reference.digest()) {
        (Some(tag), _) => {
            let _ = write!(out, " · tag: {tag}");
        }
        (None, None) => out.push_str(" · no tag (pulls `latest`)"),
        (None, Some(_)) => {}
    }
    if let Some(digest) = reference.digest() {
        let _ = write!(out, " · digest: `{}`", short_digest(digest));
    }
    out.push('\n');
    if microsoft && reference.registry().eq_ignore_ascii_case(REGISTRY) {
        out.push_str("- A Microsoft image outside Dockside's .NET image catalog: no size or content facts are known.\n");
    } else {
        out.push_str("- Not a Microsoft .NET image: no size or content facts are known.\n");
    }
    out
}

/// `sha256:0123456789ab…`
fn short_digest(digest: &str) -> String {
    match digest.char_indices().nth(19) {
        Some((end, _)) => format!("{}…", &digest[..end]),
        None => digest.to_string(),
    }
}
