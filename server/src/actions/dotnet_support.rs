//! Helpers shared by the .NET restore actions: the rules' restore model seen from an action,
//! whole-line edits, COPY lines, `RUN --mount` flags and the user's home directory.

use crate::model::{unquote, CliWord, DotnetCommand, Model};
use crate::syntax::{Args, Instruction, Keyword, SyntaxTree};
use crate::text::TextRange;

/// The start of the line holding `offset`.
pub(crate) fn line_start(text: &str, offset: usize) -> usize {
    let offset = offset.min(text.len());
    text.get(..offset)
        .and_then(|before| before.rfind('\n'))
        .map_or(0, |at| at + 1)
}

/// The whole lines of `range`, with the line break that ends them: deleting this range
/// removes the lines without leaving an empty one.
pub(crate) fn whole_lines(text: &str, range: TextRange) -> TextRange {
    let start = line_start(text, range.start());
    let end = match text.get(range.end()..).and_then(|rest| rest.find('\n')) {
        Some(at) => range.end() + at + 1,
        None => text.len(),
    };
    TextRange::new(start, end)
}

/// The source text of an instruction's lines, without the final line break.
pub(crate) fn instruction_text<'a>(text: &'a str, inst: &Instruction) -> &'a str {
    let start = line_start(text, inst.range.start());
    text.get(start..inst.range.end()).unwrap_or_default()
}

/// `COPY a b dest/`, or the JSON-array form when a path has a space (the shell form would
/// split it) or the Dockerfile writes its COPYs that way.
pub(crate) fn copy_line(sources: &[String], destination: &str, prefer_json: bool) -> String {
    let needs_json = prefer_json
        || sources
            .iter()
            .chain(std::iter::once(&destination.to_string()))
            .any(|p| p.contains([' ', '\t']));
    if needs_json {
        let quoted: Vec<String> = sources
            .iter()
            .map(String::as_str)
            .chain(std::iter::once(destination))
            .map(|p| serde_json::Value::String(p.to_string()).to_string())
            .collect();
        format!("COPY [{}]", quoted.join(", "))
    } else {
        format!("COPY {} {destination}", sources.join(" "))
    }
}

/// A container path as written after `WORKDIR workdir`: relative when it is below it
/// (`./` for the directory itself), absolute otherwise. Directories keep a trailing `/`.
pub(crate) fn relative_to_workdir(workdir: &str, container_path: &str, is_dir: bool) -> String {
    let workdir = workdir.trim_end_matches('/');
    let rest = if workdir.is_empty() {
        container_path.strip_prefix('/')
    } else {
        container_path.strip_prefix(workdir).and_then(|r| {
            if r.is_empty() {
                Some(r)
            } else {
                r.strip_prefix('/')
            }
        })
    };
    match (rest, is_dir) {
        (Some(""), true) => "./".to_string(),
        (Some(""), false) => ".".to_string(),
        (Some(rest), true) => format!("{rest}/"),
        (Some(rest), false) => rest.to_string(),
        (None, true) => format!("{}/", container_path.trim_end_matches('/')),
        (None, false) => container_path.to_string(),
    }
}

/// Whether the text of `command` leaves a quote open: an option appended after it would land
/// inside the quoted word, and the fix would never satisfy its rule.
pub(crate) fn leaves_quote_open(text: &str, command: &DotnetCommand) -> bool {
    let command = text
        .get(command.range.start()..command.range.end())
        .unwrap_or_default();
    command.matches('"').count() % 2 == 1 || command.matches('\'').count() % 2 == 1
}

/// The runtime a command targets: (`-r`/`-a`/`--os`, the word as written).
pub(crate) fn runtime_option(command: &DotnetCommand) -> Option<(&'static str, &CliWord)> {
    if let Some(w) = &command.runtime {
        return Some(("-r", w));
    }
    if let Some(w) = &command.arch {
        return Some(("-a", w));
    }
    command.os.as_ref().map(|w| ("--os", w))
}

/// The arguments BuildKit sets on every build: a stage that uses one only has to declare
/// it with a bare `ARG`.
pub(crate) const AUTOMATIC_PLATFORM_ARGS: &[&str] = &[
    "TARGETPLATFORM",
    "TARGETOS",
    "TARGETARCH",
    "TARGETVARIANT",
    "BUILDPLATFORM",
    "BUILDOS",
    "BUILDARCH",
    "BUILDVARIANT",
];

/// The variable names a word references (`$A`, `${B}`, `${C:-x}`).
pub(crate) fn referenced_variables(word: &str) -> Vec<String> {
    let mut names = Vec::new();
    let bytes = word.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] != b'$' {
            i += 1;
            continue;
        }
        let braced = bytes.get(i + 1) == Some(&b'{');
        let start = if braced { i + 2 } else { i + 1 };
        let mut end = start;
        while end < bytes.len() && (bytes[end].is_ascii_alphanumeric() || bytes[end] == b'_') {
            end += 1;
        }
        if end > start {
            if let Some(name) = word.get(start..end) {
                if !names.iter().any(|n: &String| n == name) {
                    names.push(name.to_string());
                }
            }
        }
        i = end.max(i + 1);
    }
    names
}

/// Whether variable `name` has been declared (ARG or ENV) before instruction `before` of
/// `stage`, in the stage or the stages it derives from.
pub(crate) fn declared_at(model: &Model, stage: usize, before: usize, name: &str) -> bool {
    model.scope_at(stage, before).iter().any(|(n, _)| n == name)
}

