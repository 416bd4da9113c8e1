//! Completion: instruction keywords (with snippets, JSON forms included), the flags of the
//! instruction at the cursor and their values (`--mount=type=cache,target=...`), parser
//! directives, variables after `$`/`${`, stage names after `--from=` and in FROM, `dotnet`
//! subcommands, options and values inside RUN, build-context paths after COPY/ADD and image
//! names and tags (the last two through the providers of [`IdeEnv`]).
//!
//! Items carry a [`DocKey`]; [`resolve_documentation`] turns it into markdown, so the
//! documentation is only rendered for the item the user looks at (`completionItem/resolve`).

use serde::{Deserialize, Serialize};

use crate::analysis::Analysis;
use crate::ide::cursor::{
    at_keyword_position, instruction_index_at, line_bounds, logical_text, word_start_before,
};
use crate::ide::docs::{self, BUILDKIT_CHECKS, MSBUILD_PROPERTIES, PREDEFINED_ARGS};
use crate::ide::{ContextEntry, IdeEnv};
use crate::model::{unquote, BaseImage, Model, VarKind, AUTOMATIC_PLATFORM_ARGS};
use crate::syntax::{Args, Instruction, Keyword};
use crate::text::TextRange;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum CompletionKind {
    Keyword,
    Snippet,
    Flag,
    Directive,
    Variable,
    Stage,
    Image,
    Tag,
    Command,
    Option,
    Value,
    File,
    Folder,
    Property,
}

/// What documentation an item gets on resolve.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum DocKey {
    Instruction(String),
    Flag { keyword: String, name: String },
    Directive(String),
    MountType(String),
    MountOption { mount_type: String, key: String },
    DotnetVerb(String),
    DotnetOption { verb: String, option: String },
    BuildKitCheck(String),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CompletionItem {
    pub label: String,
    /// Shown right after the label, e.g. ` ["executable"]` for a JSON-form snippet.
    pub label_detail: Option<String>,
    pub kind: CompletionKind,
    /// One line shown next to the item (a value, a base image).
    pub detail: Option<String>,
    /// Markdown; set for items whose documentation depends on the document (variables,
    /// stages, images), otherwise filled by [`resolve_documentation`] from `doc_key`.
    pub documentation: Option<String>,
    pub doc_key: Option<DocKey>,
    /// The text that replaces `replace`; a snippet (`${1:name}`) when `snippet`.
    pub insert_text: String,
    pub snippet: bool,
    pub replace: TextRange,
    pub filter_text: Option<String>,
    /// Items sort by this, then by label.
    pub sort_text: String,
    pub deprecated: bool,
    /// Completion should be triggered again after inserting (e.g. after `--mount=`).
    pub retrigger: bool,
}

impl CompletionItem {
    fn new(label: impl Into<String>, kind: CompletionKind, replace: TextRange) -> Self {
        let label = label.into();
        CompletionItem {
            insert_text: label.clone(),
            label,
            label_detail: None,
            kind,
            detail: None,
            documentation: None,
            doc_key: None,
            snippet: false,
            replace,
            filter_text: None,
            sort_text: String::new(),
            deprecated: false,
            retrigger: false,
        }
    }
    fn insert(mut self, text: impl Into<String>) -> Self {
        self.insert_text = text.into();
        self
    }
    fn snippet(mut self, text: impl Into<String>) -> Self {
        self.insert_text = text.into();
        self.snippet = true;
        self
    }
    fn detail(mut self, detail: impl Into<String>) -> Self {
        self.detail = Some(detail.into());
        self
    }
    fn doc_key(mut self, key: DocKey) -> Self {
        self.doc_key = Some(key);
        self
    }
    fn documentation(mut self, markdown: impl Into<String>) -> Self {
        self.documentation = Some(markdown.into());
        self
    }
    fn retrigger(mut self) -> Self {
        self.retrigger = true;
        self
    }
}

/// Markdown documentation for an item's [`DocKey`].
pub fn resolve_documentation(key: &DocKey) -> Option<String> {
    match key {
        DocKey::Instruction(k) => docs::instruction(Keyword::from_text(k)).map(|i| i.markdown()),
        DocKey::Flag { keyword, name } => {
            let keyword = Keyword::from_text(keyword);
            docs::flag(keyword, name).map(|f| f.markdown(keyword))
        }
        DocKey::Directive(name) => docs::directive(name).map(|d| d.markdown()),
        DocKey::MountType(name) => docs::mount_type(name).map(|m| format!("**--mount=type={}**\n\n{}", m.name, m.doc)),
        DocKey::MountOption { mount_type, key } => {
            let m = docs::mount_type(mount_type)?;
            let (_, doc) = m.options.iter().find(|(k, _)| k == key)?;
            Some(format!("**--mount type={} `{key}`**\n\n{doc}", m.name))
        }
        DocKey::DotnetVerb(verb) => docs::dotnet_verb(verb).map(|v| v.markdown()),
        DocKey::DotnetOption { verb, option } => {
            let v = docs::dotnet_verb(verb)?;
            v.option(option).map(|o| o.markdown(v.name))
        }
        DocKey::BuildKitCheck(name) => Some(format!(
            "BuildKit check **{name}**\n\n[Documentation](https://docs.docker.com/go/dockerfile/rule/{}/)",
            crate::rules::kebab_case(name)
        )),
    }
}

/// Fills in the documentation of an item (for `completionItem/resolve`).
pub fn resolve(item: &mut CompletionItem) {
    if item.documentation.is_none() {
        item.documentation = item.doc_key.as_ref().and_then(resolve_documentation);
    }
}

/// A snippet as plain text, for clients without snippet support: `${1:name}` -> `name`.
pub fn snippet_to_plain(snippet: &str) -> String {
    let mut out = String::with_capacity(snippet.len());
    let mut chars = snippet.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                if let Some(n) = chars.next() {
                    out.push(n);
                }
            }
            '$' if chars.peek() == Some(&'{') => {
                chars.next();
                while chars.peek().is_some_and(|c| c.is_ascii_digit()) {
                    chars.next();
                }
                if chars.peek() == Some(&':') {
                    chars.next();
                }
                let mut depth = 1;
                for c in chars.by_ref() {
                    match c {
                        '{' => depth += 1,
                        '}' => {
                            depth -= 1;
                            if depth == 0 {
                                break;
                            }
                        }
                        _ => {}
                    }
                    if depth > 0 {
                        out.push(c);
                    }
                }
            }
            '$' if chars.peek().is_some_and(|c| c.is_ascii_digit()) => {
                while chars.peek().is_some_and(|c| c.is_ascii_digit()) {
                    chars.next();
                }
            }
            c => out.push(c),
        }
    }
    out
}

/// Completion items at `offset`, best first.
pub fn completions(analysis: &Analysis, offset: usize, env: &IdeEnv) -> Vec<CompletionItem> {
    let text = analysis.text.as_str();
    let offset = crate::text::clamp_to_char_boundary(text, offset);
    let mut items = compute(analysis, offset, env);
    for (i, item) in items.iter_mut().enumerate() {
        if item.sort_text.is_empty() {
            item.sort_text = format!("{i:04}");
        }
    }
    items
}

