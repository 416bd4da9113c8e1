//! Image references (`[registry/]repository[:tag][@digest]`) split the way Docker splits them.
//!
//! The grammar and normalisation follow `github.com/distribution/reference` (`ParseNormalizedNamed`):
//! the first path component is a registry only when it contains `.` or `:`, is `localhost`, or has an
//! upper-case letter; otherwise the registry is `docker.io`, and a single-component Docker Hub name
//! gets the `library/` prefix (`ubuntu` -> `docker.io/library/ubuntu`). `index.docker.io` is `docker.io`.
//!
//! Parsing never fails: problems are collected in [`ImageRef::problems`], and parts that still contain
//! a variable reference (`$NAME`, `${NAME}`) are marked unresolved instead of being validated.

use crate::text::TextRange;

pub const DOCKER_HUB: &str = "docker.io";
const LEGACY_DOCKER_HUB: &str = "index.docker.io";
const OFFICIAL_PREFIX: &str = "library/";
const MAX_TAG_LEN: usize = 128;

/// A parsed image reference. Ranges are byte ranges into [`ImageRef::text`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImageRef {
    text: String,
    written: Option<String>,
    registry: String,
    repository: String,
    tag: Option<String>,
    digest: Option<String>,
    registry_range: Option<TextRange>,
    repository_range: TextRange,
    tag_range: Option<TextRange>,
    digest_range: Option<TextRange>,
    unresolved: Unresolved,
    problems: Vec<RefProblem>,
}

/// Which parts of the reference still depend on a variable without a value.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Unresolved {
    /// The caller said something stayed unresolved, without saying where.
    pub somewhere: bool,
    pub registry: bool,
    pub repository: bool,
    pub tag: bool,
    pub digest: bool,
}

impl Unresolved {
    pub fn any(self) -> bool {
        self.somewhere || self.registry || self.repository || self.tag || self.digest
    }
    /// True when the registry or repository (the image's identity) is not known.
    pub fn name(self) -> bool {
        self.somewhere || self.registry || self.repository
    }
}

/// Something Docker would reject in a reference.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RefProblem {
    pub range: TextRange,
    pub kind: RefProblemKind,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RefProblemKind {
    Empty,
    RepositoryNotLowercase,
    InvalidRepository,
    InvalidTag,
    InvalidDigest,
}

impl RefProblem {
    pub fn message(&self) -> &'static str {
        match self.kind {
            RefProblemKind::Empty => "the image reference is empty",
            RefProblemKind::RepositoryNotLowercase => "repository name must be lowercase",
            RefProblemKind::InvalidRepository => {
                "invalid repository name (lowercase letters, digits and . _ - separators between path components)"
            }
            RefProblemKind::InvalidTag => {
                "invalid tag (letters, digits, _ . -, not starting with . or -, at most 128 characters)"
            }
            RefProblemKind::InvalidDigest => "invalid digest (expected algorithm:hex, e.g. sha256:<64 hex digits>)",
        }
    }
}

impl ImageRef {
    /// Parses a reference as written. Parts containing `$` are treated as unresolved variables.
    pub fn parse(text: &str) -> ImageRef {
        parse_reference(text)
    }

    /// Parses a reference after the caller expanded its variables. `written` is the original text
    /// (shown in hovers when it differs); `unresolved` says that some variable had no value, in which
    /// case nothing in the reference is trusted for facts.
    pub fn parse_expanded(expanded: &str, written: &str, unresolved: bool) -> ImageRef {
        let mut reference = parse_reference(expanded);
        if written != expanded {
            reference.written = Some(written.to_string());
        }
        reference.unresolved.somewhere |= unresolved;
        reference
    }

