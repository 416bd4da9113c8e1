//! Hover: documentation of instructions, flags, `--mount` options, parser directives and
//! `dotnet` commands; the value of a variable at that point with the instruction that set
//! it; what a stage is built from; image details from the image catalog.

use crate::analysis::Analysis;
use crate::ide::cursor::{instruction_index_at, word_around};
use crate::ide::index::{self, DeclId, Scope, Symbol};
use crate::ide::{docs, links, IdeEnv};
use crate::model::{expand, unquote, BaseImage, Model, VarKind};
use crate::syntax::{Args, Flag, Instruction, Keyword};
use crate::text::TextRange;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hover {
    /// The range the hover is about (highlighted by editors).
    pub range: TextRange,
    pub markdown: String,
}

pub fn hover(analysis: &Analysis, offset: usize, env: &IdeEnv) -> Option<Hover> {
    let tree = &analysis.tree;
    for d in &tree.directives {
        if d.range.contains_inclusive(offset) {
            let info = docs::directive(&d.name)?;
            return Some(Hover {
                range: d.range,
                markdown: info.markdown(),
            });
        }
    }
    let idx = instruction_index_at(tree, offset)?;
    let inst = &tree.instructions[idx];
    if inst.keyword_range.contains_inclusive(offset) {
        return keyword_hover(inst.keyword, inst.keyword_range);
    }
    let eff = inst.effective();
    if let Args::OnBuild(inner) = &inst.args {
        if inner.keyword_range.contains_inclusive(offset) {
            return keyword_hover(inner.keyword, inner.keyword_range);
        }
    }
    if let Some((symbol, range)) = index::symbol_at(analysis, offset) {
        if let Some(markdown) = symbol_markdown(analysis, &symbol, idx, range, env) {
            return Some(Hover { range, markdown });
        }
    }
    if let Some(flag) = eff
        .flags
        .iter()
        .find(|f| f.range.contains_inclusive(offset))
    {
        return flag_hover(&analysis.text, eff.keyword, flag, offset);
    }
    match &eff.args {
        Args::Words(words) if eff.keyword == Keyword::From => {
            let word = words.iter().find(|w| w.range.contains_inclusive(offset))?;
            if word.text.eq_ignore_ascii_case("as") && words.first() != Some(word) {
                return keyword_hover(Keyword::From, word.range);
            }
            if words.first() == Some(word) {
                return image_hover(analysis, idx, word.range, env);
            }
            None
        }
        Args::Healthcheck { kind, .. } if kind.range.contains_inclusive(offset) => {
            keyword_hover(Keyword::Healthcheck, kind.range)
        }
        _ if eff.keyword == Keyword::Run => dotnet_hover(analysis, idx, offset),
        _ => None,
    }
}

fn keyword_hover(keyword: Keyword, range: TextRange) -> Option<Hover> {
    let info = docs::instruction(keyword)?;
    Some(Hover {
        range,
        markdown: info.markdown(),
    })
}

fn flag_hover(text: &str, keyword: Keyword, flag: &Flag, offset: usize) -> Option<Hover> {
    let info = docs::flag(keyword, &flag.name)?;
    if flag.name.eq_ignore_ascii_case("mount") {
        if let Some(value) = flag
            .value
            .as_ref()
            .filter(|v| v.range.contains_inclusive(offset))
        {
            if let Some(hover) = mount_option_hover(text, value.range, offset) {
                return Some(hover);
            }
        }
    }
    Some(Hover {
        range: flag.range,
        markdown: info.markdown(keyword),
    })
}

