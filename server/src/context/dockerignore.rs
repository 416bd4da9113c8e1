//! `.dockerignore` with Docker's exact rules (moby `patternmatcher` and `ignorefile`), compiled
//! to `globset` matchers. These are not gitignore rules: patterns are anchored at the context
//! root, `*` never crosses `/`, `bin` matches only the top-level `bin`, a match on a parent
//! directory excludes everything below it, `!` re-includes, and the last matching pattern wins.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use globset::{GlobBuilder, GlobMatcher};
use rustc_hash::FxHashMap;

use crate::text::TextRange;

/// One pattern line.
#[derive(Clone, Debug)]
pub struct DockerignorePattern {
    /// 1-based line number.
    pub line: usize,
    /// Range of the pattern on its line (after trimming, including a leading `!`).
    pub range: TextRange,
    /// The pattern as written (trimmed).
    pub text: String,
    /// The pattern as Docker uses it: cleaned like Go's `filepath.Clean`, leading `/` removed,
    /// without the `!`.
    pub cleaned: String,
    /// A `!` pattern: re-includes what earlier patterns excluded.
    pub exclusion: bool,
    matchers: Vec<GlobMatcher>,
}

impl DockerignorePattern {
    fn matches(&self, path: &str) -> bool {
        self.matchers.iter().any(|m| m.is_match(path))
    }
}

/// A pattern Docker would refuse (the whole build fails with "syntax error in pattern").
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InvalidPattern {
    pub line: usize,
    pub range: TextRange,
    pub text: String,
    pub message: String,
}

/// Which pattern decided that a path is excluded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MatchedPattern {
    pub line: usize,
    pub range: TextRange,
    /// The pattern as written.
    pub pattern: String,
    /// The path that matched: the path itself or one of its parent directories.
    pub matched_path: String,
}

#[derive(Clone, Debug, Default)]
pub struct Dockerignore {
    patterns: Vec<DockerignorePattern>,
    invalid: Vec<InvalidPattern>,
    memo: Memo,
    outputs_memo: OutputsMemo,
}

/// The answers of [`Dockerignore::is_excluded`], shared by the clones of one parsed file: the
/// Dockerfiles of a solution share their context's `.dockerignore` (see `SolutionSnapshot`)
/// and rules ask it about every project folder of the context.
#[derive(Clone, Default)]
struct Memo(Arc<Mutex<FxHashMap<String, Option<MatchedPattern>>>>);

/// The answers of [`Dockerignore::missing_build_output_exclusions`] by the hash of the
/// project folders asked about, with those folders (a `COPY . .` in each of hundreds of
/// Dockerfiles asks about all the solution's projects).
#[derive(Clone, Default)]
struct OutputsMemo(Arc<Mutex<FxHashMap<u64, FoldersAndMissing>>>);

/// The project folders asked about, and the build output folders missing for them.
type FoldersAndMissing = (Vec<String>, Vec<String>);

impl std::fmt::Debug for OutputsMemo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("OutputsMemo")
    }
}

/// The memo of build output answers keeps at most this many lists of folders.
const OUTPUTS_MEMO_LIMIT: usize = 1_000;

/// The memo forgets everything when it holds this many paths.
const MEMO_LIMIT: usize = 200_000;

impl std::fmt::Debug for Memo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Memo")
    }
}

impl Memo {
    fn get(&self, path: &str) -> Option<Option<MatchedPattern>> {
        self.0.lock().ok()?.get(path).cloned()
    }

    fn excludes(&self, path: &str) -> Option<bool> {
        Some(self.0.lock().ok()?.get(path)?.is_some())
    }

    fn insert(&self, path: &str, answer: &Option<MatchedPattern>) {
        if let Ok(mut memo) = self.0.lock() {
            if memo.len() >= MEMO_LIMIT {
                memo.clear();
            }
            memo.insert(path.to_string(), answer.clone());
        }
    }
}

/// Whether build outputs are excluded at every depth of the context.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BuildOutputCoverage {
    pub bin_everywhere: bool,
    pub obj_everywhere: bool,
}

impl BuildOutputCoverage {
    pub fn complete(self) -> bool {
        self.bin_everywhere && self.obj_everywhere
    }
}

