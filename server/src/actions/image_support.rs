//! What the image actions share: the rules' view of the document (so actions reuse the
//! rules' helpers instead of re-deriving their facts), edits of a FROM image's tag, lines
//! inserted around instructions, and moving an app off a privileged port.

use super::ActionContext;
use crate::ide::TextEdit;
use crate::images::registry::RegistryLookup;
use crate::images::{format, Catalog, ImageMatch, ImageRef};
use crate::model::Model;
use crate::rules::dotnet::final_image::{listening_ports, PortSource};
use crate::rules::dotnet::privileged_port_as_non_root::unprivileged_alternative;
use crate::rules::dotnet::published::{final_image_instructions, StageImage as AppImage};
use crate::rules::image::support::{stage_images_of, StageImage};
use crate::rules::RuleContext;
use crate::syntax::{Args, Keyword, Word};
use crate::text::TextRange;

/// The registry answers cached for this analysis: present only when the user turned live
/// look-ups on (`dockside.registry.enabled`); never touches the network itself.
pub(crate) fn registry_of<'a>(ctx: &ActionContext<'a>) -> Option<&'a dyn RegistryLookup> {
    ctx.env.registry.as_deref()
}

/// The image of every stage built from an image, looked up in the catalog.
pub(crate) fn from_images<'a>(ctx: &ActionContext<'a>) -> Vec<StageImage<'a>> {
    let analysis = ctx.analysis;
    stage_images_of(&analysis.text, &analysis.tree, &analysis.model)
}

/// The source range of the image word when the reference was written literally (no
/// variables, no quotes), so its parts can be edited in place.
fn literal_word(text: &str, word: &Word, reference: &ImageRef) -> Option<TextRange> {
    (reference.written().is_none()
        && reference.text() == word.text
        && text.get(word.range.as_range()) == Some(word.text.as_str()))
    .then_some(word.range)
}

/// Replaces the tag of a literally written image (or adds `:tag` when it has none);
/// `None` for references built from variables.
pub(crate) fn retag(text: &str, image: &StageImage<'_>, new_tag: &str) -> Option<TextEdit> {
    retag_reference(text, image.word, &image.reference, new_tag)
}

pub(crate) fn retag_reference(
    text: &str,
    word: &Word,
    reference: &ImageRef,
    new_tag: &str,
) -> Option<TextEdit> {
    let word_range = literal_word(text, word, reference)?;
    let start = word_range.start();
    match reference.tag_range() {
        Some(tag) if !tag.is_empty() => Some(TextEdit::replace(
            TextRange::new(start + tag.start(), start + tag.end()),
            new_tag,
        )),
        _ => {
            let name_end = start + reference.repository_range().end();
            Some(TextEdit::insert(name_end, format!(":{new_tag}")))
        }
    }
}

/// The same for the image a stage runs on, as the .NET rules see it.
pub(crate) fn retag_app_image(text: &str, image: &AppImage, new_tag: &str) -> Option<TextEdit> {
    retag_reference(text, &image.word, &image.reference, new_tag)
}

/// Replaces the repository path of a literally written image (`dotnet/aspnet` ->
/// `dotnet/runtime-deps`), keeping the registry as written.
pub(crate) fn rename_repository(
    text: &str,
    word: &Word,
    reference: &ImageRef,
    new_repository: &str,
) -> Option<TextEdit> {
    let start = literal_word(text, word, reference)?.start();
    let range = reference.repository_range();
    Some(TextEdit::replace(
        TextRange::new(start + range.start(), start + range.end()),
        new_repository,
    ))
}

/// The digest the registry reported for `reference`, when live look-ups answered before.
pub(crate) fn cached_digest(
    registry: Option<&dyn RegistryLookup>,
    reference: &str,
) -> Option<String> {
    let lookup = registry?.cached(&ImageRef::parse(reference))?;
    lookup.found().map(|image| image.digest.clone())
}

/// "aspnet:10.0-noble-chiseled": the short name a title shows for a catalog image.
pub(crate) fn short_image(reference: &ImageRef, tag: &str) -> String {
    let catalog = Catalog::embedded();
    let name = match catalog.lookup(reference) {
        ImageMatch::Known(known) => known.repo.short_name().to_string(),
        _ => reference
            .repository()
            .rsplit('/')
            .next()
            .unwrap_or(reference.repository())
            .to_string(),
    };
    format!("{name}:{tag}")
}

