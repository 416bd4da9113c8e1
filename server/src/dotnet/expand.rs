//! `$(Property)` expansion, including the property functions that real solutions use to find
//! their Directory.Build.props chain (`GetPathOfFileAbove`, `GetDirectoryNameOfFileAbove`),
//! path helpers, version comparisons and a few string methods.
//!
//! Anything else is reported as unsupported and expands to the empty string: evaluation is
//! best effort, never guesswork presented as fact.

use std::path::{Path, PathBuf};

use super::files::FileStore;
use super::paths;
use super::properties::PropertyBag;

/// The outcome of expanding one piece of text.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Expansion {
    pub value: String,
    /// A `$(Name)` referred to a property that is not defined (it expanded to "").
    pub undefined_property: bool,
    /// Descriptions of the expressions that could not be evaluated.
    pub unsupported: Vec<String>,
}

/// Everything expansion reads or records.
pub struct Expander<'a> {
    pub properties: &'a PropertyBag,
    /// The file containing the text (for `$(MSBuildThisFile*)`).
    pub this_file: &'a Path,
    pub project_dir: &'a Path,
    pub fs: &'a mut FileStore,
    /// Every path whose existence was checked; a change to one of them re-evaluates.
    pub probes: &'a mut Vec<PathBuf>,
}

/// Nested `$(...)` deeper than this are left unexpanded (defence against hostile input).
const MAX_NESTING: usize = 32;