/// `ARG` lines a command needs at instruction `before` of `stage` so that `word` means
/// there what it means where it was written; `None` when it references a variable of the
/// Dockerfile that is not in scope there (copying the word would change its meaning).
pub(crate) fn missing_platform_args(
    model: &Model,
    stage: usize,
    before: usize,
    word: &str,
) -> Option<Vec<String>> {
    let mut lines = Vec::new();
    for name in referenced_variables(word) {
        if declared_at(model, stage, before, &name) {
            continue;
        }
        if !AUTOMATIC_PLATFORM_ARGS.contains(&name.as_str()) {
            return None;
        }
        lines.push(format!("ARG {name}"));
    }
    Some(lines)
}

/// Where a new flag of a RUN goes: after the existing flags, before the command.
pub(crate) fn run_flag_offset(inst: &Instruction) -> usize {
    inst.flags
        .iter()
        .map(|f| f.range.end())
        .max()
        .unwrap_or(inst.keyword_range.end())
}

/// The `--mount` values of a RUN.
pub(crate) fn mount_values(inst: &Instruction) -> impl Iterator<Item = &str> {
    inst.flags
        .iter()
        .filter(|f| f.name.eq_ignore_ascii_case("mount"))
        .filter_map(|f| f.value.as_ref().map(|v| v.text.as_str()))
}

/// The value of option `key` of a `--mount` value (`type=cache,target=/x`).
pub(crate) fn mount_option<'v>(mount: &'v str, key: &str) -> Option<&'v str> {
    mount.split(',').find_map(|option| {
        let (k, v) = option.split_once('=')?;
        k.trim().eq_ignore_ascii_case(key).then(|| v.trim())
    })
}

/// The user a RUN at instruction `before` of `stage` runs as: the last `USER` of the stage
/// and the stages it derives from, as written (`None`: the image's default, root for the
/// SDK images).
pub(crate) fn user_at(
    tree: &SyntaxTree,
    model: &Model,
    stage: usize,
    before: usize,
) -> Option<(usize, String)> {
    let mut current = model.stages.get(stage);
    let mut seen = Vec::new();
    while let Some(s) = current {
        if seen.contains(&s.index) {
            break;
        }
        seen.push(s.index);
        for idx in s.instructions.clone().rev() {
            if s.index == stage && idx >= before {
                continue;
            }
            let Some(inst) = tree.instructions.get(idx) else {
                continue;
            };
            if let (Keyword::User, Args::String(word)) = (&inst.keyword, &inst.args) {
                return Some((s.index, unquote(word.text.trim())));
            }
        }
        current = match s.base {
            crate::model::BaseImage::Stage(parent) if parent < s.index => model.stages.get(parent),
            _ => None,
        };
    }
    None
}

/// The home directory (and numeric UID for a cache mount's owner) of the user a RUN runs as,
/// when Dockside knows it: root, and the `app` user of the .NET 8+ images (`$APP_UID`,
/// 1654, home `/home/app`).
pub(crate) fn user_home(
    tree: &SyntaxTree,
    model: &Model,
    stage: usize,
    before: usize,
) -> Option<(String, Option<u32>)> {
    let Some((user_stage, written)) = user_at(tree, model, stage, before) else {
        return Some(("/root".to_string(), None));
    };
    let user = written.split(':').next().unwrap_or_default().trim();
    if matches!(user, "$APP_UID" | "${APP_UID}" | "app" | "1654") {
        return Some(("/home/app".to_string(), Some(1654)));
    }
    let expanded = model.expand_at(user_stage, before, user);
    if !expanded.is_complete() {
        return None;
    }
    match expanded.text.as_str() {
        "root" | "0" => Some(("/root".to_string(), None)),
        "app" | "1654" => Some(("/home/app".to_string(), Some(1654))),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copy_lines_and_workdir_relative_paths() {
        assert_eq!(
            copy_line(&["a.csproj".into(), "b.props".into()], "./", false),
            "COPY a.csproj b.props ./"
        );
        assert_eq!(
            copy_line(&["My App/My App.csproj".into()], "My App/", false),
            "COPY [\"My App/My App.csproj\", \"My App/\"]"
        );
        assert_eq!(relative_to_workdir("/src", "/src", true), "./");
        assert_eq!(relative_to_workdir("/src", "/src/a/b", true), "a/b/");
        assert_eq!(
            relative_to_workdir("/src/", "/src/a.csproj", false),
            "a.csproj"
        );
        assert_eq!(relative_to_workdir("/src", "/srcx/a", true), "/srcx/a/");
        assert_eq!(relative_to_workdir("/", "/a/b.csproj", false), "a/b.csproj");
    }

    #[test]
    fn variables_and_lines() {
        assert_eq!(
            referenced_variables("linux-${TARGETARCH}-$X $"),
            ["TARGETARCH", "X"]
        );
        let text = "FROM a\nRUN b\nRUN c";
        assert_eq!(line_start(text, 9), 7);
        assert_eq!(
            whole_lines(text, TextRange::new(7, 12)),
            TextRange::new(7, 13)
        );
        assert_eq!(
            whole_lines(text, TextRange::new(13, 18)),
            TextRange::new(13, 18)
        );
        assert_eq!(
            mount_option("type=cache, target=/root/.nuget", "target"),
            Some("/root/.nuget")
        );
    }
}