    /// The text that was parsed (after variable expansion).
    pub fn text(&self) -> &str {
        &self.text
    }
    /// The text as written in the Dockerfile, when variables were expanded into [`ImageRef::text`].
    pub fn written(&self) -> Option<&str> {
        self.written.as_deref()
    }
    /// Normalised registry host (`docker.io` when none was written).
    pub fn registry(&self) -> &str {
        &self.registry
    }
    /// Normalised repository path (`library/ubuntu`, `dotnet/sdk`).
    pub fn repository(&self) -> &str {
        &self.repository
    }
    pub fn tag(&self) -> Option<&str> {
        self.tag.as_deref()
    }
    pub fn digest(&self) -> Option<&str> {
        self.digest.as_deref()
    }
    /// Range of the registry as written, if one was written.
    pub fn registry_range(&self) -> Option<TextRange> {
        self.registry_range
    }
    /// Range of the repository path as written (without the implicit `library/`).
    pub fn repository_range(&self) -> TextRange {
        self.repository_range
    }
    /// Range of the tag text (after the `:`).
    pub fn tag_range(&self) -> Option<TextRange> {
        self.tag_range
    }
    /// Range of the digest text (after the `@`).
    pub fn digest_range(&self) -> Option<TextRange> {
        self.digest_range
    }
    pub fn unresolved(&self) -> Unresolved {
        self.unresolved
    }
    pub fn problems(&self) -> &[RefProblem] {
        &self.problems
    }
    pub fn is_valid(&self) -> bool {
        self.problems.is_empty()
    }
    /// `FROM scratch`: the reserved empty image.
    pub fn is_scratch(&self) -> bool {
        self.text == "scratch"
    }
    /// The tag Docker pulls: the written tag, or `latest` when neither tag nor digest is given.
    pub fn effective_tag(&self) -> Option<&str> {
        match (&self.tag, &self.digest) {
            (Some(tag), _) => Some(tag),
            (None, None) => Some("latest"),
            (None, Some(_)) => None,
        }
    }
    /// `registry/repository`, fully qualified (`docker.io/library/ubuntu`).
    pub fn full_name(&self) -> String {
        format!("{}/{}", self.registry, self.repository)
    }
    /// The fully qualified reference (`docker.io/library/nginx:1.27`, with digest if any).
    pub fn canonical(&self) -> String {
        let mut out = self.full_name();
        if let Some(tag) = &self.tag {
            out.push(':');
            out.push_str(tag);
        }
        if let Some(digest) = &self.digest {
            out.push('@');
            out.push_str(digest);
        }
        out
    }
}

fn parse_reference(text: &str) -> ImageRef {
    let in_variable = variable_mask(text);
    let outside = |index: usize| !in_variable.get(index).copied().unwrap_or(false);
    let find_first = |byte: u8, within: std::ops::Range<usize>| {
        within
            .clone()
            .find(|i| text.as_bytes()[*i] == byte && outside(*i))
    };
    let find_last = |byte: u8, within: std::ops::Range<usize>| {
        within
            .rev()
            .find(|i| text.as_bytes()[*i] == byte && outside(*i))
    };

    let mut problems = Vec::new();
    let mut unresolved = Unresolved::default();
    if text.is_empty() {
        problems.push(RefProblem {
            range: TextRange::empty(0),
            kind: RefProblemKind::Empty,
        });
    }

    let (name_end, digest_range) = match find_first(b'@', 0..text.len()) {
        Some(at) => (at, Some(TextRange::new(at + 1, text.len()))),
        None => (text.len(), None),
    };
    let last_slash = find_last(b'/', 0..name_end);
    let tag_colon =
        find_last(b':', 0..name_end).filter(|colon| last_slash.is_none_or(|slash| *colon > slash));
    let (path_end, tag_range) = match tag_colon {
        Some(colon) => (colon, Some(TextRange::new(colon + 1, name_end))),
        None => (name_end, None),
    };

    let name = &text[..path_end];
    let first_slash = find_first(b'/', 0..path_end);
    let (registry_range, repository_range) = match first_slash {
        Some(slash) if is_registry(&name[..slash]) => (
            Some(TextRange::new(0, slash)),
            TextRange::new(slash + 1, path_end),
        ),
        _ => (None, TextRange::new(0, path_end)),
    };

    let mut registry = match registry_range {
        Some(range) => text[range.as_range()].to_string(),
        None => DOCKER_HUB.to_string(),
    };
    if registry == LEGACY_DOCKER_HUB {
        registry = DOCKER_HUB.to_string();
    }
    let written_repository = &text[repository_range.as_range()];
    let repository = if registry == DOCKER_HUB
        && !written_repository.contains('/')
        && !written_repository.is_empty()
    {
        format!("{OFFICIAL_PREFIX}{written_repository}")
    } else {
        written_repository.to_string()
    };

    if let Some(range) = registry_range {
        unresolved.registry = text[range.as_range()].contains('$');
    } else if first_slash.is_some_and(|slash| text[..slash].contains('$')) {
        // `$REGISTRY/dotnet/sdk`: the first component could be a registry once expanded.
        unresolved.registry = true;
    }
    unresolved.repository = written_repository.contains('$');
    if unresolved.repository {
        // Covers `${IMAGE}`: the whole name is unknown, so its registry is too.
        unresolved.registry |= registry_range.is_none();
    } else if !text.is_empty() {
        validate_repository(written_repository, repository_range, &mut problems);
    }

    let tag = tag_range.map(|range| text[range.as_range()].to_string());
    if let (Some(tag), Some(range)) = (&tag, tag_range) {
        if tag.contains('$') {
            unresolved.tag = true;
        } else if !is_valid_tag(tag) {
            problems.push(RefProblem {
                range,
                kind: RefProblemKind::InvalidTag,
            });
        }
    }
    let digest = digest_range.map(|range| text[range.as_range()].to_string());
    if let (Some(digest), Some(range)) = (&digest, digest_range) {
        if digest.contains('$') {
            unresolved.digest = true;
        } else if !is_valid_digest(digest) {
            problems.push(RefProblem {
                range,
                kind: RefProblemKind::InvalidDigest,
            });
        }
    }

    ImageRef {
        text: text.to_string(),
        written: None,
        registry,
        repository,
        tag,
        digest,
        registry_range,
        repository_range,
        tag_range,
        digest_range,
        unresolved,
        problems,
    }
}