/// "-40 MB" or "+12 MB": the change of compressed size, rounded like an inlay hint.
pub(crate) fn size_change(from: u64, to: u64) -> String {
    if to <= from {
        format::saving(from - to)
    } else {
        format::saving(to - from).replacen('-', "+", 1)
    }
}

/// The offset where line `offset` is on starts.
pub(crate) fn line_start(text: &str, offset: usize) -> usize {
    text.get(..offset)
        .and_then(|before| before.rfind('\n'))
        .map_or(0, |at| at + 1)
}

/// Inserts `lines` on their own lines before instruction `index`, above the comment lines
/// directly on top of it (a comment describes the instruction below it).
pub(crate) fn insert_before(
    ctx: &ActionContext,
    index: usize,
    lines: &[String],
) -> Option<TextEdit> {
    let text = ctx.text();
    let inst = ctx.analysis.tree.instructions.get(index)?;
    let mut at = line_start(text, inst.range.start());
    while at > 0 {
        let previous = line_start(text, at - 1);
        let line = text.get(previous..at)?.trim();
        if !line.starts_with('#') || is_directive_area(ctx, previous) {
            break;
        }
        at = previous;
    }
    let lb = ctx.line_break();
    let new_text: String = lines.iter().map(|l| format!("{l}{lb}")).collect();
    Some(TextEdit::insert(at, new_text))
}

/// Comments before the first instruction may be parser directives: never move above them.
fn is_directive_area(ctx: &ActionContext, offset: usize) -> bool {
    ctx.analysis
        .tree
        .instructions
        .first()
        .is_none_or(|first| offset < first.range.start())
}

/// Inserts `lines` on their own lines after instruction `index`.
pub(crate) fn insert_after(
    ctx: &ActionContext,
    index: usize,
    lines: &[String],
) -> Option<TextEdit> {
    let text = ctx.text();
    let inst = ctx.analysis.tree.instructions.get(index)?;
    // Lines after a heredoc that runs to the end of the file would become its body.
    if inst.heredocs.iter().any(|h| h.terminator_range.is_none()) {
        return None;
    }
    let lb = ctx.line_break();
    let end = inst.range.end();
    let rest = text.get(end..)?;
    let newline = rest.find('\n');
    Some(match newline {
        Some(at) => TextEdit::insert(
            end + at + 1,
            lines.iter().map(|l| format!("{l}{lb}")).collect::<String>(),
        ),
        None => TextEdit::insert(
            text.len(),
            lines.iter().map(|l| format!("{lb}{l}")).collect::<String>(),
        ),
    })
}

/// What moving the app off ports below 1024 changes.
#[derive(Debug, Default)]
pub(crate) struct PortMove {
    /// Rewritten ENV values and EXPOSE words.
    pub edits: Vec<TextEdit>,
    /// An ENV line to add, when the port comes from the image's own setting.
    pub new_env: Option<String>,
    /// Old and new port, in the order the app listens on them.
    pub moved: Vec<(u16, u16)>,
}

impl PortMove {
    /// "port 80 to 8080", "ports 80 and 443 to 8080 and 8443".
    pub fn describe(&self) -> String {
        let join = |ports: Vec<String>| ports.join(" and ");
        let from = join(self.moved.iter().map(|(p, _)| p.to_string()).collect());
        let to = join(self.moved.iter().map(|(_, p)| p.to_string()).collect());
        let plural = if self.moved.len() > 1 { "s" } else { "" };
        format!("port{plural} {from} to {to}")
    }
}

/// Moves every port below 1024 the app of the final image listens on to 8080 (8443 for
/// 443): the ENV that sets it, or a new ENV over the image's setting, and the EXPOSEs of
/// those ports. `Some` with nothing moved when the app listens on unprivileged ports only;
/// `None` when a port cannot be rewritten (variables in the value).
pub(crate) fn move_privileged_ports(
    rctx: &RuleContext,
    final_stage: usize,
    image: Option<&AppImage>,
) -> Option<PortMove> {
    let mut result = PortMove::default();
    let Some(listening) = listening_ports(rctx, final_stage, image) else {
        return Some(result);
    };
    let mut rewritten: Vec<TextRange> = Vec::new();
    for port in listening.iter().filter(|p| p.port < 1024) {
        let new_port = unprivileged_alternative(port.port);
        if !result.moved.contains(&(port.port, new_port)) {
            result.moved.push((port.port, new_port));
        }
        match &port.source {
            PortSource::Env {
                name, value_range, ..
            } => {
                if rewritten.contains(value_range) {
                    continue;
                }
                rewritten.push(*value_range);
                let raw = rctx.text.get(value_range.as_range())?;
                let new_value = rewrite_port_value(name, raw, unprivileged)?;
                result
                    .edits
                    .push(TextEdit::replace(*value_range, new_value));
            }
            PortSource::Image { .. } => {
                result.new_env = Some(format!("ENV ASPNETCORE_URLS=http://+:{new_port}"));
            }
        }
    }
    let exposes = expose_edits(rctx, final_stage, &result.moved);
    result.edits.extend(exposes);
    Some(result)
}