fn compute(analysis: &Analysis, offset: usize, env: &IdeEnv) -> Vec<CompletionItem> {
    let (text, tree) = (analysis.text.as_str(), &analysis.tree);
    let (line_start, _) = line_bounds(text, offset);
    let line_prefix = &text[line_start..offset];
    let idx = instruction_index_at(tree, offset);
    if idx.is_none() && line_prefix.trim_start().starts_with('#') {
        return directive_completions(analysis, offset, line_start);
    }
    if at_keyword_position(tree, text, offset) {
        return keyword_completions(analysis, offset, idx);
    }
    let Some(idx) = idx else {
        return Vec::new();
    };
    // Heredoc bodies: only RUN scripts get completion (variables and dotnet).
    let inst = &tree.instructions[idx];
    let eff = inst.effective();
    if let Some(heredoc) = eff
        .heredocs
        .iter()
        .find(|h| h.body_range.contains_inclusive(offset) && offset >= h.body_range.start())
    {
        if let Some(items) = variable_completions(analysis, offset, idx) {
            return items;
        }
        if eff.keyword == Keyword::Run {
            let start = line_bounds(text, offset).0.max(heredoc.body_range.start());
            return dotnet_completions(&text[start..offset], offset, env);
        }
        return Vec::new();
    }
    if line_prefix.trim_start().starts_with('#') {
        return Vec::new();
    }
    if let Some(items) = variable_completions(analysis, offset, idx) {
        return items;
    }
    let word_start = word_start_before(text, offset, |c| !c.is_whitespace());
    let current = &text[word_start..offset];
    let in_flag = eff.flags.iter().any(|f| f.range.contains_inclusive(offset));
    let args_start = eff.rest.range.start();
    let before_args = eff.rest.text.is_empty() || word_start <= args_start;
    if in_flag || (before_args && current.starts_with('-')) {
        return flag_completions(analysis, idx, eff, current, word_start, offset);
    }
    argument_completions(analysis, idx, eff, current, word_start, offset, env)
}

fn directive_completions(
    analysis: &Analysis,
    offset: usize,
    line_start: usize,
) -> Vec<CompletionItem> {
    let (text, tree) = (analysis.text.as_str(), &analysis.tree);
    // Directives are only read on the first lines, before anything else.
    let line = analysis.line_index.line_of(offset);
    let directive_lines = tree
        .directives
        .iter()
        .map(|d| analysis.line_index.line_of(d.range.start()))
        .take_while({
            let mut expected = 0;
            move |&l| {
                let ok = l == expected;
                expected += 1;
                ok
            }
        })
        .count();
    if line > directive_lines {
        return Vec::new();
    }
    let prefix = &text[line_start..offset];
    let body = prefix.trim_start().trim_start_matches('#').trim_start();
    let body_start = offset - body.len();
    match body.split_once('=') {
        None => {
            if !body.chars().all(|c| c.is_ascii_alphabetic()) {
                return Vec::new();
            }
            let replace = TextRange::new(body_start, offset);
            docs::directives()
                .iter()
                .filter(|d| {
                    !tree.directives.iter().any(|t| {
                        t.name == d.name && analysis.line_index.line_of(t.range.start()) != line
                    })
                })
                .map(|d| {
                    CompletionItem::new(d.name, CompletionKind::Directive, replace)
                        .snippet(d.snippet)
                        .detail(format!("# {}=", d.name))
                        .doc_key(DocKey::Directive(d.name.to_string()))
                })
                .collect()
        }
        Some((name, value)) => {
            let name = name.trim().to_ascii_lowercase();
            let value = value.trim_start();
            let value_start = offset - value.len();
            if name == "check" {
                return check_directive_completions(value, value_start, offset);
            }
            let Some(info) = docs::directive(&name) else {
                return Vec::new();
            };
            let replace = TextRange::new(value_start, offset);
            info.values
                .iter()
                .map(|v| {
                    CompletionItem::new(*v, CompletionKind::Value, replace)
                        .doc_key(DocKey::Directive(name.clone()))
                })
                .collect()
        }
    }
}

fn check_directive_completions(
    value: &str,
    value_start: usize,
    offset: usize,
) -> Vec<CompletionItem> {
    // `skip=A,B;error=true`: complete the setting being typed.
    let setting_start = value.rfind(';').map_or(0, |i| i + 1);
    let setting = &value[setting_start..];
    let setting_offset = value_start + setting_start;
    match setting.split_once('=') {
        None => {
            let replace = TextRange::new(
                setting_offset + (setting.len() - setting.trim_start().len()),
                offset,
            );
            [
                ("skip=", "Checks to skip, comma-separated, or `all`"),
                ("error=", "`true` fails the build on a check violation"),
                ("experimental=", "Experimental checks to enable, or `all`"),
            ]
            .into_iter()
            .map(|(key, detail)| {
                CompletionItem::new(key, CompletionKind::Property, replace)
                    .detail(detail)
                    .doc_key(DocKey::Directive("check".into()))
                    .retrigger()
            })
            .collect()
        }
        Some((key, list)) => {
            let item_start = list.rfind(',').map_or(0, |i| i + 1);
            let replace_start = setting_offset + key.len() + 1 + item_start;
            let replace = TextRange::new(replace_start, offset);
            match key.trim() {
                "skip" | "experimental" => {
                    let taken: Vec<&str> = list.split(',').map(str::trim).collect();
                    std::iter::once("all")
                        .chain(BUILDKIT_CHECKS.iter().copied())
                        .filter(|c| !taken[..taken.len().saturating_sub(1)].contains(c))
                        .map(|c| {
                            let item = CompletionItem::new(c, CompletionKind::Value, replace);
                            if c == "all" {
                                item.detail("every check")
                            } else {
                                item.doc_key(DocKey::BuildKitCheck(c.to_string()))
                            }
                        })
                        .collect()
                }
                "error" => ["true", "false"]
                    .into_iter()
                    .map(|v| CompletionItem::new(v, CompletionKind::Value, replace))
                    .collect(),
                _ => Vec::new(),
            }
        }
    }
}