impl Expander<'_> {
    pub fn expand(&mut self, text: &str) -> Expansion {
        let mut out = Expansion::default();
        let value = self.expand_into(text, &mut out, 0);
        out.value = value;
        out
    }

    fn expand_into(&mut self, text: &str, out: &mut Expansion, depth: usize) -> String {
        if !text.contains("$(") {
            return text.to_string();
        }
        let bytes = text.as_bytes();
        let mut result = String::with_capacity(text.len());
        let mut i = 0;
        let mut literal_start = 0;
        while i + 1 < bytes.len() {
            if bytes[i] == b'$' && bytes[i + 1] == b'(' {
                let Some(close) = find_closing_paren(text, i + 1) else {
                    break;
                };
                result.push_str(&text[literal_start..i]);
                let body = &text[i + 2..close];
                if depth >= MAX_NESTING {
                    out.unsupported
                        .push(format!("$({body}): expressions nested too deeply"));
                } else {
                    let value = self.evaluate_body(body, out, depth + 1);
                    result.push_str(&value);
                }
                i = close + 1;
                literal_start = i;
            } else {
                i += 1;
            }
        }
        result.push_str(&text[literal_start..]);
        result
    }

    /// Evaluates the inside of `$( ... )`.
    fn evaluate_body(&mut self, body: &str, out: &mut Expansion, depth: usize) -> String {
        let body = body.trim();
        let (mut value, rest) = if let Some(static_call) = body.strip_prefix('[') {
            let Some(type_end) = static_call.find(']') else {
                out.unsupported.push(format!("$({body})"));
                return String::new();
            };
            let type_name = &static_call[..type_end];
            let after = &static_call[type_end + 1..];
            let Some(after) = after.trim_start().strip_prefix("::") else {
                out.unsupported.push(format!("$({body})"));
                return String::new();
            };
            let Some((method, args, rest)) = split_call(after) else {
                out.unsupported.push(format!("$({body})"));
                return String::new();
            };
            let args = self.expand_args(args, out, depth);
            match self.static_function(type_name, method, &args) {
                Some(value) => (value, rest),
                None => {
                    out.unsupported
                        .push(format!("$([{type_name}]::{method}(...))"));
                    return String::new();
                }
            }
        } else {
            let name_end = body
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'))
                .unwrap_or(body.len());
            let name = &body[..name_end];
            if name.is_empty() {
                out.unsupported.push(format!("$({body})"));
                return String::new();
            }
            let value = match self.reserved_this_file(name) {
                Some(value) => value,
                None => match self.properties.get(name) {
                    Some(property) => property.value.clone(),
                    None => {
                        out.undefined_property = true;
                        String::new()
                    }
                },
            };
            (value, &body[name_end..])
        };
        let mut rest = rest.trim_start();
        while !rest.is_empty() {
            let Some(after_dot) = rest.strip_prefix('.') else {
                out.unsupported.push(format!("$({body})"));
                return String::new();
            };
            match split_call(after_dot) {
                Some((method, args, next)) => {
                    let args = self.expand_args(args, out, depth);
                    match string_method(&value, method, &args) {
                        Some(result) => value = result,
                        None => {
                            out.unsupported.push(format!("$(...{method}(...))"));
                            return String::new();
                        }
                    }
                    rest = next.trim_start();
                }
                None => {
                    let member = after_dot.trim();
                    if member.eq_ignore_ascii_case("Length") {
                        value = value.chars().count().to_string();
                        rest = "";
                    } else {
                        out.unsupported.push(format!("$(...{member})"));
                        return String::new();
                    }
                }
            }
        }
        value
    }

    fn reserved_this_file(&self, name: &str) -> Option<String> {
        let lower = name.to_ascii_lowercase();
        let path = self.this_file;
        Some(match lower.as_str() {
            "msbuildthisfiledirectory" => paths::dir_with_trailing_slash(path),
            "msbuildthisfile" => path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
            "msbuildthisfilefullpath" => path.to_string_lossy().into_owned(),
            "msbuildthisfilename" => paths::file_stem(path),
            "msbuildthisfileextension" => path
                .extension()
                .map(|e| format!(".{}", e.to_string_lossy()))
                .unwrap_or_default(),
            "msbuildthisfiledirectorynoroot" => paths::dir_with_trailing_slash(path)
                .trim_start_matches('/')
                .to_string(),
            _ => return None,
        })
    }

    fn expand_args(&mut self, args: &str, out: &mut Expansion, depth: usize) -> Vec<String> {
        split_args(args)
            .into_iter()
            .map(|arg| {
                let unquoted = unquote(arg);
                self.expand_into(unquoted, out, depth)
            })
            .collect()
    }

    fn static_function(
        &mut self,
        type_name: &str,
        method: &str,
        args: &[String],
    ) -> Option<String> {
        let type_name = type_name.trim().to_ascii_lowercase();
        let method_lower = method.trim().to_ascii_lowercase();
        let arg = |i: usize| args.get(i).map(String::as_str).unwrap_or("");
        let this_dir = || {
            self.this_file
                .parent()
                .map(Path::to_path_buf)
                .unwrap_or_default()
        };
        match (type_name.as_str(), method_lower.as_str()) {
            ("msbuild", "getpathoffileabove") => {
                let start = if arg(1).trim().is_empty() {
                    this_dir()
                } else {
                    paths::resolve(self.project_dir, arg(1))
                };
                Some(
                    self.find_file_above(&start, arg(0).trim())
                        .map(|p| p.to_string_lossy().into_owned())
                        .unwrap_or_default(),
                )
            }
            ("msbuild", "getdirectorynameoffileabove") => {
                let start = paths::resolve(self.project_dir, arg(0));
                Some(
                    self.find_file_above(&start, arg(1).trim())
                        .and_then(|p| p.parent().map(|d| d.to_string_lossy().into_owned()))
                        .unwrap_or_default(),
                )
            }
            ("msbuild", "normalizepath") | ("system.io.path", "getfullpath") => {
                Some(self.combine(args).to_string_lossy().into_owned())
            }
            ("msbuild", "normalizedirectory") => {
                let mut text = self.combine(args).to_string_lossy().into_owned();
                if !text.ends_with('/') {
                    text.push('/');
                }
                Some(text)
            }
            ("msbuild", "ensuretrailingslash") => {
                let mut text = paths::msbuild_to_slash(arg(0));
                if !text.is_empty() && !text.ends_with('/') {
                    text.push('/');
                }
                Some(text)
            }
            ("msbuild", "valueordefault") => Some(if arg(0).is_empty() {
                arg(1).to_string()
            } else {
                arg(0).to_string()
            }),
            // Container images are built on Linux, so that is the platform evaluated for.
            ("msbuild", "isosplatform") => {
                Some(bool_text(arg(0).trim().eq_ignore_ascii_case("linux")))
            }
            ("msbuild", "isosunixlike") => Some(bool_text(true)),
            ("msbuild", "makerelative") => {
                let base = paths::resolve(self.project_dir, arg(0));
                let target = paths::resolve(self.project_dir, arg(1));
                Some(make_relative(&base, &target))
            }
            ("msbuild", "gettargetframeworkidentifier") => {
                Some(target_framework_identifier(arg(0)).to_string())
            }
            ("msbuild", "gettargetframeworkversion") => target_framework_version(arg(0)),
            ("msbuild", method) if method.starts_with("version") => {
                let ordering = compare_versions(arg(0), arg(1))?;
                let result = match method {
                    "versionequals" => ordering.is_eq(),
                    "versionnotequals" => ordering.is_ne(),
                    "versiongreaterthan" => ordering.is_gt(),
                    "versiongreaterthanorequals" => ordering.is_ge(),
                    "versionlessthan" => ordering.is_lt(),
                    "versionlessthanorequals" => ordering.is_le(),
                    _ => return None,
                };
                Some(bool_text(result))
            }
            ("system.io.path", "combine") => {
                let mut combined = PathBuf::new();
                for part in args {
                    combined.push(paths::msbuild_to_slash(part));
                }
                Some(combined.to_string_lossy().into_owned())
            }
            ("system.io.path", "getdirectoryname") => Some(
                Path::new(&paths::msbuild_to_slash(arg(0)))
                    .parent()
                    .map(|p| p.to_string_lossy().into_owned())
                    .unwrap_or_default(),
            ),
            ("system.io.path", "getfilename") => Some(
                Path::new(&paths::msbuild_to_slash(arg(0)))
                    .file_name()
                    .map(|p| p.to_string_lossy().into_owned())
                    .unwrap_or_default(),
            ),
            ("system.io.path", "getfilenamewithoutextension") => Some(paths::file_stem(Path::new(
                &paths::msbuild_to_slash(arg(0)),
            ))),
            ("system.io.path", "getextension") => Some(
                Path::new(&paths::msbuild_to_slash(arg(0)))
                    .extension()
                    .map(|e| format!(".{}", e.to_string_lossy()))
                    .unwrap_or_default(),
            ),
            ("system.io.file", "exists") => {
                let path = paths::resolve(self.project_dir, arg(0));
                self.probes.push(path.clone());
                Some(bool_text(self.fs.exists(&path)))
            }
            ("system.io.directory", "exists") => {
                Some(bool_text(paths::resolve(self.project_dir, arg(0)).is_dir()))
            }
            ("system.string", "isnullorempty") => Some(bool_text(arg(0).is_empty())),
            ("system.string", "isnullorwhitespace") => Some(bool_text(arg(0).trim().is_empty())),
            ("system.string", "copy") => Some(arg(0).to_string()),
            ("system.string", "concat") => Some(args.concat()),
            _ => None,
        }
    }

    fn combine(&self, args: &[String]) -> PathBuf {
        let mut combined = self.project_dir.to_path_buf();
        for part in args {
            combined.push(paths::msbuild_to_slash(part));
        }
        paths::normalize(&combined)
    }

    /// MSBuild's `GetPathOfFileAbove`: the first `file_name` in `start` or any ancestor.
    pub fn find_file_above(&mut self, start: &Path, file_name: &str) -> Option<PathBuf> {
        find_file_above(self.fs, self.probes, start, file_name)
    }
}

