//! Compose files: per service, the build settings (context, dockerfile, target, args), the
//! image and the ports, each with the byte range of its value.

use std::path::{Path, PathBuf};

use saphyr::{LoadableYamlNode, MarkedYaml, Scalar, YamlData};

use crate::analysis::Severity;
use crate::dotnet::{paths, WorkspaceDiagnostic, WorkspaceDiagnosticKind};
use crate::text::TextRange;

/// A value and where it is written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Spanned<T> {
    pub value: T,
    pub range: TextRange,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ComposeBuildArg {
    pub name: Spanned<String>,
    /// `None` for `- NAME` or `NAME:` (the value comes from the environment).
    pub value: Option<Spanned<String>>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ComposeBuild {
    /// The `build:` value (a mapping or the short string form).
    pub range: TextRange,
    pub context: Option<Spanned<String>>,
    pub dockerfile: Option<Spanned<String>>,
    /// `dockerfile_inline` is used: there is no Dockerfile on disk.
    pub dockerfile_inline: bool,
    pub target: Option<Spanned<String>>,
    pub args: Vec<ComposeBuildArg>,
}

impl ComposeBuild {
    /// The build context directory, relative paths resolved against the compose file's
    /// directory; `None` for a remote (git/URL) context.
    pub fn context_dir(&self, compose_dir: &Path) -> Option<PathBuf> {
        let context = self
            .context
            .as_ref()
            .map(|c| c.value.as_str())
            .unwrap_or(".");
        if is_remote(context) {
            return None;
        }
        Some(paths::resolve(compose_dir, context))
    }

    /// The Dockerfile used: `dockerfile` relative to the context, default `Dockerfile`.
    pub fn dockerfile_path(&self, compose_dir: &Path) -> Option<PathBuf> {
        if self.dockerfile_inline {
            return None;
        }
        let context = self.context_dir(compose_dir)?;
        let dockerfile = self
            .dockerfile
            .as_ref()
            .map(|d| d.value.as_str())
            .unwrap_or("Dockerfile");
        Some(paths::resolve(&context, dockerfile))
    }
}

fn is_remote(context: &str) -> bool {
    context.contains("://") || context.starts_with("git@") || context.starts_with("github.com/")
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ComposePort {
    pub raw: Spanned<String>,
    /// The port inside the container, when it is a single number.
    pub container_port: Option<u16>,
    /// The published (host) port as written, if any.
    pub published: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ComposeService {
    pub name: Spanned<String>,
    pub build: Option<ComposeBuild>,
    pub image: Option<Spanned<String>>,
    pub ports: Vec<ComposePort>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ComposeFile {
    pub path: PathBuf,
    pub services: Vec<ComposeService>,
    pub diagnostics: Vec<WorkspaceDiagnostic>,
}

impl ComposeFile {
    pub fn dir(&self) -> &Path {
        self.path.parent().unwrap_or(Path::new("/"))
    }

    pub fn service(&self, name: &str) -> Option<&ComposeService> {
        self.services.iter().find(|s| s.name.value == name)
    }
}

/// A YAML node reduced to what compose parsing needs, with byte ranges.
#[derive(Debug)]
enum Node {
    Scalar(Spanned<String>),
    Null(TextRange),
    Mapping(Vec<(Node, Node)>, TextRange),
    Sequence(Vec<Node>, TextRange),
    Other(TextRange),
}

impl Node {
    fn range(&self) -> TextRange {
        match self {
            Node::Scalar(s) => s.range,
            Node::Null(r) | Node::Mapping(_, r) | Node::Sequence(_, r) | Node::Other(r) => *r,
        }
    }

    fn get(&self, key: &str) -> Option<&Node> {
        match self {
            Node::Mapping(entries, _) => entries
                .iter()
                .find(|(k, _)| matches!(k, Node::Scalar(s) if s.value == key))
                .map(|(_, v)| v),
            _ => None,
        }
    }

    fn scalar(&self) -> Option<Spanned<String>> {
        match self {
            Node::Scalar(s) => Some(s.clone()),
            _ => None,
        }
    }
}

/// Converts saphyr's char-indexed spans into byte ranges.
struct Offsets {
    char_to_byte: Vec<usize>,
}

impl Offsets {
    fn new(text: &str) -> Self {
        let mut char_to_byte: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
        char_to_byte.push(text.len());
        Offsets { char_to_byte }
    }

    fn byte(&self, char_index: usize) -> usize {
        self.char_to_byte
            .get(char_index)
            .copied()
            .unwrap_or_else(|| self.char_to_byte.last().copied().unwrap_or(0))
    }
}

/// Nodes nested deeper than this are not converted (defence against hostile YAML).
const MAX_DEPTH: usize = 64;

fn convert(node: &MarkedYaml, text: &str, offsets: &Offsets, depth: usize) -> Node {
    let start = offsets.byte(node.span.start.index());
    let end = offsets.byte(node.span.end.index()).max(start);
    let range = TextRange::new(start, end);
    if depth > MAX_DEPTH {
        return Node::Other(range);
    }
    let scalar = |value: String| {
        Node::Scalar(Spanned {
            value,
            range: scalar_range(text, range),
        })
    };
    match &node.data {
        YamlData::Value(Scalar::String(s)) => scalar(s.to_string()),
        YamlData::Value(Scalar::Integer(i)) => scalar(i.to_string()),
        YamlData::Value(Scalar::FloatingPoint(f)) => scalar(f.to_string()),
        YamlData::Value(Scalar::Boolean(b)) => scalar(b.to_string()),
        YamlData::Value(Scalar::Null) => Node::Null(range),
        YamlData::Representation(s, _, _) => scalar(s.to_string()),
        YamlData::Tagged(_, inner) => convert(inner, text, offsets, depth + 1),
        YamlData::Mapping(map) => Node::Mapping(
            map.iter()
                .map(|(k, v)| {
                    (
                        convert(k, text, offsets, depth + 1),
                        convert(v, text, offsets, depth + 1),
                    )
                })
                .collect(),
            range,
        ),
        YamlData::Sequence(items) => Node::Sequence(
            items
                .iter()
                .map(|item| convert(item, text, offsets, depth + 1))
                .collect(),
            range,
        ),
        _ => Node::Other(range),
    }
}

/// saphyr extends a quoted scalar's span over a trailing comment; cut it at the closing quote.
/// Plain scalars lose trailing whitespace.
fn scalar_range(text: &str, range: TextRange) -> TextRange {
    let Some(slice) = text.get(range.as_range()) else {
        return range;
    };
    let bytes = slice.as_bytes();
    match bytes.first() {
        Some(&quote @ (b'"' | b'\'')) => {
            let mut i = 1;
            while i < bytes.len() {
                if quote == b'"' && bytes[i] == b'\\' {
                    i += 2;
                    continue;
                }
                if bytes[i] == quote {
                    if quote == b'\'' && bytes.get(i + 1) == Some(&b'\'') {
                        i += 2;
                        continue;
                    }
                    return TextRange::new(range.start(), range.start() + i + 1);
                }
                i += 1;
            }
            range
        }
        _ => TextRange::new(range.start(), range.start() + slice.trim_end().len()),
    }
}

/// Parses a compose file. Never fails: YAML errors and unexpected shapes are diagnostics.
pub fn parse_compose(path: &Path, text: &str) -> ComposeFile {
    let mut file = ComposeFile {
        path: path.to_path_buf(),
        services: Vec::new(),
        diagnostics: Vec::new(),
    };
    let offsets = Offsets::new(text);
    let documents = match MarkedYaml::load_from_str(text) {
        Ok(documents) => documents,
        Err(error) => {
            let at = offsets.byte(error.marker().index());
            file.diagnostics.push(WorkspaceDiagnostic::new(
                path,
                Some(TextRange::empty(at)),
                Severity::Error,
                WorkspaceDiagnosticKind::MalformedYaml,
                format!("the compose file is not valid YAML: {}", error.info()),
            ));
            return file;
        }
    };
    let Some(document) = documents.first() else {
        return file;
    };
    let root = convert(document, text, &offsets, 0);
    let Some(services) = root.get("services") else {
        return file;
    };
    let Node::Mapping(entries, _) = services else {
        file.diagnostics.push(shape_error(
            path,
            services.range(),
            "`services` should be a mapping",
        ));
        return file;
    };
    for (name, service) in entries {
        let Some(name) = name.scalar() else {
            continue;
        };
        let mut parsed = ComposeService {
            name,
            build: None,
            image: service.get("image").and_then(Node::scalar),
            ports: Vec::new(),
        };
        if let Some(build) = service.get("build") {
            parsed.build = Some(parse_build(path, build, &mut file.diagnostics));
        }
        if let Some(ports) = service.get("ports") {
            match ports {
                Node::Sequence(items, _) => {
                    parsed.ports = items.iter().filter_map(parse_port).collect()
                }
                other => file.diagnostics.push(shape_error(
                    path,
                    other.range(),
                    "`ports` should be a list",
                )),
            }
        }
        file.services.push(parsed);
    }
    file
}

fn shape_error(path: &Path, range: TextRange, message: &str) -> WorkspaceDiagnostic {
    WorkspaceDiagnostic::new(
        path,
        Some(range),
        Severity::Warning,
        WorkspaceDiagnosticKind::MalformedYaml,
        message,
    )
}

fn parse_build(
    path: &Path,
    node: &Node,
    diagnostics: &mut Vec<WorkspaceDiagnostic>,
) -> ComposeBuild {
    let mut build = ComposeBuild {
        range: node.range(),
        ..ComposeBuild::default()
    };
    match node {
        Node::Scalar(context) => build.context = Some(context.clone()),
        Node::Mapping(..) => {
            build.context = node.get("context").and_then(Node::scalar);
            build.dockerfile = node.get("dockerfile").and_then(Node::scalar);
            build.dockerfile_inline = node.get("dockerfile_inline").is_some();
            build.target = node.get("target").and_then(Node::scalar);
            match node.get("args") {
                Some(Node::Mapping(entries, _)) => {
                    for (key, value) in entries {
                        if let Some(name) = key.scalar() {
                            build.args.push(ComposeBuildArg {
                                name,
                                value: value.scalar(),
                            });
                        }
                    }
                }
                Some(Node::Sequence(items, _)) => {
                    for item in items {
                        let Some(entry) = item.scalar() else {
                            continue;
                        };
                        build.args.push(split_arg(&entry));
                    }
                }
                Some(Node::Null(_)) | None => {}
                Some(other) => diagnostics.push(shape_error(
                    path,
                    other.range(),
                    "`build.args` should be a mapping or a list",
                )),
            }
        }
        other => diagnostics.push(shape_error(
            path,
            other.range(),
            "`build` should be a path or a mapping",
        )),
    }
    build
}

/// `NAME=value` (or `NAME`) from the list form of `args`, with ranges inside the entry.
fn split_arg(entry: &Spanned<String>) -> ComposeBuildArg {
    let quoted = entry.range.len() > entry.value.len();
    let content_start = entry.range.start() + usize::from(quoted);
    match entry.value.split_once('=') {
        Some((name, value)) => {
            let value_start = content_start + name.len() + 1;
            ComposeBuildArg {
                name: Spanned {
                    value: name.to_string(),
                    range: TextRange::new(content_start, content_start + name.len()),
                },
                value: Some(Spanned {
                    value: value.to_string(),
                    range: TextRange::new(value_start, value_start + value.len()),
                }),
            }
        }
        None => ComposeBuildArg {
            name: Spanned {
                value: entry.value.clone(),
                range: TextRange::new(content_start, content_start + entry.value.len()),
            },
            value: None,
        },
    }
}

fn parse_port(node: &Node) -> Option<ComposePort> {
    match node {
        Node::Scalar(raw) => {
            let without_protocol = raw.value.split('/').next().unwrap_or("");
            let parts: Vec<&str> = without_protocol.rsplitn(2, ':').collect();
            let container = parts.first().copied().unwrap_or("");
            let published = parts
                .get(1)
                .map(|host| host.rsplit(':').next().unwrap_or(host).to_string());
            Some(ComposePort {
                raw: raw.clone(),
                container_port: container.trim().parse().ok(),
                published,
            })
        }
        Node::Mapping(..) => {
            let target = node.get("target").and_then(Node::scalar);
            let published = node
                .get("published")
                .and_then(Node::scalar)
                .map(|p| p.value);
            Some(ComposePort {
                container_port: target.as_ref().and_then(|t| t.value.trim().parse().ok()),
                raw: target.unwrap_or(Spanned {
                    value: String::new(),
                    range: node.range(),
                }),
                published,
            })
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const COMPOSE: &str = r#"name: shop
services:
  api:
    build:
      context: .
      dockerfile: src/Api/Dockerfile   # the VS template location
      target: "final"   # quoted, with a comment
      args:
        - BUILD_CONFIGURATION=Release
        - "NUGET_TOKEN"
    image: shop/api:1.0
    ports:
      - "8080:8080"
      - 127.0.0.1:5000:80/tcp
      - 9090
      - target: 443
        published: "8443"
  worker:
    build: ./src/Worker
    environment:
      DOTNET_ENVIRONMENT: Production
  web:
    build:
      context: https://github.com/contoso/web.git
      args:
        VERSION: "1.2"
        EMPTY:
  db:
    image: postgres:16
"#;

    fn slice(range: TextRange) -> &'static str {
        &COMPOSE[range.as_range()]
    }

    #[test]
    fn reads_services_with_ranges() {
        let file = parse_compose(Path::new("/repo/compose.yaml"), COMPOSE);
        assert!(file.diagnostics.is_empty(), "{:?}", file.diagnostics);
        let names: Vec<&str> = file
            .services
            .iter()
            .map(|s| s.name.value.as_str())
            .collect();
        assert_eq!(names, ["api", "worker", "web", "db"]);

        let api = file.service("api").unwrap();
        let build = api.build.as_ref().unwrap();
        assert_eq!(build.context.as_ref().unwrap().value, ".");
        let dockerfile = build.dockerfile.as_ref().unwrap();
        assert_eq!(slice(dockerfile.range), "src/Api/Dockerfile");
        let target = build.target.as_ref().unwrap();
        assert_eq!(
            (target.value.as_str(), slice(target.range)),
            ("final", "\"final\"")
        );
        let args: Vec<(&str, Option<&str>)> = build
            .args
            .iter()
            .map(|a| {
                (
                    slice(a.name.range),
                    a.value.as_ref().map(|v| slice(v.range)),
                )
            })
            .collect();
        assert_eq!(
            args,
            [
                ("BUILD_CONFIGURATION", Some("Release")),
                ("NUGET_TOKEN", None)
            ]
        );
        assert_eq!(
            build.context_dir(Path::new("/repo")),
            Some(PathBuf::from("/repo"))
        );
        assert_eq!(
            build.dockerfile_path(Path::new("/repo")),
            Some(PathBuf::from("/repo/src/Api/Dockerfile"))
        );
        assert_eq!(slice(api.image.as_ref().unwrap().range), "shop/api:1.0");
        let ports: Vec<(Option<u16>, Option<&str>)> = api
            .ports
            .iter()
            .map(|p| (p.container_port, p.published.as_deref()))
            .collect();
        assert_eq!(
            ports,
            [
                (Some(8080), Some("8080")),
                (Some(80), Some("5000")),
                (Some(9090), None),
                (Some(443), Some("8443"))
            ]
        );
        assert_eq!(slice(api.ports[0].raw.range), "\"8080:8080\"");

        let worker = file.service("worker").unwrap().build.as_ref().unwrap();
        assert_eq!(
            slice(worker.context.as_ref().unwrap().range),
            "./src/Worker"
        );
        assert_eq!(
            worker.dockerfile_path(Path::new("/repo")),
            Some(PathBuf::from("/repo/src/Worker/Dockerfile"))
        );

        let web = file.service("web").unwrap().build.as_ref().unwrap();
        assert_eq!(web.context_dir(Path::new("/repo")), None);
        let web_args: Vec<(&str, Option<&str>)> = web
            .args
            .iter()
            .map(|a| {
                (
                    a.name.value.as_str(),
                    a.value.as_ref().map(|v| v.value.as_str()),
                )
            })
            .collect();
        assert_eq!(web_args, [("VERSION", Some("1.2")), ("EMPTY", None)]);
        assert!(file.service("db").unwrap().build.is_none());
    }

    #[test]
    fn non_ascii_text_before_values_keeps_byte_ranges_right() {
        let text = "# Ünïcödé 🐳\nservices:\n  api:\n    image: \"café:1\"  # note\n";
        let file = parse_compose(Path::new("/c.yaml"), text);
        let image = file.services[0].image.as_ref().unwrap();
        assert_eq!(&text[image.range.as_range()], "\"café:1\"");
    }

    #[test]
    fn malformed_yaml_is_a_diagnostic() {
        let file = parse_compose(Path::new("/c.yaml"), "services:\n  api: [unclosed\n");
        assert!(file.services.is_empty());
        assert_eq!(file.diagnostics.len(), 1);
        assert_eq!(
            file.diagnostics[0].kind,
            WorkspaceDiagnosticKind::MalformedYaml
        );
        assert!(file.diagnostics[0]
            .message
            .starts_with("the compose file is not valid YAML"));
    }

    #[test]
    fn unexpected_shapes_are_diagnostics() {
        let file = parse_compose(
            Path::new("/c.yaml"),
            "services:\n  api:\n    build: [1, 2]\n    ports: 80\n",
        );
        assert_eq!(file.diagnostics.len(), 2);
        let empty = parse_compose(Path::new("/c.yaml"), "");
        assert!(empty.services.is_empty() && empty.diagnostics.is_empty());
        let list = parse_compose(Path::new("/c.yaml"), "services: [a]\n");
        assert_eq!(list.diagnostics.len(), 1);
    }
}
