//! COPY/ADD source resolution against a build context: Go `filepath.Match` wildcards per path
//! component, `.dockerignore` exclusion with the deciding line, and a hard refusal to look at
//! anything outside the context: `..` above it is reported without a look, and symbolic
//! links are followed inside the context as BuildKit follows them (see [`super::confined`]).

use std::path::{Path, PathBuf};

use super::confined::{resolve_below_with, FsMemo, Policy::Scoped};
use super::dockerignore::{go_clean, Dockerignore, MatchedPattern};

/// A wildcard source stops collecting matches here (a `COPY **` in a huge context).
const MAX_MATCHES: usize = 10_000;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SourceMatch {
    /// Relative to the context root, `/`-separated; `""` is the context root itself.
    pub relative_path: String,
    pub is_dir: bool,
    /// The `.dockerignore` pattern that leaves this path out of the context.
    pub excluded_by: Option<MatchedPattern>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SourceOutcome {
    /// The path leaves the context (`../x`); nothing was read.
    OutsideContext,
    /// A URL or git source (ADD); not part of the context.
    Remote,
    /// Contains `$` variables the caller has not substituted.
    Unexpanded,
    /// A wildcard pattern Go's `filepath.Match` rejects.
    InvalidPattern(String),
    /// Nothing in the context matches.
    Missing,
    Found(Vec<SourceMatch>),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SourceResolution {
    /// The source as given.
    pub source: String,
    pub outcome: SourceOutcome,
    /// More matches existed than were collected.
    pub truncated: bool,
}

impl SourceResolution {
    /// Matches that the build will actually see (not excluded by .dockerignore).
    pub fn visible_matches(&self) -> impl Iterator<Item = &SourceMatch> {
        let matches: &[SourceMatch] = match &self.outcome {
            SourceOutcome::Found(matches) => matches,
            _ => &[],
        };
        matches.iter().filter(|m| m.excluded_by.is_none())
    }

    /// Something matched, but every match is excluded by .dockerignore.
    pub fn all_excluded(&self) -> bool {
        matches!(&self.outcome, SourceOutcome::Found(m) if !m.is_empty() && m.iter().all(|m| m.excluded_by.is_some()))
    }
}

/// Resolves each COPY/ADD source against `context_dir`.
pub fn resolve_sources(
    context_dir: &Path,
    sources: &[&str],
    dockerignore: Option<&Dockerignore>,
) -> Vec<SourceResolution> {
    let fs = FsMemo::default();
    sources
        .iter()
        .map(|source| resolve_source(context_dir, source, dockerignore, &fs))
        .collect()
}

/// What `source` (a COPY/ADD source as written, variables substituted) matches in the build
/// context `context_dir`, following links as BuildKit does; `fs` remembers what the disk said
/// for the rest of the analysis.
pub fn resolve_source(
    context_dir: &Path,
    source: &str,
    dockerignore: Option<&Dockerignore>,
    fs: &FsMemo,
) -> SourceResolution {
    let mut resolution = SourceResolution {
        source: source.to_string(),
        outcome: SourceOutcome::Missing,
        truncated: false,
    };
    let trimmed = source.trim();
    let lower = trimmed.to_ascii_lowercase();
    if lower.starts_with("http://") || lower.starts_with("https://") || lower.starts_with("git@") {
        resolution.outcome = SourceOutcome::Remote;
        return resolution;
    }
    if trimmed.contains('$') {
        resolution.outcome = SourceOutcome::Unexpanded;
        return resolution;
    }
    // Sources are relative to the context root even when written with a leading `/`.
    let cleaned = go_clean(trimmed.trim_start_matches('/'));
    if cleaned == ".." || cleaned.starts_with("../") {
        resolution.outcome = SourceOutcome::OutsideContext;
        return resolution;
    }
    let relative = if cleaned == "." {
        String::new()
    } else {
        cleaned
    };
    let components: Vec<&str> = if relative.is_empty() {
        Vec::new()
    } else {
        relative.split('/').collect()
    };
    let mut compiled = Vec::with_capacity(components.len());
    for component in &components {
        if has_wildcard(component) {
            match parse_component(component) {
                Ok(tokens) => compiled.push(Some(tokens)),
                Err(message) => {
                    resolution.outcome = SourceOutcome::InvalidPattern(message);
                    return resolution;
                }
            }
        } else {
            compiled.push(None);
        }
    }
    // Each candidate as (the path as written, where it is in the context with every symbolic
    // link followed the way BuildKit follows it: inside the context, whose root is `/`). Only
    // the second is ever looked at, so a link to `/etc` never makes us read `/etc`.
    let mut current: Vec<(String, PathBuf)> = vec![(String::new(), PathBuf::new())];
    for (component, tokens) in components.iter().zip(&compiled) {
        let mut next = Vec::new();
        for (base, physical) in &current {
            match tokens {
                None => {
                    let name = unescape(component);
                    let relative = physical.join(&name);
                    if let Ok(found) = resolve_below_with(context_dir, &relative, Scoped, fs) {
                        next.push((join_relative(base, &name), found));
                    }
                }
                Some(tokens) => {
                    let base_path = context_dir.join(physical);
                    // `physical` has no link in it: this lists a directory of the context.
                    if !fs.is_real_dir(&base_path) {
                        continue;
                    }
                    let Ok(entries) = std::fs::read_dir(&base_path) else {
                        continue;
                    };
                    let mut names: Vec<String> = entries
                        .filter_map(|e| e.ok())
                        .filter_map(|e| e.file_name().to_str().map(str::to_string))
                        .filter(|name| matches_component(tokens, name))
                        .collect();
                    names.sort();
                    for name in names {
                        if next.len() >= MAX_MATCHES {
                            resolution.truncated = true;
                            break;
                        }
                        let relative = physical.join(&name);
                        if let Ok(found) = resolve_below_with(context_dir, &relative, Scoped, fs) {
                            next.push((join_relative(base, &name), found));
                        }
                    }
                }
            }
        }
        current = next;
        if current.is_empty() {
            return resolution;
        }
    }
    let matches = current
        .into_iter()
        .map(|(written, physical)| {
            // Where a link was followed, the match is the file it leads to: that is what
            // the build copies, and what callers may safely open below the context.
            let relative_path = if physical.as_os_str().is_empty() {
                String::new()
            } else if Path::new(&written) == physical {
                written
            } else {
                physical.to_string_lossy().into_owned()
            };
            let is_dir = fs.is_real_dir(&context_dir.join(&physical));
            let excluded_by = if relative_path.is_empty() {
                None
            } else {
                dockerignore.and_then(|ignore| ignore.is_excluded(&relative_path))
            };
            SourceMatch {
                relative_path,
                is_dir,
                excluded_by,
            }
        })
        .collect();
    resolution.outcome = SourceOutcome::Found(matches);
    resolution
}

fn join_relative(base: &str, name: &str) -> String {
    if base.is_empty() {
        name.to_string()
    } else {
        format!("{base}/{name}")
    }
}

fn has_wildcard(component: &str) -> bool {
    component.contains(['*', '?', '['])
}

/// Removes Go pattern escapes from a component without wildcards (`a\b` -> `ab`).
fn unescape(component: &str) -> String {
    let mut out = String::with_capacity(component.len());
    let mut chars = component.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            if let Some(next) = chars.next() {
                out.push(next);
                continue;
            }
        }
        out.push(c);
    }
    out
}

