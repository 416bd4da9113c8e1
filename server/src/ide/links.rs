//! Document links: image references to their registry pages, and COPY/ADD sources to the
//! files of the build context (from the resolved sources of [`Analysis::facts`], else
//! through [`crate::ide::BuildContextProvider`]).

use crate::analysis::Analysis;
use crate::ide::IdeEnv;
use crate::model::BaseImage;
use crate::syntax::{Args, Keyword};
use crate::text::TextRange;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DocumentLink {
    pub range: TextRange,
    pub target: String,
    pub tooltip: Option<String>,
}

/// An image reference split into its parts: `registry/path:tag@digest`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImageRef<'a> {
    /// `None` for Docker Hub.
    pub registry: Option<&'a str>,
    /// The repository path without registry (`dotnet/sdk`, `nginx`, `user/img`).
    pub path: &'a str,
    pub tag: Option<&'a str>,
    pub digest: Option<&'a str>,
}

/// Splits an image reference as Docker does: the first component is a registry when it has a
/// `.` or `:` or is `localhost`.
pub fn parse_image_ref(reference: &str) -> Option<ImageRef<'_>> {
    if reference.is_empty() || reference.contains(char::is_whitespace) {
        return None;
    }
    let (name_tag, digest) = match reference.split_once('@') {
        Some((n, d)) => (n, Some(d)),
        None => (reference, None),
    };
    let last_slash = name_tag.rfind('/').map_or(0, |i| i + 1);
    let (name, tag) = match name_tag[last_slash..].find(':') {
        Some(i) => (
            &name_tag[..last_slash + i],
            Some(&name_tag[last_slash + i + 1..]),
        ),
        None => (name_tag, None),
    };
    let (registry, path) = match name.split_once('/') {
        Some((first, rest)) if first.contains(['.', ':']) || first == "localhost" => {
            (Some(first), rest)
        }
        _ => (None, name),
    };
    if path.is_empty() {
        return None;
    }
    Some(ImageRef {
        registry,
        path,
        tag,
        digest,
    })
}

/// The web page of an image repository: MCR's product page, Docker Hub, ghcr.io or quay.io.
pub fn image_page_url(reference: &str) -> Option<String> {
    let image = parse_image_ref(reference)?;
    if image.path.contains(['$', '{', '}']) {
        return None;
    }
    let path = image.path;
    match image.registry {
        None | Some("docker.io" | "index.docker.io" | "registry-1.docker.io") => {
            let path = path.strip_prefix("library/").unwrap_or(path);
            if path.contains('/') {
                Some(format!("https://hub.docker.com/r/{path}"))
            } else {
                Some(format!("https://hub.docker.com/_/{path}"))
            }
        }
        Some("mcr.microsoft.com") => {
            Some(format!("https://mcr.microsoft.com/product/{path}/about"))
        }
        Some("ghcr.io") => Some(format!("https://ghcr.io/{path}")),
        Some("quay.io") => Some(format!("https://quay.io/repository/{path}")),
        Some(_) => None,
    }
}

/// Links of the document, in source order.
pub fn document_links(analysis: &Analysis, env: &IdeEnv) -> Vec<DocumentLink> {
    let mut links = Vec::new();
    for stage in &analysis.model.stages {
        let BaseImage::Image { word, resolved } = &stage.base else {
            continue;
        };
        // Link the written reference when it has no variables in the repository part,
        // otherwise the substituted one.
        let reference = if parse_image_ref(&word.text).is_some_and(|r| !r.path.contains('$')) {
            word.text.as_str()
        } else if resolved.is_complete() {
            resolved.text.as_str()
        } else {
            continue;
        };
        if let Some(target) = image_page_url(reference) {
            links.push(DocumentLink {
                range: word.range,
                target,
                tooltip: Some("Open the image's registry page".to_string()),
            });
        }
    }
    if analysis.facts.is_some() {
        // The resolved sources: variables substituted, wildcards with one match included.
        links.extend(
            crate::ide::project_files::file_links(analysis)
                .into_iter()
                .map(|link| DocumentLink {
                    range: link.range,
                    tooltip: Some(format!(
                        "Open {}",
                        analysis
                            .text
                            .get(link.range.as_range())
                            .unwrap_or("the file")
                    )),
                    target: crate::cli::output::path_to_uri(&link.path),
                }),
        );
    } else if let Some(context) = env.context {
        for inst in &analysis.tree.instructions {
            let inst = inst.effective();
            if !matches!(inst.keyword, Keyword::Copy | Keyword::Add) || inst.flag("from").is_some()
            {
                continue;
            }
            let sources: Vec<&crate::syntax::Word> = match &inst.args {
                Args::Words(words)
                | Args::Exec {
                    elements: words, ..
                } => words.iter().take(words.len().saturating_sub(1)).collect(),
                _ => continue,
            };
            for source in sources {
                let path = source.text.as_str();
                let is_plain_path = !path.is_empty()
                    && !path.contains(['*', '?', '[', '$'])
                    && !path.starts_with("<<")
                    && !path.contains("://")
                    && !path.starts_with("git@");
                if !is_plain_path {
                    continue;
                }
                let normalized = path.trim_start_matches("./");
                if let Some(target) = context.link_target(normalized) {
                    links.push(DocumentLink {
                        range: source_range_without_quotes(&analysis.text, source.range),
                        target,
                        tooltip: Some(format!("Open {normalized}")),
                    });
                }
            }
        }
    }
    links.sort_by_key(|l| l.range.start);
    links
}