/// More `**` forms than this in one pattern are refused instead of expanded (each one in the
/// middle of a name doubles the number of globs).
const MAX_INNER_RECURSIVE: usize = 4;

impl Dockerignore {
    /// Reads a .dockerignore the way `moby/patternmatcher/ignorefile.ReadAll` does.
    pub fn parse(text: &str) -> Dockerignore {
        let mut result = Dockerignore::default();
        let mut offset = 0;
        for (index, raw_line) in text.split_inclusive('\n').enumerate() {
            let line_start = offset;
            offset += raw_line.len();
            let mut line = raw_line.strip_suffix('\n').unwrap_or(raw_line);
            line = line.strip_suffix('\r').unwrap_or(line);
            let mut start = line_start;
            if index == 0 {
                if let Some(rest) = line.strip_prefix('\u{feff}') {
                    start += line.len() - rest.len();
                    line = rest;
                }
            }
            // Docker checks for comments before trimming: "  # x" is a pattern.
            if line.starts_with('#') {
                continue;
            }
            let trimmed = line.trim();
            if trimmed.is_empty() {
                continue;
            }
            let leading = line.len() - line.trim_start().len();
            let range = TextRange::new(start + leading, start + leading + trimmed.len());
            let (exclusion, body) = match trimmed.strip_prefix('!') {
                Some(rest) => (true, rest.trim()),
                None => (false, trimmed),
            };
            let line_number = index + 1;
            if exclusion && body.is_empty() {
                result.invalid.push(InvalidPattern {
                    line: line_number,
                    range,
                    text: trimmed.to_string(),
                    message: "illegal exclusion pattern: \"!\"".to_string(),
                });
                continue;
            }
            let mut cleaned = go_clean(body);
            if cleaned.len() > 1 && cleaned.starts_with('/') {
                cleaned.remove(0);
            }
            match compile(&cleaned) {
                Ok(matchers) => result.patterns.push(DockerignorePattern {
                    line: line_number,
                    range,
                    text: trimmed.to_string(),
                    cleaned,
                    exclusion,
                    matchers,
                }),
                Err(message) => result.invalid.push(InvalidPattern {
                    line: line_number,
                    range,
                    text: trimmed.to_string(),
                    message,
                }),
            }
        }
        result
    }

    pub fn patterns(&self) -> &[DockerignorePattern] {
        &self.patterns
    }

    pub fn invalid_patterns(&self) -> &[InvalidPattern] {
        &self.invalid
    }

    /// Whether `relative_path` (relative to the context root, `/`-separated) is left out of
    /// the build context, and by which pattern. Follows `PatternMatcher.MatchesOrParentMatches`.
    pub fn is_excluded(&self, relative_path: &str) -> Option<MatchedPattern> {
        if let Some(answer) = self.memo.get(relative_path) {
            return answer;
        }
        let answer = self.decide(relative_path);
        self.memo.insert(relative_path, &answer);
        answer
    }

    /// Whether `relative_path` is left out of the build context: [`Self::is_excluded`]
    /// without the deciding pattern.
    pub fn excludes(&self, relative_path: &str) -> bool {
        match self.memo.excludes(relative_path) {
            Some(answer) => answer,
            None => self.is_excluded(relative_path).is_some(),
        }
    }

    fn decide(&self, relative_path: &str) -> Option<MatchedPattern> {
        let file = clean_relative(relative_path);
        if file.is_empty() || file == "." {
            return None;
        }
        let parents: Vec<&str> = match file.rfind('/') {
            Some(slash) => {
                let parent = &file[..slash];
                parent
                    .match_indices('/')
                    .map(|(i, _)| &parent[..i])
                    .chain(std::iter::once(parent))
                    .collect()
            }
            None => Vec::new(),
        };
        let mut matched: Option<MatchedPattern> = None;
        for pattern in &self.patterns {
            // An exclusion can only undo a match; an inclusion only matters while unmatched.
            if pattern.exclusion != matched.is_some() {
                continue;
            }
            let hit = if pattern.matches(&file) {
                Some(file.as_str())
            } else {
                parents
                    .iter()
                    .copied()
                    .find(|parent| pattern.matches(parent))
            };
            if let Some(hit) = hit {
                matched = if pattern.exclusion {
                    None
                } else {
                    Some(MatchedPattern {
                        line: pattern.line,
                        range: pattern.range,
                        pattern: pattern.text.clone(),
                        matched_path: hit.to_string(),
                    })
                };
            }
        }
        matched
    }