#[derive(Clone, Debug, PartialEq)]
enum MatchToken {
    Star,
    AnyChar,
    Literal(char),
    Class {
        negated: bool,
        ranges: Vec<(char, char)>,
    },
}

/// Parses one path component of a Go `filepath.Match` pattern.
fn parse_component(pattern: &str) -> Result<Vec<MatchToken>, String> {
    let bad = || format!("syntax error in pattern \"{pattern}\"");
    let chars: Vec<char> = pattern.chars().collect();
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        match chars[i] {
            '*' => tokens.push(MatchToken::Star),
            '?' => tokens.push(MatchToken::AnyChar),
            '\\' => {
                i += 1;
                tokens.push(MatchToken::Literal(*chars.get(i).ok_or_else(bad)?));
            }
            '[' => {
                i += 1;
                let negated = chars.get(i) == Some(&'^');
                if negated {
                    i += 1;
                }
                let mut ranges = Vec::new();
                loop {
                    match chars.get(i) {
                        None => return Err(bad()),
                        Some(']') if !ranges.is_empty() => break,
                        Some(_) => {
                            let low = class_char(&chars, &mut i).ok_or_else(bad)?;
                            let high = if chars.get(i) == Some(&'-') {
                                i += 1;
                                class_char(&chars, &mut i).ok_or_else(bad)?
                            } else {
                                low
                            };
                            if high < low {
                                return Err(bad());
                            }
                            ranges.push((low, high));
                        }
                    }
                }
                tokens.push(MatchToken::Class { negated, ranges });
            }
            c => tokens.push(MatchToken::Literal(c)),
        }
        i += 1;
    }
    Ok(tokens)
}