pub fn find_file_above(
    fs: &mut FileStore,
    probes: &mut Vec<PathBuf>,
    start: &Path,
    file_name: &str,
) -> Option<PathBuf> {
    if file_name.is_empty() || file_name.contains('/') {
        return None;
    }
    let mut dir = paths::normalize(start);
    loop {
        let candidate = dir.join(file_name);
        probes.push(candidate.clone());
        if fs.exists(&candidate) {
            return Some(candidate);
        }
        if !dir.pop() {
            return None;
        }
    }
}

fn bool_text(value: bool) -> String {
    if value { "True" } else { "False" }.to_string()
}

fn make_relative(base: &Path, target: &Path) -> String {
    let base: Vec<_> = base.components().collect();
    let target: Vec<_> = target.components().collect();
    let common = base
        .iter()
        .zip(target.iter())
        .take_while(|(a, b)| a == b)
        .count();
    let mut parts: Vec<String> = Vec::new();
    for _ in common..base.len() {
        parts.push("..".to_string());
    }
    for component in &target[common..] {
        parts.push(component.as_os_str().to_string_lossy().into_owned());
    }
    parts.join("/")
}

/// Instance methods on a string value (`$(Prop.Trim())`).
fn string_method(value: &str, method: &str, args: &[String]) -> Option<String> {
    let arg = |i: usize| args.get(i).map(String::as_str).unwrap_or("");
    Some(match method.to_ascii_lowercase().as_str() {
        "trim" if args.is_empty() => value.trim().to_string(),
        "trimend" if args.is_empty() => value.trim_end().to_string(),
        "trimstart" if args.is_empty() => value.trim_start().to_string(),
        "trimend" => {
            let chars: Vec<char> = args.iter().flat_map(|a| a.chars()).collect();
            value.trim_end_matches(chars.as_slice()).to_string()
        }
        "trimstart" => {
            let chars: Vec<char> = args.iter().flat_map(|a| a.chars()).collect();
            value.trim_start_matches(chars.as_slice()).to_string()
        }
        "tolower" | "tolowerinvariant" => value.to_lowercase(),
        "toupper" | "toupperinvariant" => value.to_uppercase(),
        "replace" => value.replace(arg(0), arg(1)),
        "startswith" => bool_text(value.starts_with(arg(0))),
        "endswith" => bool_text(value.ends_with(arg(0))),
        "contains" => bool_text(value.contains(arg(0))),
        "equals" => bool_text(value == arg(0)),
        "substring" => {
            let start: usize = arg(0).trim().parse().ok()?;
            let chars: Vec<char> = value.chars().collect();
            if start > chars.len() {
                return None;
            }
            let end = if args.len() > 1 {
                start.checked_add(arg(1).trim().parse::<usize>().ok()?)?
            } else {
                chars.len()
            };
            if end > chars.len() {
                return None;
            }
            chars[start..end].iter().collect()
        }
        _ => return None,
    })
}