/// The port a non-root app can use instead of `port`: itself when it is 1024 or above.
pub(crate) fn unprivileged(port: u16) -> u16 {
    if port < 1024 {
        unprivileged_alternative(port)
    } else {
        port
    }
}

/// Rewrites the ports of an ENV value written as `raw` (quotes kept): URL syntax for the
/// `*_URLS` variables, port lists for the others.
pub(crate) fn rewrite_port_value(
    name: &str,
    raw: &str,
    map: impl Fn(u16) -> u16,
) -> Option<String> {
    if raw.contains('$') {
        return None;
    }
    let urls = name.ends_with("_URLS");
    rewrite_quoted(raw, |inner| {
        if urls {
            rewrite_url_ports(inner, &map)
        } else {
            rewrite_list_ports(inner, &map)
        }
    })
}

/// Rewrites the EXPOSEd TCP ports of the final image that `moved` maps to another port.
pub(crate) fn expose_edits(
    rctx: &RuleContext,
    final_stage: usize,
    moved: &[(u16, u16)],
) -> Vec<TextEdit> {
    let mut edits = Vec::new();
    for (_, idx) in final_image_instructions(rctx.model, final_stage) {
        let Some(inst) = rctx.tree.instructions.get(idx) else {
            continue;
        };
        if inst.keyword != Keyword::Expose {
            continue;
        }
        let Args::Words(words) = &inst.args else {
            continue;
        };
        for word in words {
            let Some((port, suffix)) = literal_tcp_port(rctx.text, word) else {
                continue;
            };
            if let Some((_, new_port)) = moved.iter().find(|(old, _)| *old == port) {
                edits.push(TextEdit::replace(word.range, format!("{new_port}{suffix}")));
            }
        }
    }
    edits
}

/// The port of a literally written TCP EXPOSE word and its protocol suffix (`/tcp` or "").
pub(crate) fn literal_tcp_port<'w>(text: &str, word: &'w Word) -> Option<(u16, &'w str)> {
    if text.get(word.range.as_range()) != Some(word.text.as_str()) {
        return None;
    }
    let (port, suffix) = match word.text.find('/') {
        Some(at) => word.text.split_at(at),
        None => (word.text.as_str(), ""),
    };
    if !suffix.is_empty() && !suffix.eq_ignore_ascii_case("/tcp") {
        return None;
    }
    Some((port.parse().ok()?, suffix))
}

/// Applies `rewrite` inside matching quotes, keeping them.
fn rewrite_quoted(raw: &str, rewrite: impl Fn(&str) -> Option<String>) -> Option<String> {
    for quote in ['"', '\''] {
        if raw.len() >= 2 && raw.starts_with(quote) && raw.ends_with(quote) {
            let inner = raw.get(1..raw.len() - 1)?;
            return Some(format!("{quote}{}{quote}", rewrite(inner)?));
        }
    }
    rewrite(raw)
}

/// `80;8081` -> `8080;8081` with [`unprivileged`] as `map`.
pub(crate) fn rewrite_list_ports(value: &str, map: impl Fn(u16) -> u16) -> Option<String> {
    let mut out = String::new();
    let mut digits = String::new();
    let flush = |digits: &mut String, out: &mut String| -> Option<()> {
        if !digits.is_empty() {
            let port: u16 = digits.parse().ok()?;
            out.push_str(&map(port).to_string());
            digits.clear();
        }
        Some(())
    };
    for c in value.chars() {
        if c.is_ascii_digit() {
            digits.push(c);
        } else {
            flush(&mut digits, &mut out)?;
            out.push(c);
        }
    }
    flush(&mut digits, &mut out)?;
    Some(out)
}