fn source_range_without_quotes(text: &str, range: TextRange) -> TextRange {
    match text.get(range.as_range()) {
        Some(s) if s.len() >= 2 && s.starts_with('"') && s.ends_with('"') => {
            TextRange::new(range.start() + 1, range.end() - 1)
        }
        _ => range,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ide::test_support::analysis;
    use crate::ide::BuildContextProvider;

    #[test]
    fn registry_pages() {
        let cases = [
            (
                "mcr.microsoft.com/dotnet/aspnet:9.0-noble-chiseled",
                Some("https://mcr.microsoft.com/product/dotnet/aspnet/about"),
            ),
            (
                "mcr.microsoft.com/dotnet/sdk@sha256:abc",
                Some("https://mcr.microsoft.com/product/dotnet/sdk/about"),
            ),
            ("nginx", Some("https://hub.docker.com/_/nginx")),
            ("library/nginx:1.27", Some("https://hub.docker.com/_/nginx")),
            (
                "docker.io/library/alpine:3.20",
                Some("https://hub.docker.com/_/alpine"),
            ),
            (
                "bitnami/redis:7",
                Some("https://hub.docker.com/r/bitnami/redis"),
            ),
            ("ghcr.io/owner/image:1", Some("https://ghcr.io/owner/image")),
            (
                "quay.io/prometheus/node-exporter",
                Some("https://quay.io/repository/prometheus/node-exporter"),
            ),
            ("localhost:5000/app", None),
            ("myregistry.azurecr.io/app:1", None),
            ("$BASE", None),
        ];
        for (reference, expected) in cases {
            assert_eq!(
                image_page_url(reference).as_deref(),
                expected,
                "{reference}"
            );
        }
        assert_eq!(
            parse_image_ref("localhost:5000/team/app:1.0@sha256:x"),
            Some(ImageRef {
                registry: Some("localhost:5000"),
                path: "team/app",
                tag: Some("1.0"),
                digest: Some("sha256:x")
            })
        );
    }

    struct Context;
    impl BuildContextProvider for Context {
        fn link_target(&self, path: &str) -> Option<String> {
            (path == "src/Api/Api.csproj").then(|| format!("file:///repo/{path}"))
        }
    }

    #[test]
    fn images_and_context_files() {
        let text = "ARG V=9.0\nFROM mcr.microsoft.com/dotnet/sdk:$V AS build\nCOPY [\"src/Api/Api.csproj\", \"./\"]\nCOPY ./src/Api/Api.csproj missing.txt /x/\nFROM build\nARG IMG=nginx\nFROM $IMG\nCOPY --from=build src/Api/Api.csproj /y\n";
        let a = analysis(text);
        let links = document_links(&a, &IdeEnv::default());
        let got: Vec<(&str, &str)> = links
            .iter()
            .map(|l| (&text[l.range.as_range()], l.target.as_str()))
            .collect();
        assert_eq!(
            got,
            [(
                "mcr.microsoft.com/dotnet/sdk:$V",
                "https://mcr.microsoft.com/product/dotnet/sdk/about"
            )]
        );
        let env = IdeEnv {
            context: Some(&Context),
            ..Default::default()
        };
        let links = document_links(&a, &env);
        let got: Vec<(&str, &str)> = links
            .iter()
            .map(|l| (&text[l.range.as_range()], l.target.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                (
                    "mcr.microsoft.com/dotnet/sdk:$V",
                    "https://mcr.microsoft.com/product/dotnet/sdk/about"
                ),
                ("src/Api/Api.csproj", "file:///repo/src/Api/Api.csproj"),
                ("./src/Api/Api.csproj", "file:///repo/src/Api/Api.csproj"),
            ]
        );
    }
}