/// Marks the bytes of `${...}` spans so that `:` and `/` inside them (`${TAG:-10.0}`) are not separators.
fn variable_mask(text: &str) -> Vec<bool> {
    let bytes = text.as_bytes();
    let mut mask = vec![false; bytes.len()];
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'$' && bytes.get(i + 1) == Some(&b'{') {
            let mut depth = 0usize;
            let start = i;
            let mut end = bytes.len();
            let mut j = i + 1;
            while j < bytes.len() {
                match bytes[j] {
                    b'{' => depth += 1,
                    b'}' => {
                        depth -= 1;
                        if depth == 0 {
                            end = j + 1;
                            break;
                        }
                    }
                    _ => {}
                }
                j += 1;
            }
            for slot in &mut mask[start..end] {
                *slot = true;
            }
            i = end;
        } else {
            i += 1;
        }
    }
    mask
}

/// Docker's `splitDockerDomain` test for the first path component.
fn is_registry(component: &str) -> bool {
    component.contains('.')
        || component.contains(':')
        || component == "localhost"
        || component.to_lowercase() != component
}

fn validate_repository(repository: &str, range: TextRange, problems: &mut Vec<RefProblem>) {
    if repository.bytes().any(|b| b.is_ascii_uppercase()) {
        problems.push(RefProblem {
            range,
            kind: RefProblemKind::RepositoryNotLowercase,
        });
        return;
    }
    if repository.is_empty() || !repository.split('/').all(is_valid_path_component) {
        problems.push(RefProblem {
            range,
            kind: RefProblemKind::InvalidRepository,
        });
    }
}

/// `[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*`
fn is_valid_path_component(component: &str) -> bool {
    let bytes = component.as_bytes();
    let alnum = |b: u8| b.is_ascii_lowercase() || b.is_ascii_digit();
    if bytes.is_empty() || !alnum(bytes[0]) || !alnum(bytes[bytes.len() - 1]) {
        return false;
    }
    let mut i = 0;
    while i < bytes.len() {
        if alnum(bytes[i]) {
            i += 1;
            continue;
        }
        let start = i;
        while i < bytes.len() && !alnum(bytes[i]) {
            i += 1;
        }
        let separator = &component[start..i];
        let ok = matches!(separator, "." | "_" | "__") || separator.bytes().all(|b| b == b'-');
        if !ok {
            return false;
        }
    }
    true
}

/// `[\w][\w.-]{0,127}`
fn is_valid_tag(tag: &str) -> bool {
    let word = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    let bytes = tag.as_bytes();
    !bytes.is_empty()
        && bytes.len() <= MAX_TAG_LEN
        && word(bytes[0])
        && bytes.iter().all(|b| word(*b) || *b == b'.' || *b == b'-')
}

/// `algorithm:hex` with algorithm `[A-Za-z][A-Za-z0-9]*([+._-][A-Za-z][A-Za-z0-9]*)*` and at least 32 hex digits.
fn is_valid_digest(digest: &str) -> bool {
    let Some((algorithm, hex)) = digest.split_once(':') else {
        return false;
    };
    let algorithm_ok = algorithm.split(['+', '.', '_', '-']).all(|part| {
        let mut bytes = part.bytes();
        bytes.next().is_some_and(|b| b.is_ascii_alphabetic())
            && bytes.all(|b| b.is_ascii_alphanumeric())
    });
    let hex_ok = hex.len() >= 32 && hex.bytes().all(|b| b.is_ascii_hexdigit());
    let sha256_ok = algorithm != "sha256"
        || (hex.len() == 64
            && hex
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)));
    algorithm_ok && hex_ok && sha256_ok
}