/// `http://+:80;https://+` -> `http://+:8080;https://+:8443` with [`unprivileged`] as `map`.
pub(crate) fn rewrite_url_ports(value: &str, map: impl Fn(u16) -> u16) -> Option<String> {
    let mut urls = Vec::new();
    for url in value.split(';') {
        let trimmed = url.trim();
        if trimmed.is_empty() {
            urls.push(url.to_string());
            continue;
        }
        let (scheme, rest) = trimmed.split_once("://")?;
        let authority_len = rest.find('/').unwrap_or(rest.len());
        let (authority, path) = rest.split_at(authority_len);
        let host_end = if authority.starts_with('[') {
            authority.find(']')? + 1
        } else {
            authority.rfind(':').unwrap_or(authority.len())
        };
        let (host, port_part) = authority.split_at(host_end);
        let port: u16 = match port_part.strip_prefix(':') {
            Some(p) => p.parse().ok()?,
            None if scheme.eq_ignore_ascii_case("https") => 443,
            None => 80,
        };
        urls.push(format!("{scheme}://{host}:{}{path}", map(port)));
    }
    Some(urls.join(";"))
}

/// Whether `stage` of `model` is the final stage or one the final stage is built on.
pub(crate) fn in_final_image(model: &Model, stage: usize) -> bool {
    model.final_stage().is_some_and(|last| {
        crate::rules::hadolint::runs::ancestry(model, last.index).contains(&stage)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn port_rewrites() {
        assert_eq!(
            rewrite_list_ports("80;8081", unprivileged).as_deref(),
            Some("8080;8081")
        );
        assert_eq!(
            rewrite_list_ports("443", unprivileged).as_deref(),
            Some("8443")
        );
        assert_eq!(
            rewrite_url_ports("http://+:80;https://*", unprivileged).as_deref(),
            Some("http://+:8080;https://*:8443")
        );
        assert_eq!(
            rewrite_url_ports("http://[::]:80/base", unprivileged).as_deref(),
            Some("http://[::]:8080/base")
        );
        assert_eq!(rewrite_url_ports("+:80", unprivileged), None);
        assert_eq!(
            rewrite_port_value("HTTP_PORTS", "\"80\"", unprivileged).as_deref(),
            Some("\"8080\"")
        );
        assert_eq!(
            rewrite_port_value("ASPNETCORE_URLS", "http://+:$PORT", unprivileged),
            None
        );
        assert_eq!(size_change(100 << 20, 60 << 20), "-40 MB");
        assert_eq!(size_change(60 << 20, 72 << 20), "+12 MB");
    }
}

#[cfg(test)]
mod invariants {
    use crate::actions::test_support::{extract_cursor, offered};
    use crate::ide::apply_edits;
    use crate::rules::test_support::test_env;

    const ACTIONS: [&str; 6] = [
        "AddNonRootUser",
        "PinImageTag",
        "SwitchBaseImage",
        "AlignImagesWithTargetFramework",
        "AlignListeningPort",
        "EnableCrossPlatformBuild",
    ];

    /// A fenced `dockerfile` block after `heading` in an action's documentation.
    fn example(docs: &str, heading: &str) -> String {
        let docs: String = docs
            .lines()
            .map(|line| format!("{}\n", line.strip_prefix(' ').unwrap_or(line)))
            .collect();
        let after = docs.split(heading).nth(1).expect("the heading");
        let body = after.split("```dockerfile\n").nth(1).expect("a code block");
        body.split("```")
            .next()
            .expect("a closed code block")
            .to_string()
    }

    /// The Before of each action's documentation becomes its After (the examples that need
    /// no solution).
    #[test]
    fn documented_examples_are_what_the_actions_do() {
        for name in ACTIONS {
            if name == "AlignImagesWithTargetFramework" {
                continue;
            }
            let meta = crate::actions::find_action(name)
                .expect("registered")
                .meta();
            let before = example(meta.docs, "## Before");
            let after = example(meta.docs, "## After");
            let (text, range) = extract_cursor(&before);
            let results: Vec<String> = offered(&test_env(), name, &text, range)
                .iter()
                .map(|a| apply_edits(&text, &a.edits))
                .collect();
            assert!(
                results.contains(&after),
                "{name}: the documented After is not among {results:#?}"
            );
        }
    }
}