/// Keyword snippets: (keyword, label detail, snippet). The plain keyword item comes first.
const KEYWORD_SNIPPETS: &[(Keyword, &str, &str)] = &[
    (Keyword::Add, " source dest", "ADD ${1:source} ${2:dest}"),
    (Keyword::Add, " [\"source\", \"dest\"]", "ADD [\"${1:source}\", \"${2:dest}\"]"),
    (Keyword::Arg, " name", "ARG ${1:name}"),
    (Keyword::Arg, " name=default", "ARG ${1:name}=${2:default}"),
    (Keyword::Cmd, " [\"executable\"]", "CMD [\"${1:executable}\"]"),
    (Keyword::Cmd, " [\"dotnet\", \"App.dll\"]", "CMD [\"dotnet\", \"${1:App}.dll\"]"),
    (Keyword::Cmd, " command", "CMD ${1:command}"),
    (Keyword::Copy, " source dest", "COPY ${1:source} ${2:dest}"),
    (Keyword::Copy, " [\"source\", \"dest\"]", "COPY [\"${1:source}\", \"${2:dest}\"]"),
    (Keyword::Copy, " --from=stage source dest", "COPY --from=${1:stage} ${2:source} ${3:dest}"),
    (Keyword::Entrypoint, " [\"executable\"]", "ENTRYPOINT [\"${1:executable}\"]"),
    (Keyword::Entrypoint, " [\"dotnet\", \"App.dll\"]", "ENTRYPOINT [\"dotnet\", \"${1:App}.dll\"]"),
    (Keyword::Entrypoint, " command", "ENTRYPOINT ${1:command}"),
    (Keyword::Env, " key=value", "ENV ${1:key}=${2:value}"),
    (Keyword::Expose, " port", "EXPOSE ${1:8080}"),
    (Keyword::From, " image", "FROM ${1:image}"),
    (Keyword::From, " image AS name", "FROM ${1:image} AS ${2:name}"),
    (Keyword::Healthcheck, " CMD command", "HEALTHCHECK --interval=${1:30s} --timeout=${2:30s} --start-period=${3:5s} --retries=${4:3} CMD ${5:command}"),
    (Keyword::Healthcheck, " NONE", "HEALTHCHECK NONE"),
    (Keyword::Label, " key=\"value\"", "LABEL ${1:key}=\"${2:value}\""),
    (Keyword::Maintainer, " name", "MAINTAINER ${1:name}"),
    (Keyword::Onbuild, " INSTRUCTION", "ONBUILD ${1:INSTRUCTION}"),
    (Keyword::Run, " command", "RUN ${1:command}"),
    (Keyword::Run, " [\"executable\"]", "RUN [\"${1:executable}\"]"),
    (Keyword::Run, " --mount=type=cache dotnet restore", "RUN --mount=type=cache,id=nuget,target=/root/.nuget/packages \\\\\n    dotnet restore ${1:project}"),
    (Keyword::Shell, " [\"executable\", \"parameter\"]", "SHELL [\"${1:executable}\", \"${2:parameter}\"]"),
    (Keyword::Stopsignal, " signal", "STOPSIGNAL ${1:SIGTERM}"),
    (Keyword::User, " user", "USER ${1:user}"),
    (Keyword::User, " $APP_UID", "USER \\$APP_UID"),
    (Keyword::Volume, " [\"path\"]", "VOLUME [\"${1:path}\"]"),
    (Keyword::Workdir, " path", "WORKDIR ${1:/app}"),
];

fn keyword_completions(
    analysis: &Analysis,
    offset: usize,
    idx: Option<usize>,
) -> Vec<CompletionItem> {
    let (text, tree) = (analysis.text.as_str(), &analysis.tree);
    let start = word_start_before(text, offset, |c| c.is_ascii_alphabetic());
    let end = offset
        + text[offset..]
            .char_indices()
            .find(|&(_, c)| !c.is_ascii_alphabetic())
            .map_or(text.len() - offset, |(i, _)| i);
    let replace = TextRange::new(start, end);
    let current = idx.and_then(|i| tree.instructions.get(i));
    let in_trigger = current.is_some_and(|inst| {
        crate::ide::cursor::trigger_keyword_range(inst)
            .is_some_and(|r| r.contains_inclusive(offset))
            || (inst.keyword == Keyword::Onbuild && !inst.keyword_range.contains_inclusive(offset))
    });
    // Replacing the keyword of an instruction that has arguments: only the keyword.
    let has_arguments = current.is_some_and(|inst| {
        let inst = if in_trigger { inst.effective() } else { inst };
        !inst.flags.is_empty() || !inst.rest.text.is_empty()
    });
    let (line_start, _) = line_bounds(text, offset);
    let after_from = tree
        .instructions
        .iter()
        .any(|i| i.keyword == Keyword::From && i.range.end() < line_start);
    let allowed = |k: Keyword| {
        if in_trigger {
            !matches!(k, Keyword::From | Keyword::Maintainer | Keyword::Onbuild)
        } else if !after_from {
            matches!(k, Keyword::From | Keyword::Arg)
        } else {
            true
        }
    };
    let mut items = Vec::new();
    let mut order: Vec<Keyword> = Keyword::ALL
        .iter()
        .copied()
        .filter(|&k| allowed(k))
        .collect();
    if !after_from && !in_trigger {
        order.sort_by_key(|&k| k != Keyword::From);
    }
    for keyword in order {
        let name = keyword.as_str();
        let key = DocKey::Instruction(name.to_string());
        let deprecated = keyword == Keyword::Maintainer;
        let mut plain =
            CompletionItem::new(name, CompletionKind::Keyword, replace).doc_key(key.clone());
        plain.deprecated = deprecated;
        if !has_arguments {
            plain = plain.insert(format!("{name} ")).retrigger();
        }
        items.push(plain);
        if has_arguments {
            continue;
        }
        for (_, detail, snippet) in KEYWORD_SNIPPETS.iter().filter(|(k, _, _)| *k == keyword) {
            // Snippets continue lines with `\`; a file with `# escape=`` needs a backtick.
            let snippet = if tree.escape == '`' {
                snippet.replace("\\\\\n", "`\n")
            } else {
                snippet.to_string()
            };
            let mut item = CompletionItem::new(name, CompletionKind::Snippet, replace)
                .snippet(snippet)
                .doc_key(key.clone());
            item.label_detail = Some(detail.to_string());
            item.filter_text = Some(name.to_string());
            item.deprecated = deprecated;
            items.push(item);
        }
    }
    items
}