    /// Whether `bin/` and `obj/` are excluded wherever a project may sit (the root, and one to
    /// four directories deep).
    pub fn build_outputs_coverage(&self) -> BuildOutputCoverage {
        let everywhere = |dir: &str| {
            ["", "src/", "src/App/", "src/App/Sub/", "a/b/c/d/"]
                .iter()
                .all(|prefix| {
                    self.is_excluded(&format!("{prefix}{dir}/Release/net8.0/App.dll"))
                        .is_some()
                })
        };
        BuildOutputCoverage {
            bin_everywhere: everywhere("bin"),
            obj_everywhere: everywhere("obj"),
        }
    }

    /// The `<project dir>/bin` and `<project dir>/obj` folders that are not excluded, for the
    /// given project directories relative to the context (`""` for the context root).
    pub fn missing_build_output_exclusions(&self, project_dirs: &[&str]) -> Vec<String> {
        use std::hash::{Hash, Hasher};
        let mut hasher = rustc_hash::FxHasher::default();
        project_dirs.hash(&mut hasher);
        let key = hasher.finish();
        let same = |dirs: &Vec<String>| {
            dirs.iter()
                .map(String::as_str)
                .eq(project_dirs.iter().copied())
        };
        if let Ok(memo) = self.outputs_memo.0.lock() {
            if let Some((_, missing)) = memo.get(&key).filter(|(dirs, _)| same(dirs)) {
                return missing.clone();
            }
        }
        let missing = self.compute_missing_build_output_exclusions(project_dirs);
        if let Ok(mut memo) = self.outputs_memo.0.lock() {
            if memo.len() >= OUTPUTS_MEMO_LIMIT {
                memo.clear();
            }
            let dirs = project_dirs.iter().map(|d| d.to_string()).collect();
            memo.insert(key, (dirs, missing.clone()));
        }
        missing
    }

    fn compute_missing_build_output_exclusions(&self, project_dirs: &[&str]) -> Vec<String> {
        let mut missing = Vec::new();
        for dir in project_dirs {
            let dir = clean_relative(dir);
            for output in ["bin", "obj"] {
                let folder = if dir.is_empty() || dir == "." {
                    output.to_string()
                } else {
                    format!("{dir}/{output}")
                };
                if !self.excludes(&format!("{folder}/Release/App.dll")) {
                    missing.push(folder);
                }
            }
        }
        missing
    }
}

/// Which ignore file Docker reads for a build.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DockerignoreSource {
    /// `<Dockerfile>.dockerignore` next to the Dockerfile; it replaces the context's file.
    PerDockerfile(PathBuf),
    /// `.dockerignore` at the root of the build context.
    ContextRoot(PathBuf),
}

impl DockerignoreSource {
    pub fn path(&self) -> &Path {
        match self {
            DockerignoreSource::PerDockerfile(path) | DockerignoreSource::ContextRoot(path) => path,
        }
    }
}

/// The ignore file that applies to building `dockerfile` with `context_dir`, if any exists.
pub fn dockerignore_for(context_dir: &Path, dockerfile: &Path) -> Option<DockerignoreSource> {
    if let Some(name) = dockerfile.file_name().and_then(|n| n.to_str()) {
        let specific = dockerfile.with_file_name(format!("{name}.dockerignore"));
        if specific.is_file() {
            return Some(DockerignoreSource::PerDockerfile(specific));
        }
    }
    let shared = context_dir.join(".dockerignore");
    shared
        .is_file()
        .then_some(DockerignoreSource::ContextRoot(shared))
}

/// Go's `filepath.Clean` on a `/`-separated path.
pub fn go_clean(path: &str) -> String {
    if path.is_empty() {
        return ".".to_string();
    }
    let rooted = path.starts_with('/');
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => match parts.last() {
                Some(&last) if last != ".." => {
                    parts.pop();
                }
                _ if rooted => {}
                _ => parts.push(".."),
            },
            other => parts.push(other),
        }
    }
    let joined = parts.join("/");
    match (rooted, joined.is_empty()) {
        (true, _) => format!("/{joined}"),
        (false, true) => ".".to_string(),
        (false, false) => joined,
    }
}