/// `.NETCoreApp`, `.NETStandard` or `.NETFramework` for a short target framework moniker.
pub fn target_framework_identifier(tfm: &str) -> &'static str {
    let tfm = tfm.trim().to_ascii_lowercase();
    if tfm.starts_with("netstandard") {
        ".NETStandard"
    } else if tfm.starts_with("netcoreapp") {
        ".NETCoreApp"
    } else if let Some(rest) = tfm.strip_prefix("net") {
        if rest.contains('.') {
            ".NETCoreApp"
        } else {
            ".NETFramework"
        }
    } else {
        ""
    }
}

/// `8.0` for `net8.0`, `net8.0-windows`, `netcoreapp3.1` -> `3.1`; `4.8` for `net48`.
pub fn target_framework_version(tfm: &str) -> Option<String> {
    let tfm = tfm.trim().to_ascii_lowercase();
    let base = tfm.split('-').next().unwrap_or("");
    let digits = base
        .strip_prefix("netcoreapp")
        .or_else(|| base.strip_prefix("netstandard"))
        .or_else(|| base.strip_prefix("net"))?;
    if digits.is_empty() {
        return None;
    }
    if digits.contains('.') {
        Some(digits.to_string())
    } else {
        let mut chars = digits.chars();
        let major = chars.next()?;
        let rest: String = chars.collect();
        Some(if rest.is_empty() {
            format!("{major}.0")
        } else {
            let minor: Vec<String> = rest.chars().map(|c| c.to_string()).collect();
            format!("{major}.{}", minor.join("."))
        })
    }
}

/// Compares dotted versions numerically; `None` when either side is not a version.
pub fn compare_versions(a: &str, b: &str) -> Option<std::cmp::Ordering> {
    let parse = |v: &str| -> Option<Vec<u64>> {
        let v = v.trim().trim_start_matches(['v', 'V']);
        let v = v.split(['-', '+']).next()?;
        v.split('.').map(|p| p.parse::<u64>().ok()).collect()
    };
    let mut a = parse(a)?;
    let mut b = parse(b)?;
    let len = a.len().max(b.len());
    a.resize(len, 0);
    b.resize(len, 0);
    Some(a.cmp(&b))
}

/// Index of the `)` matching the `(` at `open`, skipping quoted strings.
pub fn find_closing_paren(text: &str, open: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut depth = 0usize;
    let mut quote: Option<u8> = None;
    let mut i = open;
    while i < bytes.len() {
        let b = bytes[i];
        match quote {
            Some(q) if b == q => quote = None,
            Some(_) => {}
            None => match b {
                b'\'' | b'"' | b'`' => quote = Some(b),
                b'(' => depth += 1,
                b')' => {
                    depth = depth.checked_sub(1)?;
                    if depth == 0 {
                        return Some(i);
                    }
                }
                _ => {}
            },
        }
        i += 1;
    }
    None
}

/// Splits `Method(args)rest` into its parts.
fn split_call(text: &str) -> Option<(&str, &str, &str)> {
    let open = text.find('(')?;
    let method = text[..open].trim();
    if method.is_empty()
        || !method
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_')
    {
        return None;
    }
    let close = find_closing_paren(text, open)?;
    Some((method, &text[open + 1..close], &text[close + 1..]))
}