/// Names visible at instruction `idx`, with their values, most recent first, no duplicates.
fn visible_variables(
    model: &Model,
    tree: &crate::syntax::SyntaxTree,
    idx: usize,
) -> Vec<(String, Option<String>, &'static str)> {
    let scope = crate::ide::index::scope_of(model, tree, idx);
    let mut vars: Vec<(String, Option<String>, &'static str)> = Vec::new();
    match scope {
        crate::ide::index::Scope::Global => {
            let mut so_far: Vec<(String, Option<String>)> = Vec::new();
            for d in model.global_args.iter().filter(|d| d.instruction < idx) {
                let value = d
                    .value
                    .as_ref()
                    .map(|v| crate::model::expand(&unquote(&v.text), &so_far[..]).text);
                so_far.push((d.name.to_string(), value));
            }
            vars.extend(so_far.into_iter().map(|(n, v)| (n, v, "ARG")));
            vars.reverse();
            vars.extend(
                AUTOMATIC_PLATFORM_ARGS
                    .iter()
                    .map(|n| (n.to_string(), None, "BuildKit")),
            );
        }
        crate::ide::index::Scope::Stage(stage) => {
            let kinds: Vec<(&str, VarKind)> = model
                .stage_vars
                .iter()
                .map(|d| (d.name.as_str(), d.kind))
                .collect();
            let mut scope = model.scope_at(stage, idx);
            scope.reverse();
            for (name, value) in scope {
                let kind = match kinds.iter().rev().find(|(n, _)| *n == name) {
                    Some((_, VarKind::Env)) => "ENV",
                    _ => "ARG",
                };
                vars.push((name, value, kind));
            }
            vars.extend(
                PREDEFINED_ARGS
                    .iter()
                    .map(|n| (n.to_string(), None, "proxy ARG")),
            );
        }
    }
    let mut seen = std::collections::HashSet::new();
    vars.retain(|(n, _, _)| seen.insert(n.clone()));
    vars
}

fn variable_completions(
    analysis: &Analysis,
    offset: usize,
    idx: usize,
) -> Option<Vec<CompletionItem>> {
    let text = analysis.text.as_str();
    let name_start = word_start_before(text, offset, |c| c.is_ascii_alphanumeric() || c == '_');
    let before = &text[..name_start];
    let (braced, dollar) = if before.ends_with("${") {
        (true, name_start - 2)
    } else if before.ends_with('$') {
        (false, name_start - 1)
    } else {
        return None;
    };
    if text[..dollar].ends_with('\\')
        || text[name_start..offset].starts_with(|c: char| c.is_ascii_digit())
    {
        return None;
    }
    let name_end = offset
        + text[offset..]
            .char_indices()
            .find(|&(_, c)| !(c.is_ascii_alphanumeric() || c == '_'))
            .map_or(text.len() - offset, |(i, _)| i);
    let replace = TextRange::new(name_start, name_end);
    let close = braced && !text[name_end..].starts_with('}');
    let vars = visible_variables(&analysis.model, &analysis.tree, idx);
    Some(
        vars.into_iter()
            .map(|(name, value, kind)| {
                let insert = if close {
                    format!("{name}}}")
                } else {
                    name.clone()
                };
                let detail = match &value {
                    Some(v) => format!("{kind} = {v}"),
                    None => kind.to_string(),
                };
                let mut item = CompletionItem::new(name.clone(), CompletionKind::Variable, replace)
                    .insert(insert)
                    .detail(detail);
                if let Some(doc) = docs::automatic_arg_doc(&name) {
                    item = item.documentation(doc);
                }
                item
            })
            .collect(),
    )
}

fn flag_completions(
    analysis: &Analysis,
    idx: usize,
    inst: &Instruction,
    current: &str,
    word_start: usize,
    offset: usize,
) -> Vec<CompletionItem> {
    let keyword = inst.keyword;
    let Some((name, value)) = current.split_once('=') else {
        let replace = TextRange::new(word_start, offset);
        let present: Vec<&str> = inst
            .flags
            .iter()
            .filter(|f| !f.range.contains_inclusive(offset))
            .map(|f| f.name.as_str())
            .collect();
        return docs::flags_of(keyword)
            .filter(|f| matches!(f.name, "mount" | "exclude") || !present.contains(&f.name))
            .map(|f| {
                let label = format!("--{}", f.name);
                let item = CompletionItem::new(label.clone(), CompletionKind::Flag, replace)
                    .detail(f.usage())
                    .doc_key(DocKey::Flag {
                        keyword: keyword.as_str().to_string(),
                        name: f.name.to_string(),
                    });
                match f.value {
                    None => item,
                    Some(_) if !f.values.is_empty() || matches!(f.name, "from" | "mount") => {
                        item.insert(format!("{label}=")).retrigger()
                    }
                    Some(placeholder) => {
                        let placeholder = placeholder.trim_matches(['<', '>']);
                        item.snippet(format!("{label}=${{1:{placeholder}}}"))
                    }
                }
            })
            .collect();
    };
    let name = name.trim_start_matches('-').to_ascii_lowercase();
    let value_start = offset - value.len();
    match name.as_str() {
        "from" if keyword == Keyword::Copy => {
            stage_name_items(&analysis.model, idx, TextRange::new(value_start, offset))
        }
        "mount" if keyword == Keyword::Run => {
            mount_completions(analysis, idx, value, value_start, offset)
        }
        _ => {
            let Some(info) = docs::flag(keyword, &name) else {
                return Vec::new();
            };
            let replace = TextRange::new(value_start, offset);
            info.values
                .iter()
                .map(|v| CompletionItem::new(*v, CompletionKind::Value, replace))
                .collect()
        }
    }
}

/// Named stages before the stage of instruction `idx`, most recent first.
fn stage_name_items(model: &Model, idx: usize, replace: TextRange) -> Vec<CompletionItem> {
    // The stage the instruction belongs to (its own FROM included) and the later ones cannot
    // be referenced.
    let current = model
        .stage_of_instruction(idx)
        .map_or(model.stages.len(), |s| s.index);
    model.stages[..current.min(model.stages.len())]
        .iter()
        .rev()
        .filter_map(|s| {
            let name = s.name.as_ref()?;
            let base = match &s.base {
                BaseImage::Image { resolved, .. } => resolved.text.clone(),
                BaseImage::Stage(p) => model
                    .stages
                    .get(*p)
                    .and_then(|p| p.name.as_ref())
                    .map_or_else(|| format!("stage {p}"), |n| n.text.to_string()),
                BaseImage::Scratch => "scratch".to_string(),
                BaseImage::Missing => String::new(),
            };
            Some(
                CompletionItem::new(name.text.clone(), CompletionKind::Stage, replace)
                    .detail(format!("stage {} FROM {base}", s.index))
                    .documentation(format!(
                        "Build stage `{}` (stage {}), FROM `{base}`",
                        name.text, s.index
                    )),
            )
        })
        .collect()
}

fn mount_completions(
    analysis: &Analysis,
    idx: usize,
    value: &str,
    value_start: usize,
    offset: usize,
) -> Vec<CompletionItem> {
    let fields: Vec<&str> = value.split(',').collect();
    let last = fields.last().copied().unwrap_or("");
    let last_start = offset - last.len();
    let mount_type = fields
        .iter()
        .find_map(|f| f.strip_prefix("type="))
        .unwrap_or("bind")
        .to_string();
    if fields.len() == 1 && !last.contains('=') {
        // Nothing typed yet: whole mounts.
        let replace = TextRange::new(value_start, offset);
        return docs::mount_types()
            .iter()
            .map(|m| {
                CompletionItem::new(format!("type={}", m.name), CompletionKind::Value, replace)
                    .snippet(m.snippet)
                    .detail(m.doc)
                    .doc_key(DocKey::MountType(m.name.to_string()))
            })
            .collect();
    }
    let Some((key, typed)) = last.split_once('=') else {
        let Some(info) = docs::mount_type(&mount_type) else {
            return Vec::new();
        };
        let used: Vec<&str> = fields[..fields.len() - 1]
            .iter()
            .map(|f| docs::canonical_mount_key(f.split('=').next().unwrap_or(f)))
            .collect();
        let replace = TextRange::new(last_start, offset);
        return info
            .options
            .iter()
            .filter(|(k, _)| !used.contains(k))
            .map(|(k, doc)| {
                let item = CompletionItem::new(*k, CompletionKind::Property, replace)
                    .detail(*doc)
                    .doc_key(DocKey::MountOption {
                        mount_type: mount_type.clone(),
                        key: k.to_string(),
                    });
                if matches!(*k, "ro" | "rw") {
                    item
                } else {
                    item.insert(format!("{k}=")).retrigger()
                }
            })
            .collect();
    };
    let replace = TextRange::new(offset - typed.len(), offset);
    let values: Vec<&str> = match (docs::canonical_mount_key(key), mount_type.as_str()) {
        ("type", _) => docs::mount_types().iter().map(|m| m.name).collect(),
        ("sharing", _) => vec!["shared", "private", "locked"],
        ("from", _) => return stage_name_items(&analysis.model, idx, replace),
        ("target", "cache") => vec![
            "/root/.nuget/packages",
            "/root/.local/share/NuGet/http-cache",
        ],
        ("id", "cache") => vec!["nuget"],
        ("id", "secret") => vec!["nuget", "nugetconfig"],
        ("target", "secret") => vec!["/root/.nuget/NuGet/NuGet.Config"],
        ("required", _) | ("ro", _) | ("rw", _) => vec!["true", "false"],
        _ => Vec::new(),
    };
    values
        .into_iter()
        .map(|v| CompletionItem::new(v, CompletionKind::Value, replace))
        .collect()
}

fn argument_completions(
    analysis: &Analysis,
    idx: usize,
    inst: &Instruction,
    current: &str,
    word_start: usize,
    offset: usize,
    env: &IdeEnv,
) -> Vec<CompletionItem> {
    let (text, tree) = (analysis.text.as_str(), &analysis.tree);
    let args_start = inst.rest.range.start().min(word_start);
    let before = logical_text(text, args_start, word_start, tree.escape);
    let previous_words = before.split_whitespace().count();
    let replace = TextRange::new(word_start, offset);
    match inst.keyword {
        Keyword::From => match previous_words {
            0 => image_completions(analysis, idx, current, word_start, offset, env),
            1 => vec![CompletionItem::new("AS", CompletionKind::Keyword, replace).insert("AS ")],
            _ => Vec::new(),
        },
        Keyword::Healthcheck if previous_words == 0 => ["CMD", "NONE"]
            .into_iter()
            .map(|k| {
                CompletionItem::new(k, CompletionKind::Keyword, replace)
                    .doc_key(DocKey::Instruction("HEALTHCHECK".into()))
            })
            .collect(),
        Keyword::Run => {
            if inst.is_exec_form() || before.trim_start().starts_with('[') {
                return Vec::new();
            }
            let line = logical_text(text, args_start, offset, tree.escape);
            let segment_start = line.rfind('\n').map_or(0, |i| i + 1);
            dotnet_completions(&line[segment_start..], offset, env)
        }
        Keyword::Copy | Keyword::Add => {
            let mut items = Vec::new();
            let from_stage = inst.flag("from").is_some();
            if previous_words >= 1 {
                items.extend(workdir_items(analysis, idx, replace));
            }
            if let (Some(context), false) = (env.context, from_stage) {
                items.extend(context_path_items(context, current, word_start, offset));
            }
            items
        }
        Keyword::Arg if previous_words == 0 => {
            let model = &analysis.model;
            let in_stage = model.stage_of_instruction(idx).is_some();
            if !in_stage {
                return Vec::new();
            }
            model
                .global_args
                .iter()
                .map(|d| (d.name.as_str(), "global ARG"))
                .chain(
                    AUTOMATIC_PLATFORM_ARGS
                        .iter()
                        .map(|n| (*n, "BuildKit platform ARG")),
                )
                .map(|(n, detail)| {
                    CompletionItem::new(n, CompletionKind::Variable, replace).detail(detail)
                })
                .collect()
        }
        Keyword::User if previous_words == 0 => {
            vec![
                CompletionItem::new("$APP_UID", CompletionKind::Value, replace)
                    .detail("the non-root `app` user of .NET 8+ images (UID 1654)"),
            ]
        }
        Keyword::Expose if previous_words == 0 => {
            vec![CompletionItem::new("8080", CompletionKind::Value, replace)
                .detail("ASP.NET Core's default port on .NET 8+ images")]
        }
        Keyword::Stopsignal if previous_words == 0 => ["SIGTERM", "SIGINT", "SIGQUIT", "SIGKILL"]
            .into_iter()
            .map(|s| CompletionItem::new(s, CompletionKind::Value, replace))
            .collect(),
        _ => Vec::new(),
    }
}

fn image_completions(
    analysis: &Analysis,
    idx: usize,
    current: &str,
    word_start: usize,
    offset: usize,
    env: &IdeEnv,
) -> Vec<CompletionItem> {
    let last_slash = current.rfind('/').map_or(0, |i| i + 1);
    if let Some(colon) = current[last_slash..].find(':').map(|i| last_slash + i) {
        let (repository, tag) = (&current[..colon], &current[colon + 1..]);
        let replace = TextRange::new(offset - tag.len(), offset);
        return env
            .images
            .map(|images| images.complete_tags(repository, tag))
            .unwrap_or_default()
            .into_iter()
            .map(|s| suggestion_item(s, CompletionKind::Tag, replace))
            .collect();
    }
    let replace = TextRange::new(word_start, offset);
    let mut items = stage_name_items(&analysis.model, idx, replace);
    if let Some(images) = env.images {
        items.extend(
            images
                .complete_names(current)
                .into_iter()
                .map(|s| suggestion_item(s, CompletionKind::Image, replace)),
        );
    }
    items.push(
        CompletionItem::new("scratch", CompletionKind::Image, replace)
            .detail("an empty base image"),
    );
    items
}

fn suggestion_item(
    s: crate::ide::ImageSuggestion,
    kind: CompletionKind,
    replace: TextRange,
) -> CompletionItem {
    let mut item = CompletionItem::new(s.label, kind, replace);
    item.detail = s.detail;
    item.documentation = s.documentation;
    item.sort_text = format!("1{:08}", s.rank);
    item
}

/// Destination folders from the stage's earlier WORKDIRs.
fn workdir_items(analysis: &Analysis, idx: usize, replace: TextRange) -> Vec<CompletionItem> {
    let Some(stage) = analysis.model.stage_of_instruction(idx) else {
        return Vec::new();
    };
    let mut dirs: Vec<String> = Vec::new();
    for inst in
        &analysis.tree.instructions[stage.instructions.start..idx.min(stage.instructions.end)]
    {
        if let (Keyword::Workdir, Args::String(w)) = (inst.keyword, &inst.args) {
            let dir = format!("{}/", w.text.trim_end_matches('/'));
            if !dirs.contains(&dir) {
                dirs.push(dir);
            }
        }
    }
    dirs.into_iter()
        .rev()
        .map(|d| CompletionItem::new(d, CompletionKind::Folder, replace).detail("WORKDIR"))
        .collect()
}

/// Files that make up a .NET restore, offered before other files.
fn is_project_file(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    [
        ".csproj", ".fsproj", ".vbproj", ".sln", ".slnx", ".props", ".targets",
    ]
    .iter()
    .any(|ext| lower.ends_with(ext))
        || matches!(
            lower.as_str(),
            "nuget.config" | "global.json" | "packages.lock.json"
        )
}

fn context_path_items(
    context: &dyn crate::ide::BuildContextProvider,
    current: &str,
    word_start: usize,
    offset: usize,
) -> Vec<CompletionItem> {
    // JSON form: `["src/` -> `src/`.
    let path = current.trim_start_matches(['[', '"']);
    if path.starts_with('/') || path.contains('$') {
        return Vec::new();
    }
    let path_start = offset - path.len();
    let dir_end = path.rfind('/').map_or(0, |i| i + 1);
    let dir = path[..dir_end].trim_start_matches("./");
    let replace = TextRange::new(path_start + dir_end, offset);
    let _ = word_start;
    let mut entries: Vec<ContextEntry> = context.list_dir(dir.trim_end_matches('/'));
    // Project files first, then folders, then other files; what `.dockerignore` leaves out
    // of the context last.
    entries.sort_by(|a, b| {
        let rank = |e: &ContextEntry| {
            if e.excluded_by.is_some() {
                3
            } else if is_project_file(&e.name) {
                0
            } else if e.is_dir {
                1
            } else {
                2
            }
        };
        rank(a).cmp(&rank(b)).then_with(|| a.name.cmp(&b.name))
    });
    entries
        .into_iter()
        .map(|e| {
            let mut item = if e.is_dir {
                CompletionItem::new(format!("{}/", e.name), CompletionKind::Folder, replace)
            } else {
                CompletionItem::new(e.name.clone(), CompletionKind::File, replace)
            };
            match e.excluded_by {
                // Not in the build: marked, and completion does not open the folder.
                Some(reason) => {
                    item.deprecated = true;
                    item.detail(reason)
                }
                None if e.is_dir => item.retrigger(),
                None if is_project_file(&e.name) => item.detail("restore input"),
                None => item,
            }
        })
        .collect()
}

/// `dotnet` subcommands, options and option values, for the shell text of the current
/// command up to the cursor.
fn dotnet_completions(line: &str, offset: usize, _env: &IdeEnv) -> Vec<CompletionItem> {
    let segment_start = ["&&", "||", ";", "|", "("]
        .iter()
        .filter_map(|op| line.rfind(op).map(|i| i + op.len()))
        .max()
        .unwrap_or(0);
    let segment = &line[segment_start..];
    let ends_with_space = segment.ends_with(char::is_whitespace);
    let words: Vec<&str> = segment.split_whitespace().collect();
    let (done, current) = match (ends_with_space, words.split_last()) {
        (false, Some((last, rest))) => (rest, *last),
        _ => (&words[..], ""),
    };
    let Some((&first, args)) = done.split_first() else {
        return Vec::new();
    };
    if !(first == "dotnet" || first.ends_with("/dotnet")) {
        return Vec::new();
    }
    let replace = TextRange::new(offset - current.len(), offset);
    let Some((&verb, options)) = args.split_first() else {
        if current.starts_with('-') {
            return ["--info", "--version", "--list-sdks", "--list-runtimes"]
                .into_iter()
                .map(|o| CompletionItem::new(o, CompletionKind::Option, replace))
                .collect();
        }
        return docs::dotnet_verbs()
            .iter()
            .map(|v| {
                CompletionItem::new(v.name, CompletionKind::Command, replace)
                    .insert(format!("{} ", v.name))
                    .detail(v.doc)
                    .doc_key(DocKey::DotnetVerb(v.name.to_string()))
                    .retrigger()
            })
            .collect();
    };
    let Some(info) = docs::dotnet_verb(verb) else {
        return Vec::new();
    };
    // A value for the option before the cursor.
    if let Some(&previous) = options.last() {
        if let Some(option) = info
            .option(previous)
            .filter(|o| o.value.is_some() && !previous.contains([':', '=']))
        {
            let values: &[&str] = match option.names[0] {
                "--configuration" => &["Release", "Debug"],
                "--runtime" => &[
                    "linux-x64",
                    "linux-arm64",
                    "linux-musl-x64",
                    "linux-musl-arm64",
                    "win-x64",
                ],
                "--arch" => &["$TARGETARCH", "x64", "arm64"],
                "--os" => &["linux", "win"],
                "--output" => &["/app/publish", "/app/build", "/app/out"],
                "--framework" => &["net10.0", "net9.0", "net8.0"],
                "--verbosity" => &["quiet", "minimal", "normal", "detailed", "diagnostic"],
                _ => &[],
            };
            if !values.is_empty() || !current.starts_with('-') {
                return values
                    .iter()
                    .map(|v| CompletionItem::new(*v, CompletionKind::Value, replace))
                    .collect();
            }
        }
    }
    let lower = current.to_ascii_lowercase();
    if let Some(property) = ["-p:", "/p:", "--property:"]
        .iter()
        .find(|p| lower.starts_with(*p))
    {
        let replace = TextRange::new(offset - (current.len() - property.len()), offset);
        return MSBUILD_PROPERTIES
            .iter()
            .map(|(p, doc)| CompletionItem::new(*p, CompletionKind::Property, replace).detail(*doc))
            .collect();
    }
    if !current.starts_with('-') {
        return Vec::new();
    }
    let used: Vec<&str> = options
        .iter()
        .filter_map(|o| info.option(o))
        .map(|o| o.names[0])
        .collect();
    info.options
        .iter()
        .filter(|o| o.names[0] == "-p" || !used.contains(&o.names[0]))
        .flat_map(|o| {
            o.names.iter().map(move |n| {
                let key = DocKey::DotnetOption {
                    verb: info.name.to_string(),
                    option: n.to_string(),
                };
                let item = CompletionItem::new(*n, CompletionKind::Option, replace)
                    .detail(o.doc)
                    .doc_key(key);
                match o.value {
                    _ if *n == "-p" => item.insert("-p:").retrigger(),
                    Some(_) => item.insert(format!("{n} ")).retrigger(),
                    None => item,
                }
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ide::test_support::{analysis, cursor};
    use crate::ide::{BuildContextProvider, ImageProvider, ImageSuggestion};

    fn complete_with(marked: &str, env: &IdeEnv) -> (String, Vec<CompletionItem>) {
        let (text, offset) = cursor(marked);
        let a = analysis(&text);
        let items = completions(&a, offset, env);
        (text, items)
    }

    fn labels(marked: &str) -> Vec<String> {
        complete_with(marked, &IdeEnv::default())
            .1
            .into_iter()
            .map(|i| match i.label_detail {
                Some(d) => format!("{}{d}", i.label),
                None => i.label,
            })
            .collect()
    }

    fn find<'a>(items: &'a [CompletionItem], label: &str) -> &'a CompletionItem {
        items
            .iter()
            .find(|i| i.label == label)
            .unwrap_or_else(|| panic!("no {label}"))
    }

    #[test]
    fn empty_file_offers_from_and_arg_only() {
        assert_eq!(
            labels("‸"),
            [
                "FROM",
                "FROM image",
                "FROM image AS name",
                "ARG",
                "ARG name",
                "ARG name=default"
            ]
        );
        let (_, items) = complete_with("fr‸", &IdeEnv::default());
        assert_eq!(items[0].replace, TextRange::new(0, 2));
        assert_eq!(items[0].insert_text, "FROM ");
        assert!(items[0].retrigger);
        assert_eq!(items[2].insert_text, "FROM ${1:image} AS ${2:name}");
        assert!(items[2].snippet);
    }

    #[test]
    fn keywords_with_json_form_snippets() {
        let (_, items) = complete_with("FROM a\nC‸", &IdeEnv::default());
        let cmd_json = items
            .iter()
            .find(|i| i.label == "CMD" && i.label_detail.as_deref() == Some(" [\"executable\"]"))
            .unwrap();
        assert_eq!(cmd_json.insert_text, "CMD [\"${1:executable}\"]");
        assert_eq!(cmd_json.kind, CompletionKind::Snippet);
        assert_eq!(cmd_json.filter_text.as_deref(), Some("CMD"));
        let maintainer = find(&items, "MAINTAINER");
        assert!(maintainer.deprecated);
        assert_eq!(
            Keyword::ALL
                .iter()
                .filter(|k| items.iter().any(|i| i.label == k.as_str()))
                .count(),
            18
        );
        // Editing the keyword of an instruction with arguments replaces just the keyword.
        let (text, items) = complete_with("FROM a\nco‸py . /app\n", &IdeEnv::default());
        assert!(items.iter().all(|i| i.kind == CompletionKind::Keyword));
        assert_eq!(&text[items[0].replace.as_range()], "copy");
        assert_eq!(find(&items, "COPY").insert_text, "COPY");
        // ONBUILD triggers exclude FROM, MAINTAINER and ONBUILD.
        let onbuild = labels("FROM a\nONBUILD ‸");
        assert!(onbuild.contains(&"RUN".to_string()));
        assert!(!onbuild
            .iter()
            .any(|l| l == "FROM" || l == "ONBUILD" || l == "MAINTAINER"));
        // Continuation lines are not keyword positions.
        assert!(labels("FROM a\nRUN echo \\\n  ‸").is_empty());
    }

    #[test]
    fn resolve_adds_documentation() {
        let (_, items) = complete_with("FROM a\nWORK‸", &IdeEnv::default());
        let mut item = find(&items, "WORKDIR").clone();
        assert_eq!(item.documentation, None);
        resolve(&mut item);
        let doc = item.documentation.unwrap();
        assert!(
            doc.starts_with("**WORKDIR**\n\n```dockerfile\nWORKDIR <path>\n```"),
            "{doc}"
        );
        assert!(doc.ends_with("(https://docs.docker.com/reference/dockerfile/#workdir)"));
        let key = DocKey::DotnetOption {
            verb: "publish".into(),
            option: "-c".into(),
        };
        assert!(resolve_documentation(&key)
            .unwrap()
            .starts_with("**dotnet publish** `--configuration <CONFIGURATION>`"));
        assert_eq!(
            resolve_documentation(&DocKey::BuildKitCheck("JSONArgsRecommended".into())).unwrap(),
            "BuildKit check **JSONArgsRecommended**\n\n[Documentation](https://docs.docker.com/go/dockerfile/rule/json-args-recommended/)"
        );
    }

    #[test]
    fn directives_on_the_first_lines_only() {
        assert_eq!(labels("# ‸\nFROM a"), ["syntax", "escape", "check"]);
        assert_eq!(
            labels("# syntax=docker/dockerfile:1\n#‸\nFROM a"),
            ["escape", "check"]
        );
        assert!(labels("FROM a\n# ‸").is_empty());
        assert_eq!(labels("# escape=‸\nFROM a"), ["`", "\\"]);
        assert_eq!(
            labels("# check=‸\nFROM a"),
            ["skip=", "error=", "experimental="]
        );
        let checks = labels("# check=skip=FromAsCasing,Json‸\nFROM a");
        assert_eq!(checks.len(), 22, "all, and every check but FromAsCasing");
        let (text, items) = complete_with(
            "# check=skip=FromAsCasing,Json‸\nFROM a",
            &IdeEnv::default(),
        );
        assert_eq!(
            &text[find(&items, "JSONArgsRecommended").replace.as_range()],
            "Json"
        );
        let (_, items) = complete_with("# sy‸", &IdeEnv::default());
        assert_eq!(items[0].insert_text, "syntax=${1:docker/dockerfile:1}");
    }

    #[test]
    fn flags_of_the_instruction_at_the_cursor() {
        assert_eq!(
            labels("FROM a\nCOPY --‸"),
            [
                "--from",
                "--chown",
                "--chmod",
                "--link",
                "--parents",
                "--exclude"
            ]
        );
        assert_eq!(
            labels("FROM a\nADD -‸"),
            [
                "--chown",
                "--chmod",
                "--link",
                "--exclude",
                "--checksum",
                "--keep-git-dir"
            ]
        );
        assert_eq!(
            labels("FROM a\nCOPY --link --‸ . ."),
            ["--from", "--chown", "--chmod", "--parents", "--exclude"]
        );
        assert_eq!(
            labels("FROM a\nRUN --‸"),
            ["--mount", "--network", "--security"]
        );
        assert_eq!(labels("F‸").len(), 6);
        assert_eq!(labels("FROM --‸"), ["--platform"]);
        assert_eq!(
            labels("FROM a\nHEALTHCHECK --‸"),
            [
                "--interval",
                "--timeout",
                "--start-period",
                "--start-interval",
                "--retries"
            ]
        );
        let (_, items) = complete_with("FROM a\nCOPY --‸", &IdeEnv::default());
        assert_eq!(find(&items, "--from").insert_text, "--from=");
        assert_eq!(find(&items, "--chown").insert_text, "--chown=");
        assert_eq!(find(&items, "--link").insert_text, "--link");
        let (_, items) = complete_with("FROM a\nHEALTHCHECK --‸", &IdeEnv::default());
        assert_eq!(find(&items, "--retries").insert_text, "--retries=");
        assert_eq!(
            labels("FROM --platform=‸ a"),
            [
                "$BUILDPLATFORM",
                "$TARGETPLATFORM",
                "linux/amd64",
                "linux/arm64",
                "windows/amd64"
            ]
        );
        assert_eq!(
            labels("FROM a\nRUN --network=‸"),
            ["default", "none", "host"]
        );
        // No flags after the arguments started.
        assert!(labels("FROM a\nCOPY . --‸").is_empty());
    }

    #[test]
    fn mount_values() {
        let (_, items) = complete_with("FROM a\nRUN --mount=‸", &IdeEnv::default());
        let cache = find(&items, "type=cache");
        assert_eq!(
            cache.insert_text,
            "type=cache,target=${1:/root/.nuget/packages}"
        );
        assert!(cache.snippet);
        assert_eq!(
            labels("FROM a\nRUN --mount=type=‸"),
            ["cache", "bind", "secret", "ssh", "tmpfs"]
        );
        assert_eq!(
            labels("FROM a\nRUN --mount=type=cache,target=/x,‸"),
            ["id", "ro", "sharing", "from", "source", "mode", "uid", "gid"]
        );
        assert_eq!(
            labels("FROM a\nRUN --mount=type=cache,sharing=‸"),
            ["shared", "private", "locked"]
        );
        assert_eq!(
            labels("FROM a AS build\nFROM b\nRUN --mount=type=bind,from=‸"),
            ["build"]
        );
        assert_eq!(
            labels("FROM a\nRUN --mount=type=tmpfs,‸"),
            ["target", "size"]
        );
    }

    #[test]
    fn variables_in_scope() {
        let text = "ARG V=9.0\nARG IMG=sdk:$V\nFROM $‸";
        let (_, items) = complete_with(text, &IdeEnv::default());
        let got: Vec<(&str, Option<&str>)> = items
            .iter()
            .take(3)
            .map(|i| (i.label.as_str(), i.detail.as_deref()))
            .collect();
        assert_eq!(
            got,
            [
                ("IMG", Some("ARG = sdk:9.0")),
                ("V", Some("ARG = 9.0")),
                ("TARGETPLATFORM", Some("BuildKit"))
            ]
        );
        assert_eq!(items.len(), 2 + 8);
        // In a stage: the stage's ARG/ENV and inherited ENV, not the global ARGs.
        let (text, items) = complete_with(
            "ARG V=9.0\nFROM a AS base\nENV HOME_DIR=/h\nFROM base\nARG V\nENV X=1\nRUN echo ${H‸}",
            &IdeEnv::default(),
        );
        let names: Vec<&str> = items.iter().map(|i| i.label.as_str()).collect();
        assert_eq!(&names[..3], ["X", "V", "HOME_DIR"]);
        assert!(names.contains(&"HTTP_PROXY"));
        let x = find(&items, "X");
        assert_eq!(x.insert_text, "X");
        assert_eq!(&text[x.replace.as_range()], "H");
        assert_eq!(find(&items, "V").detail.as_deref(), Some("ARG = 9.0"));
        // `${` without a closing brace gets one.
        let (_, items) = complete_with("FROM a\nENV X=1\nRUN echo ${‸", &IdeEnv::default());
        assert_eq!(items[0].insert_text, "X}");
        // Variables are offered in flag values and heredoc bodies too.
        assert_eq!(labels("FROM a\nARG T\nCOPY --chown=$‸")[0], "T");
        assert_eq!(labels("FROM a\nARG T\nRUN <<EOF\necho $‸\nEOF")[0], "T");
        assert!(labels("FROM a\nARG T\nRUN echo \\$‸").is_empty());
    }

    #[test]
    fn stages_after_from_flag_and_in_from() {
        let text = "FROM mcr.microsoft.com/dotnet/sdk:9.0 AS build\nFROM build AS publish\nFROM base\nCOPY --from=‸";
        let (_, items) = complete_with(text, &IdeEnv::default());
        let got: Vec<(&str, &str)> = items
            .iter()
            .map(|i| (i.label.as_str(), i.detail.as_deref().unwrap_or("")))
            .collect();
        assert_eq!(
            got,
            [
                ("publish", "stage 1 FROM build"),
                ("build", "stage 0 FROM mcr.microsoft.com/dotnet/sdk:9.0")
            ]
        );
        assert_eq!(labels("FROM a AS one\nFROM ‸"), ["one", "scratch"]);
        assert_eq!(labels("FROM a AS one\nFROM b ‸"), ["AS"]);
    }

    struct Catalog;
    impl ImageProvider for Catalog {
        fn complete_names(&self, prefix: &str) -> Vec<ImageSuggestion> {
            [
                "mcr.microsoft.com/dotnet/sdk",
                "mcr.microsoft.com/dotnet/aspnet",
            ]
            .iter()
            .filter(|n| n.starts_with(prefix))
            .enumerate()
            .map(|(i, n)| ImageSuggestion {
                label: n.to_string(),
                detail: None,
                documentation: None,
                rank: i as u32,
            })
            .collect()
        }
        fn complete_tags(&self, repository: &str, prefix: &str) -> Vec<ImageSuggestion> {
            if repository != "mcr.microsoft.com/dotnet/sdk" {
                return Vec::new();
            }
            ["9.0", "9.0-alpine", "8.0"]
                .iter()
                .filter(|t| t.starts_with(prefix))
                .map(|t| ImageSuggestion {
                    label: t.to_string(),
                    detail: Some("tag".into()),
                    documentation: None,
                    rank: 0,
                })
                .collect()
        }
    }

    #[test]
    fn image_names_and_tags_from_the_catalog() {
        let env = IdeEnv {
            images: Some(&Catalog),
            ..Default::default()
        };
        let (text, items) = complete_with("FROM mcr.microsoft.com/dotnet/sdk:9‸", &env);
        let got: Vec<&str> = items.iter().map(|i| i.label.as_str()).collect();
        assert_eq!(got, ["9.0", "9.0-alpine"]);
        assert_eq!(&text[items[0].replace.as_range()], "9");
        assert_eq!(items[0].kind, CompletionKind::Tag);
        let (_, items) = complete_with(
            "FROM --platform=$BUILDPLATFORM mcr.microsoft.com/dotnet/a‸",
            &env,
        );
        let got: Vec<&str> = items.iter().map(|i| i.label.as_str()).collect();
        assert_eq!(got, ["mcr.microsoft.com/dotnet/aspnet", "scratch"]);
    }

    struct Context;
    impl BuildContextProvider for Context {
        fn list_dir(&self, dir: &str) -> Vec<ContextEntry> {
            let entry = |name: &str, is_dir| ContextEntry {
                name: name.to_string(),
                is_dir,
                excluded_by: None,
            };
            match dir {
                "" => vec![
                    ContextEntry {
                        name: "bin".to_string(),
                        is_dir: true,
                        excluded_by: Some("excluded by .dockerignore line 1: **/bin".to_string()),
                    },
                    entry("README.md", false),
                    entry("src", true),
                    entry("App.sln", false),
                    entry("NuGet.config", false),
                ],
                "src/Api" => vec![entry("Program.cs", false), entry("Api.csproj", false)],
                _ => Vec::new(),
            }
        }
    }

    #[test]
    fn build_context_paths_with_project_files_first() {
        let env = IdeEnv {
            context: Some(&Context),
            ..Default::default()
        };
        let (_, items) = complete_with("FROM a\nWORKDIR /src\nCOPY ‸", &env);
        let got: Vec<&str> = items.iter().map(|i| i.label.as_str()).collect();
        assert_eq!(
            got,
            ["App.sln", "NuGet.config", "src/", "README.md", "bin/"]
        );
        let (src, bin) = (find(&items, "src/"), find(&items, "bin/"));
        assert!(src.retrigger && !src.deprecated);
        assert!(bin.deprecated && !bin.retrigger);
        assert_eq!(
            bin.detail.as_deref(),
            Some("excluded by .dockerignore line 1: **/bin")
        );
        let (text, items) = complete_with("FROM a\nWORKDIR /src\nCOPY [\"src/Api/‸", &env);
        let got: Vec<&str> = items.iter().map(|i| i.label.as_str()).collect();
        assert_eq!(got, ["Api.csproj", "Program.cs"]);
        assert_eq!(items[0].replace, TextRange::empty(text.len()));
        // Second argument: WORKDIR folders first.
        let got = complete_with("FROM a\nWORKDIR /src\nCOPY App.sln ‸", &env).1;
        assert_eq!(got[0].label, "/src/");
        // Not for files of another stage.
        assert!(complete_with("FROM a\nCOPY --from=x ‸", &env).1.is_empty());
    }

    #[test]
    fn dotnet_subcommands_options_and_values() {
        let verbs = labels("FROM a\nRUN dotnet ‸");
        assert_eq!(&verbs[..4], ["restore", "build", "publish", "test"]);
        let (_, items) = complete_with(
            "FROM a\nRUN dotnet restore && dotnet pu‸",
            &IdeEnv::default(),
        );
        assert_eq!(find(&items, "publish").insert_text, "publish ");
        let options = labels("FROM a\nRUN dotnet publish -c Release --‸");
        assert!(options.contains(&"--no-restore".to_string()));
        assert!(options.contains(&"--self-contained".to_string()));
        assert!(
            !options.contains(&"--configuration".to_string()),
            "-c is already given"
        );
        assert!(options.contains(&"-p".to_string()));
        assert_eq!(
            labels("FROM a\nRUN dotnet publish -c ‸"),
            ["Release", "Debug"]
        );
        assert_eq!(labels("FROM a\nRUN dotnet publish -a ‸")[0], "$TARGETARCH");
        assert_eq!(
            labels("FROM a\nRUN dotnet publish \\\n    -r ‸")[0],
            "linux-x64"
        );
        assert_eq!(
            labels("FROM a\nRUN dotnet publish /p:‸")[0],
            "UseAppHost=false"
        );
        let (text, items) = complete_with(
            "FROM a\nRUN <<EOF\ndotnet build --no-r‸\nEOF",
            &IdeEnv::default(),
        );
        assert_eq!(
            &text[find(&items, "--no-restore").replace.as_range()],
            "--no-r"
        );
        assert!(labels("FROM a\nRUN echo ‸").is_empty());
        assert!(labels("FROM a\nRUN [\"dotnet\", ‸").is_empty());
    }

    #[test]
    fn snippets_to_plain_text() {
        assert_eq!(
            snippet_to_plain("COPY --from=${1:stage} ${2:source} $0"),
            "COPY --from=stage source "
        );
        assert_eq!(snippet_to_plain("USER \\$APP_UID"), "USER $APP_UID");
        assert_eq!(
            snippet_to_plain("CMD [\"${1:executable}\"]"),
            "CMD [\"executable\"]"
        );
    }
}