/// A context-relative path as Docker compares it: cleaned, without `./` or a leading `/`.
fn clean_relative(path: &str) -> String {
    let cleaned = go_clean(&path.replace('\\', "/"));
    cleaned.trim_start_matches('/').to_string()
}

#[derive(Clone, Debug, PartialEq)]
enum Token {
    Literal(char),
    Star,
    Question,
    Class(String),
    /// `**` at the end: any suffix (regex `.*`).
    AnySuffix,
    /// `**` or `**/` before more pattern: any number of directories (regex `(.*/)?`).
    AnyDirs,
}

fn tokenize(pattern: &str) -> Result<Vec<Token>, String> {
    let chars: Vec<char> = pattern.chars().collect();
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        match chars[i] {
            '*' if chars.get(i + 1) == Some(&'*') => {
                i += 2;
                if chars.get(i) == Some(&'/') {
                    i += 1;
                }
                tokens.push(if i >= chars.len() {
                    Token::AnySuffix
                } else {
                    Token::AnyDirs
                });
                continue;
            }
            '*' => tokens.push(Token::Star),
            '?' => tokens.push(Token::Question),
            '[' => {
                let mut j = i + 1;
                let mut class = String::from("[");
                // moby turns the pattern into a Go regexp, where `[^...]` negates and `[!...]`
                // is a class containing `!`; globset negates both, so a leading `!` moves to
                // the end of the class.
                let mut literal_bang = false;
                match chars.get(j) {
                    Some('^') => {
                        class.push('!');
                        j += 1;
                    }
                    Some('!') => {
                        literal_bang = true;
                        j += 1;
                    }
                    _ => {}
                }
                let mut closed = false;
                let mut first = !literal_bang;
                while j < chars.len() {
                    let c = chars[j];
                    if c == ']' && !first {
                        closed = true;
                        break;
                    }
                    if c == '\\' {
                        j += 1;
                        let Some(&escaped) = chars.get(j) else {
                            break;
                        };
                        class.push(escaped);
                    } else {
                        class.push(c);
                    }
                    first = false;
                    j += 1;
                }
                if !closed {
                    return Err(format!(
                        "syntax error in pattern \"{pattern}\": unclosed '['"
                    ));
                }
                if literal_bang && class == "[" {
                    tokens.push(Token::Literal('!'));
                    i = j + 1;
                    continue;
                }
                if literal_bang {
                    class.push('!');
                }
                class.push(']');
                tokens.push(Token::Class(class));
                i = j;
            }
            '\\' => match chars.get(i + 1) {
                Some(&escaped) => {
                    tokens.push(Token::Literal(escaped));
                    i += 1;
                }
                None => tokens.push(Token::Literal('\\')),
            },
            c => tokens.push(Token::Literal(c)),
        }
        i += 1;
    }
    Ok(tokens)
}

/// Compiles a cleaned moby pattern into globset matchers whose union matches exactly what
/// moby's regular expression matches.
fn compile(pattern: &str) -> Result<Vec<GlobMatcher>, String> {
    let tokens = tokenize(pattern)?;
    let inner = tokens
        .iter()
        .enumerate()
        .filter(|(i, t)| {
            matches!(t, Token::AnyDirs | Token::AnySuffix) && !at_component_start(&tokens, *i)
        })
        .count();
    if inner > MAX_INNER_RECURSIVE {
        return Err(format!(
            "pattern \"{pattern}\" has too many '**' inside names"
        ));
    }
    let mut variants: Vec<String> = vec![String::new()];
    for (i, token) in tokens.iter().enumerate() {
        let start = at_component_start(&tokens, i);
        let pieces: Vec<&str> = match token {
            Token::Literal(c) => {
                let text = escape_literal(*c);
                variants.iter_mut().for_each(|v| v.push_str(&text));
                continue;
            }
            Token::Star => vec!["*"],
            Token::Question => vec!["?"],
            Token::Class(class) => {
                variants.iter_mut().for_each(|v| v.push_str(class));
                continue;
            }
            // `(.*/)?` at a name start is globset's `**/`; inside a name it is either nothing
            // or "rest of this name, a slash, any directories".
            Token::AnyDirs if start => vec!["**/"],
            Token::AnyDirs => vec!["", "*/**/"],
            // `.*` at a name start is `**` (or `/**` after a directory); inside a name it is
            // "rest of this name" or "rest of this name, a slash, anything".
            Token::AnySuffix if start => vec!["**"],
            Token::AnySuffix => vec!["*", "*/**"],
        };
        variants = variants
            .iter()
            .flat_map(|v| pieces.iter().map(move |p| format!("{v}{p}")))
            .collect();
    }
    variants
        .iter()
        .map(|glob| {
            GlobBuilder::new(glob)
                .literal_separator(true)
                .backslash_escape(true)
                .build()
                .map(|g| g.compile_matcher())
                .map_err(|error| format!("syntax error in pattern \"{pattern}\": {error}"))
        })
        .collect()
}