#[cfg(test)]
mod tests {
    use super::*;

    fn slice(reference: &ImageRef, range: Option<TextRange>) -> Option<&str> {
        range.map(|r| &reference.text()[r.as_range()])
    }

    #[test]
    fn official_image_is_normalised_to_docker_hub_library() {
        let r = ImageRef::parse("ubuntu");
        assert_eq!(r.registry(), "docker.io");
        assert_eq!(r.repository(), "library/ubuntu");
        assert_eq!(r.tag(), None);
        assert_eq!(r.effective_tag(), Some("latest"));
        assert_eq!(r.registry_range(), None);
        assert_eq!(r.repository_range(), TextRange::new(0, 6));
        assert_eq!(r.canonical(), "docker.io/library/ubuntu");
        assert!(r.is_valid());
    }

    #[test]
    fn docker_hub_user_repository_keeps_its_namespace() {
        let r = ImageRef::parse("microsoft/dotnet:2.1-sdk");
        assert_eq!(r.registry(), "docker.io");
        assert_eq!(r.repository(), "microsoft/dotnet");
        assert_eq!(r.tag(), Some("2.1-sdk"));
        assert_eq!(slice(&r, r.tag_range()), Some("2.1-sdk"));
    }

    #[test]
    fn legacy_index_host_becomes_docker_io() {
        let r = ImageRef::parse("index.docker.io/nginx:1.27");
        assert_eq!(r.registry(), "docker.io");
        assert_eq!(r.repository(), "library/nginx");
        assert_eq!(slice(&r, r.registry_range()), Some("index.docker.io"));
    }

    #[test]
    fn localhost_with_port_is_a_registry_not_a_tag() {
        let r = ImageRef::parse("localhost:5000/x");
        assert_eq!(r.registry(), "localhost:5000");
        assert_eq!(r.repository(), "x");
        assert_eq!(r.tag(), None);
        assert_eq!(r.repository_range(), TextRange::new(15, 16));
        let r = ImageRef::parse("localhost/app:dev");
        assert_eq!(
            (r.registry(), r.repository(), r.tag()),
            ("localhost", "app", Some("dev"))
        );
        let r = ImageRef::parse("localhost:5000/team/app:1.0");
        assert_eq!(
            (r.registry(), r.repository(), r.tag()),
            ("localhost:5000", "team/app", Some("1.0"))
        );
    }

    #[test]
    fn mcr_reference_with_tag_and_digest_has_exact_ranges() {
        let digest = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
        let text = format!("mcr.microsoft.com/dotnet/sdk:10.0@{digest}");
        let r = ImageRef::parse(&text);
        assert_eq!(r.registry(), "mcr.microsoft.com");
        assert_eq!(r.repository(), "dotnet/sdk");
        assert_eq!(r.tag(), Some("10.0"));
        assert_eq!(r.digest(), Some(digest));
        assert_eq!(r.registry_range(), Some(TextRange::new(0, 17)));
        assert_eq!(r.repository_range(), TextRange::new(18, 28));
        assert_eq!(r.tag_range(), Some(TextRange::new(29, 33)));
        assert_eq!(r.digest_range(), Some(TextRange::new(34, text.len())));
        assert!(r.is_valid());
        assert_eq!(r.canonical(), text);
    }

    #[test]
    fn digest_without_tag_has_no_effective_tag() {
        let r = ImageRef::parse("mcr.microsoft.com/dotnet/aspnet@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");
        assert_eq!(r.tag(), None);
        assert_eq!(r.effective_tag(), None);
        assert_eq!(r.repository(), "dotnet/aspnet");
    }

    #[test]
    fn upper_case_first_component_is_a_registry() {
        let r = ImageRef::parse("MyRegistry/app");
        assert_eq!(r.registry(), "MyRegistry");
        assert_eq!(r.repository(), "app");
    }