/// Splits function arguments at top-level commas.
fn split_args(text: &str) -> Vec<&str> {
    if text.trim().is_empty() {
        return Vec::new();
    }
    let bytes = text.as_bytes();
    let mut parts = Vec::new();
    let mut depth = 0usize;
    let mut quote: Option<u8> = None;
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        match quote {
            Some(q) if b == q => quote = None,
            Some(_) => {}
            None => match b {
                b'\'' | b'"' | b'`' => quote = Some(b),
                b'(' => depth += 1,
                b')' => depth = depth.saturating_sub(1),
                b',' if depth == 0 => {
                    parts.push(text[start..i].trim());
                    start = i + 1;
                }
                _ => {}
            },
        }
    }
    parts.push(text[start..].trim());
    parts
}

fn unquote(arg: &str) -> &str {
    let arg = arg.trim();
    for quote in ['\'', '"', '`'] {
        if arg.len() >= 2 && arg.starts_with(quote) && arg.ends_with(quote) {
            return &arg[1..arg.len() - 1];
        }
    }
    arg
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dotnet::files::DEFAULT_MAX_FILE_SIZE;

    fn expand_with(bag: &PropertyBag, this_file: &Path, text: &str) -> Expansion {
        let mut fs = FileStore::new(DEFAULT_MAX_FILE_SIZE);
        let mut probes = Vec::new();
        Expander {
            properties: bag,
            this_file,
            project_dir: Path::new("/repo/src/App"),
            fs: &mut fs,
            probes: &mut probes,
        }
        .expand(text)
    }

    #[test]
    fn expands_properties_case_insensitively_and_reports_undefined() {
        let mut bag = PropertyBag::default();
        bag.set("Company", "Contoso".into(), None);
        let file = Path::new("/repo/src/App/App.csproj");
        let e = expand_with(&bag, file, "$(company).$( Company ).$(Missing)x");
        assert_eq!(e.value, "Contoso.Contoso.x");
        assert!(e.undefined_property);
        assert!(e.unsupported.is_empty());
    }

    #[test]
    fn this_file_properties_and_string_methods() {
        let bag = PropertyBag::default();
        let file = Path::new("/repo/build/common.props");
        let e = expand_with(&bag, file, "$(MSBuildThisFileDirectory)|$(MSBuildThisFileName)|$(MSBuildThisFile.ToUpper())|$(MSBuildThisFileExtension.Replace('.', '_'))");
        assert_eq!(e.value, "/repo/build/|common|COMMON.PROPS|_props");
    }

    #[test]
    fn msbuild_functions() {
        let bag = PropertyBag::default();
        let file = Path::new("/repo/x.props");
        let e = expand_with(&bag, file, "$([MSBuild]::VersionGreaterThanOrEquals('8.0', '6.0'))|$([MSBuild]::GetTargetFrameworkVersion('net8.0'))|$([MSBuild]::IsOSPlatform('Windows'))|$([System.IO.Path]::Combine('$(MSBuildThisFileDirectory)', 'a', 'b.props'))|$([MSBuild]::NormalizeDirectory('..', 'lib'))");
        assert_eq!(e.value, "True|8.0|False|/repo/a/b.props|/repo/src/lib/");
    }

    #[test]
    fn unsupported_functions_are_reported_and_expand_to_empty() {
        let bag = PropertyBag::default();
        let e = expand_with(
            &bag,
            Path::new("/r/a.props"),
            "a$([System.Guid]::NewGuid())b",
        );
        assert_eq!(e.value, "ab");
        assert_eq!(
            e.unsupported,
            vec!["$([System.Guid]::NewGuid(...))".to_string()]
        );
    }

    #[test]
    fn unbalanced_parenthesis_is_left_literal() {
        let bag = PropertyBag::default();
        let e = expand_with(&bag, Path::new("/r/a.props"), "x$(Foo");
        assert_eq!(e.value, "x$(Foo");
    }

    #[test]
    fn target_framework_helpers() {
        assert_eq!(
            target_framework_version("net8.0-windows").as_deref(),
            Some("8.0")
        );
        assert_eq!(
            target_framework_version("netcoreapp3.1").as_deref(),
            Some("3.1")
        );
        assert_eq!(target_framework_version("net472").as_deref(), Some("4.7.2"));
        assert_eq!(target_framework_identifier("net48"), ".NETFramework");
        assert_eq!(target_framework_identifier("net10.0"), ".NETCoreApp");
        assert_eq!(
            compare_versions("10.0.100", "9.0.300"),
            Some(std::cmp::Ordering::Greater)
        );
        assert_eq!(compare_versions("abc", "1"), None);
    }
}