fn at_component_start(tokens: &[Token], index: usize) -> bool {
    index == 0 || tokens.get(index - 1) == Some(&Token::Literal('/'))
}

fn escape_literal(c: char) -> String {
    match c {
        '{' | '}' | ',' | '[' | ']' | '*' | '?' | '\\' | '!' => format!("\\{c}"),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn excluded(patterns: &str, path: &str) -> bool {
        Dockerignore::parse(patterns).is_excluded(path).is_some()
    }

    /// (patterns, path, excluded?) — semantics of moby patternmatcher, cross-checked against
    /// docker-py 7.1.0 `exclude_paths` where the two agree (see the module tests below for
    /// the known difference on re-included children).
    const CASES: &[(&str, &str, bool)] = &[
        ("*.md", "README.md", true),
        ("*.md", "docs/README.md", false),
        ("**/*.md", "docs/README.md", true),
        ("**/*.md", "README.md", true),
        ("bin", "bin/Debug/App.dll", true),
        ("bin", "src/App/bin/Debug/App.dll", false),
        ("bin/", "bin/x", true),
        ("**/bin", "src/App/bin/Debug/App.dll", true),
        ("**/bin/", "bin/Release/App.dll", true),
        ("*/obj", "src/obj/x", true),
        ("*/obj", "src/App/obj/x", false),
        ("*/*/obj", "src/App/obj/x", true),
        ("/docs", "docs/a.txt", true),
        ("/docs", "src/docs/a.txt", false),
        ("./docs/../secrets", "secrets/key.pem", true),
        ("src\n!src/keep.txt", "src/keep.txt", false),
        ("src\n!src/keep.txt", "src/other.txt", true),
        ("!src/keep.txt\nsrc", "src/keep.txt", true),
        ("**/*.cs\n!src/App/Program.cs", "src/App/Program.cs", false),
        ("**/*.cs\n!src/App/Program.cs", "src/Lib/Class1.cs", true),
        ("node_modules", "web/node_modules/x.js", false),
        ("docs/*.md\n!docs/README.md", "docs/guide.md", true),
        ("docs/*.md\n!docs/README.md", "docs/README.md", false),
        ("*", "anything/at/all", true),
        ("**", "a/b/c", true),
        ("a/**", "a/b/c", true),
        ("a/**", "a", false),
        ("a/**/b", "a/b", true),
        ("a/**/b", "a/x/y/b", true),
        ("a**b", "ab", true),
        ("a**b", "ax/y/b", true),
        ("a**b", "xab", false),
        ("**.cs", "x/.cs", true),
        ("**.cs", "Program.cs", false),
        ("src**", "src2/x", true),
        ("src**", "src/a/b", true),
        ("?.txt", "a.txt", true),
        ("?.txt", "ab.txt", false),
        ("[a-c].txt", "b.txt", true),
        // Go regexp semantics: `[!a-c]` is a class of `!` and a-c, not a negation. docker-py
        // 7.1.0 negates here (keeps b.txt); moby compiles the pattern to a Go regexp.
        ("[!a-c].txt", "b.txt", true),
        ("[!a-c].txt", "d.txt", false),
        ("[!].txt", "!.txt", true),
        ("[^a-c].txt", "d.txt", true),
        ("\\*.txt", "*.txt", true),
        ("\\*.txt", "a.txt", false),
        ("{a,b}", "{a,b}", true),
        ("{a,b}", "a", false),
        ("  # not a comment", "# not a comment", true),
        ("# comment\n\n   \n", "# comment", false),
        ("*.Dockerfile", "Api.Dockerfile", true),
        ("**/.git\n!.git/HEAD", ".git/HEAD", false),
        ("**/.git\n!.git/HEAD", ".git/objects/ab/cdef", true),
        ("/", "anything", false),
        ("secrets/../../outside", "outside/x", false),
    ];

    #[test]
    fn moby_semantics_table() {
        for (patterns, path, expected) in CASES {
            assert_eq!(
                excluded(patterns, path),
                *expected,
                "patterns {patterns:?} path {path:?}"
            );
        }
    }

    #[test]
    fn reports_which_line_excluded_a_path() {
        let text = "# .NET\n**/bin\n**/obj\n\n  secrets.json  \n";
        let ignore = Dockerignore::parse(text);
        let matched = ignore
            .is_excluded("src/Api/obj/project.assets.json")
            .unwrap();
        assert_eq!(matched.line, 3);
        assert_eq!(matched.pattern, "**/obj");
        assert_eq!(matched.matched_path, "src/Api/obj");
        assert_eq!(&text[matched.range.as_range()], "**/obj");
        let secret = ignore.is_excluded("./secrets.json").unwrap();
        assert_eq!(
            (secret.line, &text[secret.range.as_range()]),
            (5, "secrets.json")
        );
        assert_eq!(ignore.is_excluded("src/Api/Program.cs"), None);
    }

    #[test]
    fn cleaned_patterns_and_invalid_ones() {
        let text = "\u{feff}/src/\n!\n[abc\n!  ./keep\n";
        let ignore = Dockerignore::parse(text);
        let cleaned: Vec<(&str, bool)> = ignore
            .patterns()
            .iter()
            .map(|p| (p.cleaned.as_str(), p.exclusion))
            .collect();
        assert_eq!(cleaned, [("src", false), ("keep", true)]);
        let invalid: Vec<(usize, &str)> = ignore
            .invalid_patterns()
            .iter()
            .map(|p| (p.line, p.text.as_str()))
            .collect();
        assert_eq!(invalid, [(2, "!"), (3, "[abc")]);
        assert_eq!(
            ignore.invalid_patterns()[0].message,
            "illegal exclusion pattern: \"!\""
        );
    }

    #[test]
    fn build_output_coverage() {
        let complete = Dockerignore::parse("**/bin/\n**/obj/\n");
        assert!(complete.build_outputs_coverage().complete());
        let top_only = Dockerignore::parse("bin\nobj\n");
        assert_eq!(
            top_only.build_outputs_coverage(),
            BuildOutputCoverage {
                bin_everywhere: false,
                obj_everywhere: false
            }
        );
        assert_eq!(
            top_only.missing_build_output_exclusions(&["", "src/Api"]),
            ["src/Api/bin", "src/Api/obj"]
        );
        let partial = Dockerignore::parse("**/bin\n*/obj\n");
        assert_eq!(
            partial.build_outputs_coverage(),
            BuildOutputCoverage {
                bin_everywhere: true,
                obj_everywhere: false
            }
        );
    }

    #[test]
    fn go_clean_matches_go() {
        let cases = [
            ("", "."),
            ("a/b/", "a/b"),
            ("./a", "a"),
            ("a//b", "a/b"),
            ("a/../..", ".."),
            ("/../a", "/a"),
            ("../../x", "../../x"),
            ("/", "/"),
        ];
        for (input, expected) in cases {
            assert_eq!(go_clean(input), expected, "{input}");
        }
    }

    #[test]
    fn per_dockerfile_ignore_file_wins() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("build")).unwrap();
        std::fs::write(root.join(".dockerignore"), "x").unwrap();
        let dockerfile = root.join("build/Api.Dockerfile");
        assert_eq!(
            dockerignore_for(root, &dockerfile),
            Some(DockerignoreSource::ContextRoot(root.join(".dockerignore")))
        );
        std::fs::write(root.join("build/Api.Dockerfile.dockerignore"), "y").unwrap();
        assert_eq!(
            dockerignore_for(root, &dockerfile),
            Some(DockerignoreSource::PerDockerfile(
                root.join("build/Api.Dockerfile.dockerignore")
            ))
        );
        assert_eq!(
            dockerignore_for(&root.join("build"), &root.join("Dockerfile")),
            None
        );
    }
}