/// Hover on `type=cache` or `target=...` inside a `--mount` value.
fn mount_option_hover(text: &str, value: TextRange, offset: usize) -> Option<Hover> {
    let src = text.get(value.as_range())?;
    let mount_type = src
        .split(',')
        .find_map(|f| f.strip_prefix("type="))
        .unwrap_or("bind");
    let mut start = value.start();
    for field in src.split(',') {
        let range = TextRange::new(start, start + field.len());
        start += field.len() + 1;
        if !range.contains_inclusive(offset) {
            continue;
        }
        let key = field.split('=').next().unwrap_or(field);
        let key = docs::canonical_mount_key(key);
        if key == "type" {
            let info = docs::mount_type(mount_type)?;
            return Some(Hover {
                range,
                markdown: format!("**--mount=type={}**\n\n{}", info.name, info.doc),
            });
        }
        let info = docs::mount_type(mount_type)?;
        let (_, doc) = info.options.iter().find(|(name, _)| *name == key)?;
        return Some(Hover {
            range,
            markdown: format!("**--mount type={} `{key}`**\n\n{doc}", info.name),
        });
    }
    None
}

fn image_hover(analysis: &Analysis, idx: usize, range: TextRange, env: &IdeEnv) -> Option<Hover> {
    let stage = index::stage_starting_at(&analysis.model, idx)?;
    let BaseImage::Image { word, resolved } = &stage.base else {
        return None;
    };
    let reference = if resolved.is_complete() {
        resolved.text.as_str()
    } else {
        word.text.as_str()
    };
    if let Some(markdown) = env.images.and_then(|images| images.describe(reference)) {
        return Some(Hover { range, markdown });
    }
    let mut markdown = format!("**Image** `{reference}`");
    if !resolved.unresolved.is_empty() {
        markdown.push_str(&format!(
            "\n\nDepends on build arguments without a default: {}",
            resolved
                .unresolved
                .iter()
                .map(|n| format!("`{n}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    if let Some(url) = links::image_page_url(reference) {
        markdown.push_str(&format!("\n\n[Registry page]({url})"));
    }
    Some(Hover { range, markdown })
}

/// A short, one-line rendering of an instruction's source, for "set by" notes.
fn instruction_excerpt(text: &str, inst: &Instruction) -> String {
    let src = text.get(inst.range.as_range()).unwrap_or("");
    let first = src.lines().next().unwrap_or("").trim_end();
    let first = first.trim_end_matches(['\\', '`']).trim_end();
    if first.chars().count() > 80 {
        let cut: String = first.chars().take(77).collect();
        format!("{cut}...")
    } else {
        first.to_string()
    }
}

/// The value of `name` just before instruction `before` (`None`: declared without a value).
fn value_before(model: &Model, scope: Scope, name: &str, before: usize) -> Option<Option<String>> {
    let vars: Vec<(String, Option<String>)> = match scope {
        Scope::Stage(stage) => model.scope_at(stage, before),
        Scope::Global => {
            let mut vars: Vec<(String, Option<String>)> = Vec::new();
            for d in model.global_args.iter().filter(|d| d.instruction < before) {
                let value = d
                    .value
                    .as_ref()
                    .map(|v| expand(&unquote(&v.text), &vars[..]).text);
                vars.push((d.name.to_string(), value));
            }
            vars
        }
    };
    vars.into_iter()
        .rev()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v)
}

fn symbol_markdown(
    analysis: &Analysis,
    symbol: &Symbol,
    idx: usize,
    at: TextRange,
    env: &IdeEnv,
) -> Option<String> {
    let (text, tree, model) = (&analysis.text, &analysis.tree, &analysis.model);
    match symbol {
        Symbol::Var(id) => {
            let decl = id.get(model)?;
            let on_declaration = decl.name_range == at;
            let scope = match (on_declaration, decl.stage) {
                (true, Some(s)) => Scope::Stage(s),
                (true, None) => Scope::Global,
                (false, _) => index::scope_of(model, tree, idx),
            };
            // On a declaration, the value it sets; on a reference, the value there.
            let before = if on_declaration { idx + 1 } else { idx };
            let value = value_before(model, scope, &decl.name, before).flatten();
            let kind = match decl.kind {
                VarKind::Arg => "ARG",
                VarKind::Env => "ENV",
            };
            let mut md = match &value {
                Some(v) => format!("**{kind} {}** = `{v}`", decl.name),
                None => format!(
                    "**{kind} {}** has no value here: set it with `--build-arg {}=<value>`",
                    decl.name, decl.name
                ),
            };
            let setter = tree.instructions.get(decl.instruction)?;
            let line = analysis.line_index.line_of(setter.range.start()) + 1;
            md.push_str(&format!(
                "\n\nSet by `{}` (line {line})",
                instruction_excerpt(text, setter)
            ));
            if let DeclId::Global(_) = id {
                md.push_str("\n\nA global build argument: visible in FROM lines, and in a stage after `ARG ");
                md.push_str(&decl.name);
                md.push('`');
                md.push('.');
            }
            Some(md)
        }
        Symbol::FreeVar { name, scope } => {
            if let Some(doc) = docs::automatic_arg_doc(name) {
                let note = match scope {
                    Scope::Global => String::new(),
                    Scope::Stage(_) => {
                        format!("\n\nInside a stage it is empty unless declared with `ARG {name}`.")
                    }
                };
                return Some(format!("**{name}** (set by BuildKit)\n\n{doc}{note}"));
            }
            if docs::PREDEFINED_ARGS.contains(&name.as_str()) {
                return Some(format!(
                    "**{name}**: a predefined proxy build argument, set with `--build-arg {name}=...`; not kept in the image history."
                ));
            }
            Some(format!(
                "**{name}** is not declared by an ARG or ENV visible here (it may come from the base image or the shell)."
            ))
        }
        Symbol::Stage(name) => {
            let stage = model.stage_by_name(name)?;
            let mut md = format!(
                "**Stage `{}`** (stage {})",
                stage
                    .name
                    .as_ref()
                    .map_or(name.as_str(), |w| w.text.as_str()),
                stage.index
            );
            match &stage.base {
                BaseImage::Image { resolved, .. } => {
                    md.push_str(&format!("\n\nFROM `{}`", resolved.text));
                    if let Some(size) = env.images.and_then(|i| i.compressed_size(&resolved.text)) {
                        md.push_str(&format!(" ({})", crate::ide::code_lens::format_size(size)));
                    }
                }
                BaseImage::Stage(parent) => {
                    let parent_name = model
                        .stages
                        .get(*parent)
                        .and_then(|s| s.name.as_ref())
                        .map_or_else(|| parent.to_string(), |w| w.text.to_string());
                    md.push_str(&format!("\n\nFROM stage `{parent_name}`"));
                }
                BaseImage::Scratch => md.push_str("\n\nFROM `scratch` (empty)"),
                BaseImage::Missing => {}
            }
            if model.final_stage().map(|s| s.index) == Some(stage.index) {
                md.push_str(
                    "\n\nThe final stage: what `docker build` produces without `--target`.",
                );
            }
            Some(md)
        }
        Symbol::Heredoc { instruction, index } => {
            let h = tree
                .instructions
                .get(*instruction)?
                .effective()
                .heredocs
                .get(*index)?;
            let lines = h.content.lines().count();
            let mut md = format!(
                "**Heredoc `{}`**: {lines} line{}",
                h.name,
                if lines == 1 { "" } else { "s" }
            );
            if h.chomp {
                md.push_str(", leading tabs removed (`<<-`)");
            }
            md.push_str(if h.expand {
                ", variables expanded"
            } else {
                ", quoted delimiter: no variable expansion"
            });
            if h.terminator_range.is_none() {
                md.push_str("\n\nNo terminator line: the heredoc runs to the end of the file.");
            }
            Some(md)
        }
    }
}

fn dotnet_hover(analysis: &Analysis, idx: usize, offset: usize) -> Option<Hover> {
    let invocation = analysis
        .model
        .dotnet_commands
        .iter()
        .find(|d| d.instruction == idx && d.command.range.contains_inclusive(offset))?;
    let cmd = &invocation.command;
    let verb = docs::dotnet_verb(&cmd.verb);
    if cmd.verb_range.contains_inclusive(offset) {
        return Some(Hover {
            range: cmd.verb_range,
            markdown: verb?.markdown(),
        });
    }
    let range = word_around(&analysis.text, offset, |c| {
        !c.is_whitespace() && c != '"' && c != '\''
    });
    let word = analysis.text.get(range.as_range())?;
    if !(word.starts_with('-') || word.starts_with('/')) {
        return None;
    }
    let option = verb?.option(word)?;
    Some(Hover {
        range,
        markdown: option.markdown(&cmd.verb),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ide::test_support::{analysis, cursor};
    use crate::ide::ImageProvider;

    fn hover_at(marked: &str) -> Option<(String, String)> {
        let (text, offset) = cursor(marked);
        let a = analysis(&text);
        hover(&a, offset, &IdeEnv::default())
            .map(|h| (text[h.range.as_range()].to_string(), h.markdown))
    }

    #[test]
    fn every_keyword_has_documentation_with_a_reference_link() {
        for keyword in Keyword::ALL {
            let text = format!("FROM a\n{}‸ x\n", keyword.as_str().to_lowercase());
            let (range, md) = hover_at(&text).unwrap();
            assert_eq!(range, keyword.as_str().to_lowercase());
            assert!(md.starts_with(&format!("**{}**", keyword.as_str())), "{md}");
            assert!(
                md.contains("https://docs.docker.com/reference/dockerfile/#"),
                "{md}"
            );
        }
        let (_, md) = hover_at("FROM a\nONBUILD R‸UN x\n").unwrap();
        assert!(md.starts_with("**RUN**"));
    }

    #[test]
    fn flags_mount_options_and_directives() {
        let (range, md) = hover_at("FROM a\nCOPY --ch‸own=app:app . /x\n").unwrap();
        assert_eq!(range, "--chown=app:app");
        assert_eq!(
            md,
            "**COPY --chown=<user>:<group>**\n\nSets the owner of the copied files (names or numeric IDs; Linux containers only). Without it files belong to root.\n\n[Dockerfile reference](https://docs.docker.com/reference/dockerfile/#copy---chown---chmod)"
        );
        let (range, md) =
            hover_at("FROM a\nRUN --mount=type=cache,sharing=lo‸cked true\n").unwrap();
        assert_eq!(range, "sharing=locked");
        assert_eq!(
            md,
            "**--mount type=cache `sharing`**\n\n`shared` (default), `private` or `locked`: how concurrent builds share the cache."
        );
        let (range, md) = hover_at("# esc‸ape=`\nFROM a\n").unwrap();
        assert_eq!(range, "# escape=`");
        assert!(md.starts_with("**# escape=**"));
        assert!(md.ends_with("(https://docs.docker.com/reference/dockerfile/#escape)"));
        let (_, md) = hover_at("# check=skip=JSONArgsRecommended‸\nFROM a\n").unwrap();
        assert!(md.starts_with("**# check=**"));
    }

    #[test]
    fn variable_values_with_the_instruction_that_set_them() {
        let text = "ARG V=9.0\nFROM img:$V‸ AS build\nARG V\nENV DIR=/app/$V\nRUN echo $DIR\n";
        let (range, md) = hover_at(text).unwrap();
        assert_eq!(range, "V");
        assert_eq!(
            md,
            "**ARG V** = `9.0`\n\nSet by `ARG V=9.0` (line 1)\n\nA global build argument: visible in FROM lines, and in a stage after `ARG V`."
        );
        let (_, md) = hover_at(&text.replace("‸", "").replace("echo $DIR", "echo $D‸IR")).unwrap();
        assert_eq!(
            md,
            "**ENV DIR** = `/app/9.0`\n\nSet by `ENV DIR=/app/$V` (line 4)"
        );
        let (_, md) = hover_at("FROM a\nARG TOKEN\nRUN echo $TOK‸EN\n").unwrap();
        assert_eq!(
            md,
            "**ARG TOKEN** has no value here: set it with `--build-arg TOKEN=<value>`\n\nSet by `ARG TOKEN` (line 2)"
        );
        let (_, md) = hover_at("FROM --platform=$BUILDPLA‸TFORM a\n").unwrap();
        assert_eq!(md, "**BUILDPLATFORM** (set by BuildKit)\n\nThe platform of the machine running the build, e.g. `linux/amd64`.");
        // On the declaration itself: the value it sets.
        let (_, md) = hover_at("FROM a\nENV A=1\nENV A‸=2\n").unwrap();
        assert_eq!(md, "**ENV A** = `2`\n\nSet by `ENV A=2` (line 3)");
    }

    #[test]
    fn stages_images_and_heredocs() {
        let text = "FROM mcr.microsoft.com/dotnet/sdk:9.0 AS build\nFROM build AS final\nCOPY --from=bu‸ild /a /b\n";
        let (range, md) = hover_at(text).unwrap();
        assert_eq!(range, "build");
        assert_eq!(
            md,
            "**Stage `build`** (stage 0)\n\nFROM `mcr.microsoft.com/dotnet/sdk:9.0`"
        );
        let (range, md) =
            hover_at(&text.replace("‸", "").replace("dotnet/sdk", "dotnet/s‸dk")).unwrap();
        assert_eq!(range, "mcr.microsoft.com/dotnet/sdk:9.0");
        assert_eq!(
            md,
            "**Image** `mcr.microsoft.com/dotnet/sdk:9.0`\n\n[Registry page](https://mcr.microsoft.com/product/dotnet/sdk/about)"
        );
        let (_, md) = hover_at("FROM a\nRUN <<-'E‸OF'\n\techo $X\nEOF\n").unwrap();
        assert_eq!(md, "**Heredoc `EOF`**: 1 line, leading tabs removed (`<<-`), quoted delimiter: no variable expansion");
    }

    struct Catalog;
    impl ImageProvider for Catalog {
        fn describe(&self, reference: &str) -> Option<String> {
            Some(format!("catalog: {reference}"))
        }
    }

    #[test]
    fn image_catalog_describes_images() {
        let (text, offset) = cursor("ARG V=8.0\nFROM mcr.microsoft.com/dotnet/aspnet:$‸V-alpine\n");
        let a = analysis(&text);
        // On the variable: its value.
        assert!(hover(&a, offset, &IdeEnv::default())
            .unwrap()
            .markdown
            .starts_with("**ARG V**"));
        let offset = text.find("aspnet").unwrap();
        let env = IdeEnv {
            images: Some(&Catalog),
            ..Default::default()
        };
        assert_eq!(
            hover(&a, offset, &env).unwrap().markdown,
            "catalog: mcr.microsoft.com/dotnet/aspnet:8.0-alpine"
        );
    }

    #[test]
    fn dotnet_commands_and_options() {
        let text = "FROM a\nRUN dotnet pub‸lish -c Release --no-restore -p:UseAppHost=false\n";
        let (range, md) = hover_at(text).unwrap();
        assert_eq!(range, "publish");
        assert!(md.starts_with("**dotnet publish**\n\nCompiles the app"));
        assert!(md.ends_with("(https://learn.microsoft.com/dotnet/core/tools/dotnet-publish)"));
        let (range, md) = hover_at(
            &text
                .replace("‸", "")
                .replace("--no-restore", "--no-res‸tore"),
        )
        .unwrap();
        assert_eq!(range, "--no-restore");
        assert_eq!(
            md,
            "**dotnet publish** `--no-restore`\n\nSkips the implicit restore: use after a separate `dotnet restore` layer."
        );
        let (range, md) = hover_at(&text.replace("‸", "").replace("-p:Use", "-p:U‸se")).unwrap();
        assert_eq!(range, "-p:UseAppHost=false");
        assert!(
            md.starts_with("**dotnet publish** `-p <NAME>=<VALUE>`, `--property <NAME>=<VALUE>`")
        );
        assert_eq!(hover_at("FROM a\nRUN echo hel‸lo\n"), None);
    }
}