    #[test]
    fn upper_case_repository_is_reported() {
        let r = ImageRef::parse("mcr.microsoft.com/dotnet/SDK:10.0");
        assert_eq!(r.problems().len(), 1);
        assert_eq!(r.problems()[0].kind, RefProblemKind::RepositoryNotLowercase);
        assert_eq!(r.problems()[0].range, TextRange::new(18, 28));
    }

    #[test]
    fn invalid_tag_and_digest_are_reported_with_ranges() {
        let r = ImageRef::parse("nginx:-bad");
        assert_eq!(r.problems()[0].kind, RefProblemKind::InvalidTag);
        assert_eq!(r.problems()[0].range, TextRange::new(6, 10));
        let r = ImageRef::parse("nginx@sha256:abc");
        assert_eq!(r.problems()[0].kind, RefProblemKind::InvalidDigest);
        let r = ImageRef::parse("nginx:");
        assert_eq!(r.tag(), Some(""));
        assert_eq!(r.problems()[0].kind, RefProblemKind::InvalidTag);
    }

    #[test]
    fn empty_and_garbage_never_panic() {
        for text in [
            "",
            ":",
            "@",
            "/",
            "//",
            ":@",
            "a:b:c",
            "@@@",
            "${",
            "${a",
            "}",
            "$",
            "é/ü:ä",
            "a/:",
            "/x",
            "x/",
            "a@b:c",
            "mcr.microsoft.com/",
            "mcr.microsoft.com/:tag",
            "\u{0}",
            "$${}",
            "${${x}}",
            "a b",
            "..",
            "-a",
        ] {
            let r = ImageRef::parse(text);
            assert_eq!(r.text(), text);
            let _ = (r.canonical(), r.full_name(), r.effective_tag());
        }
        assert_eq!(
            ImageRef::parse("").problems()[0].kind,
            RefProblemKind::Empty
        );
        assert_eq!(
            ImageRef::parse("a b").problems()[0].kind,
            RefProblemKind::InvalidRepository
        );
    }

    #[test]
    fn scratch_is_detected_exactly() {
        assert!(ImageRef::parse("scratch").is_scratch());
        assert!(!ImageRef::parse("scratch:latest").is_scratch());
        assert!(!ImageRef::parse("docker.io/library/scratch").is_scratch());
    }

    #[test]
    fn variables_mark_their_part_unresolved() {
        let r = ImageRef::parse("mcr.microsoft.com/dotnet/aspnet:${DOTNET_VERSION}-alpine");
        assert_eq!(r.repository(), "dotnet/aspnet");
        assert_eq!(r.tag(), Some("${DOTNET_VERSION}-alpine"));
        assert!(r.unresolved().tag);
        assert!(!r.unresolved().name());
        assert!(r.is_valid());

        let r = ImageRef::parse("mcr.microsoft.com/dotnet/aspnet:${TAG:-10.0}");
        assert_eq!(r.repository(), "dotnet/aspnet");
        assert_eq!(r.tag(), Some("${TAG:-10.0}"));

        let r = ImageRef::parse("${IMAGE}");
        assert!(r.unresolved().repository && r.unresolved().registry);
        assert!(r.is_valid());

        let r = ImageRef::parse("$registry/dotnet/sdk:10.0");
        assert!(r.unresolved().registry);
        assert_eq!(r.tag(), Some("10.0"));
    }

    #[test]
    fn expanded_reference_keeps_the_written_form() {
        let r = ImageRef::parse_expanded(
            "mcr.microsoft.com/dotnet/aspnet:10.0-alpine",
            "mcr.microsoft.com/dotnet/aspnet:${DOTNET_VERSION}-alpine",
            false,
        );
        assert_eq!(r.tag(), Some("10.0-alpine"));
        assert_eq!(
            r.written(),
            Some("mcr.microsoft.com/dotnet/aspnet:${DOTNET_VERSION}-alpine")
        );
        assert!(!r.unresolved().any());
        let r = ImageRef::parse_expanded(
            "mcr.microsoft.com/dotnet/aspnet:-alpine",
            "mcr.microsoft.com/dotnet/aspnet:${V}-alpine",
            true,
        );
        assert!(r.unresolved().somewhere);
    }

    #[test]
    fn path_components_follow_docker_grammar() {
        for ok in ["a", "a.b", "a_b", "a__b", "a---b", "a1-2.b_c"] {
            assert!(is_valid_path_component(ok), "{ok}");
        }
        for bad in ["", "-a", "a-", "a..b", "a___b", "a.-b", "A"] {
            assert!(!is_valid_path_component(bad), "{bad}");
        }
    }
}