/// One (possibly escaped) character of a class; `-` and `]` must be escaped, as in Go.
fn class_char(chars: &[char], i: &mut usize) -> Option<char> {
    let c = *chars.get(*i)?;
    let value = match c {
        '-' | ']' => return None,
        '\\' => {
            *i += 1;
            *chars.get(*i)?
        }
        other => other,
    };
    *i += 1;
    Some(value)
}

fn matches_one(token: &MatchToken, c: char) -> bool {
    match token {
        MatchToken::Star => true,
        MatchToken::AnyChar => c != '/',
        MatchToken::Literal(l) => *l == c,
        MatchToken::Class { negated, ranges } => {
            let inside = ranges.iter().any(|(low, high)| *low <= c && c <= *high);
            inside != *negated
        }
    }
}

/// Wildcard matching of a single name, with star backtracking (linear in practice).
fn matches_component(tokens: &[MatchToken], name: &str) -> bool {
    let name: Vec<char> = name.chars().collect();
    let (mut p, mut n) = (0usize, 0usize);
    let mut star: Option<(usize, usize)> = None;
    while n < name.len() {
        match tokens.get(p) {
            Some(MatchToken::Star) => {
                star = Some((p, n));
                p += 1;
            }
            Some(token) if matches_one(token, name[n]) => {
                p += 1;
                n += 1;
            }
            _ => match star {
                Some((star_p, star_n)) => {
                    p = star_p + 1;
                    n = star_n + 1;
                    star = Some((star_p, star_n + 1));
                }
                None => return false,
            },
        }
    }
    while tokens.get(p) == Some(&MatchToken::Star) {
        p += 1;
    }
    p == tokens.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn context() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        for (path, text) in [
            ("App.sln", ""),
            ("NuGet.config", "<configuration/>"),
            ("src/Api/Api.csproj", "<Project/>"),
            ("src/Api/Program.cs", ""),
            ("src/Api/appsettings.json", "{}"),
            ("src/Api/appsettings.Development.json", "{}"),
            ("src/Api/bin/Debug/Api.dll", ""),
            ("src/Domain/Domain.csproj", "<Project/>"),
            ("tests/Api.Tests/Api.Tests.csproj", "<Project/>"),
        ] {
            let full = root.join(path);
            std::fs::create_dir_all(full.parent().unwrap()).unwrap();
            std::fs::write(full, text).unwrap();
        }
        dir
    }

    fn found(resolution: &SourceResolution) -> Vec<(&str, bool, Option<usize>)> {
        match &resolution.outcome {
            SourceOutcome::Found(matches) => matches
                .iter()
                .map(|m| {
                    (
                        m.relative_path.as_str(),
                        m.is_dir,
                        m.excluded_by.as_ref().map(|e| e.line),
                    )
                })
                .collect(),
            other => panic!("{} did not resolve: {other:?}", resolution.source),
        }
    }

    #[test]
    fn literal_and_wildcard_sources() {
        let dir = context();
        let ignore = Dockerignore::parse("**/bin\n**/appsettings.Development.json\n");
        let results = resolve_sources(
            dir.path(),
            &[
                "src/Api/Api.csproj",
                "/NuGet.config",
                "./src/*/*.csproj",
                "src/Api/appsettings*.json",
                "src",
                ".",
                "*/*/bin",
                "src/Api/bin/Debug/Api.dll",
            ],
            Some(&ignore),
        );
        assert_eq!(found(&results[0]), [("src/Api/Api.csproj", false, None)]);
        assert_eq!(found(&results[1]), [("NuGet.config", false, None)]);
        assert_eq!(
            found(&results[2]),
            [
                ("src/Api/Api.csproj", false, None),
                ("src/Domain/Domain.csproj", false, None)
            ]
        );
        assert_eq!(
            found(&results[3]),
            [
                ("src/Api/appsettings.Development.json", false, Some(2)),
                ("src/Api/appsettings.json", false, None)
            ]
        );
        assert_eq!(found(&results[4]), [("src", true, None)]);
        assert_eq!(found(&results[5]), [("", true, None)]);
        assert_eq!(found(&results[6]), [("src/Api/bin", true, Some(1))]);
        assert!(results[6].all_excluded());
        assert!(results[7].all_excluded());
        assert_eq!(results[3].visible_matches().count(), 1);
    }

    #[test]
    fn missing_outside_remote_and_unexpanded() {
        let dir = context();
        let results = resolve_sources(
            dir.path(),
            &[
                "src/Shared/Shared.csproj",
                "src/*/*.fsproj",
                "../../etc/passwd",
                "src/../../secret",
                "https://example.com/a.tgz",
                "$APP/x",
                "src/[a-",
            ],
            None,
        );
        let outcomes: Vec<&SourceOutcome> = results.iter().map(|r| &r.outcome).collect();
        assert_eq!(outcomes[0], &SourceOutcome::Missing);
        assert_eq!(outcomes[1], &SourceOutcome::Missing);
        assert_eq!(outcomes[2], &SourceOutcome::OutsideContext);
        assert_eq!(outcomes[3], &SourceOutcome::OutsideContext);
        assert_eq!(outcomes[4], &SourceOutcome::Remote);
        assert_eq!(outcomes[5], &SourceOutcome::Unexpanded);
        assert_eq!(
            outcomes[6],
            &SourceOutcome::InvalidPattern("syntax error in pattern \"[a-\"".to_string())
        );
    }

    #[cfg(unix)]
    #[test]
    fn symbolic_links_are_followed_inside_the_context_only() {
        use std::os::unix::fs::symlink;
        let dir = tempfile::tempdir().unwrap();
        let ctx = dir.path().join("ctx");
        std::fs::create_dir_all(ctx.join("src/Api")).unwrap();
        std::fs::create_dir_all(dir.path().join("outside")).unwrap();
        std::fs::write(ctx.join("src/Api/Api.csproj"), "<Project/>").unwrap();
        std::fs::write(dir.path().join("outside/secret.txt"), "secret").unwrap();
        symlink("src", ctx.join("shared")).unwrap();
        symlink("/etc", ctx.join("link-to-etc")).unwrap();
        symlink("/etc/passwd", ctx.join("passwd-link")).unwrap();
        symlink("../outside", ctx.join("up")).unwrap();
        let ignore = Dockerignore::parse("src/Api/Api.csproj\n");
        let results = resolve_sources(
            &ctx,
            &[
                "shared/Api/Api.csproj",
                "shared/*/*.csproj",
                "link-to-etc/passwd",
                "link-to-etc/ssl/*",
                "passwd-link",
                "up/secret.txt",
                "up/*",
            ],
            Some(&ignore),
        );
        // Reached through a link, a match is the file the link leads to, and .dockerignore
        // applies to that file.
        assert_eq!(found(&results[0]), [("src/Api/Api.csproj", false, Some(1))]);
        assert_eq!(found(&results[1]), [("src/Api/Api.csproj", false, Some(1))]);
        // As in BuildKit, `/etc` is the context's own `etc` and `..` stops at its root: none
        // of these exist, and nothing outside the context was looked at to find that out.
        for result in &results[2..] {
            assert_eq!(result.outcome, SourceOutcome::Missing, "{}", result.source);
        }
    }

    #[test]
    fn go_match_semantics() {
        let cases = [
            ("*.csproj", "Api.csproj", true),
            ("*.csproj", ".csproj", true),
            ("A?i.csproj", "Api.csproj", true),
            ("[A-C]pi.csproj", "Api.csproj", true),
            ("[^A-C]pi.csproj", "Api.csproj", false),
            ("[!A-C]pi.csproj", "!pi.csproj", true),
            ("*Tests*", "Api.Tests.csproj", true),
            ("a*b*c", "aXbYc", true),
            ("a*b*c", "aXbY", false),
            ("\\*", "*", true),
        ];
        for (pattern, name, expected) in cases {
            let tokens = parse_component(pattern).unwrap();
            assert_eq!(
                matches_component(&tokens, name),
                expected,
                "{pattern} {name}"
            );
        }
        assert!(parse_component("[]a]").is_err());
        assert!(parse_component("a\\").is_err());
    }
}
