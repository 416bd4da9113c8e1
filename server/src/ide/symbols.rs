//! The document outline: one symbol per build stage, containing its instructions.
//!
//! A stage starts at each `FROM` and runs to the last instruction before the next `FROM`.
//! Parser directives and the instructions before the first `FROM` (global `ARG`s) are
//! top-level symbols. Ranges are byte ranges; the protocol layer converts them.

use crate::analysis::Analysis;
use crate::syntax::{Instruction, Keyword, Word};
use crate::text::TextRange;

/// Details longer than this many characters are cut and end with `…`.
const MAX_DETAIL_CHARS: usize = 80;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Symbol {
    /// Never empty (editors reject symbols without a name).
    pub name: String,
    pub detail: Option<String>,
    pub kind: SymbolKind,
    /// The whole construct: a stage from its `FROM` to the end of its last instruction; an
    /// instruction including its continuation lines and heredoc bodies.
    pub range: TextRange,
    /// What an editor selects when the symbol is picked: the stage name (or image), or the
    /// instruction keyword. Always inside `range`.
    pub selection_range: TextRange,
    pub children: Vec<Symbol>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SymbolKind {
    /// A build stage (`FROM ...`).
    Stage,
    /// A parser directive such as `# syntax=`.
    Directive,
    /// `ARG` and `ENV`.
    Variable,
    /// `LABEL` and `MAINTAINER`.
    Metadata,
    /// `RUN`, `CMD`, `ENTRYPOINT`, `HEALTHCHECK`, `SHELL`, `ONBUILD`.
    Command,
    /// `COPY`, `ADD`, `WORKDIR`, `VOLUME`.
    Filesystem,
    /// Everything else: `FROM` itself, `EXPOSE`, `USER`, `STOPSIGNAL`, unknown instructions.
    Instruction,
}

/// The outline of a Dockerfile, in document order.
pub fn document_symbols(analysis: &Analysis) -> Vec<Symbol> {
    let text = analysis.text.as_str();
    let tree = &analysis.tree;
    let mut top_level: Vec<Symbol> = tree
        .directives
        .iter()
        .map(|directive| Symbol {
            name: non_empty(directive.name.clone(), "directive"),
            detail: summary([directive.value.as_str()]),
            kind: SymbolKind::Directive,
            range: directive.range,
            selection_range: directive.name_range,
            children: Vec::new(),
        })
        .collect();

    let mut stage: Option<Symbol> = None;
    let mut stage_count = 0usize;
    for instruction in &tree.instructions {
        let symbol = instruction_symbol(text, instruction);
        if instruction.keyword == Keyword::From {
            top_level.extend(stage.take());
            stage = Some(stage_symbol(instruction, stage_count, symbol));
            stage_count += 1;
        } else if let Some(stage) = stage.as_mut() {
            stage.range = stage.range.cover(symbol.range);
            stage.children.push(symbol);
        } else {
            top_level.push(symbol);
        }
    }
    top_level.extend(stage);
    top_level
}

fn stage_symbol(from: &Instruction, index: usize, from_symbol: Symbol) -> Symbol {
    let words = from.arg_words();
    let image: Option<&Word> = words.first().copied().filter(|w| !w.text.is_empty());
    let stage_name: Option<&Word> = match words.as_slice() {
        [_, as_keyword, name, ..] if as_keyword.text.eq_ignore_ascii_case("as") => Some(*name),
        _ => None,
    }
    .filter(|w| !w.text.is_empty());
    let (name, selection_range) = match (stage_name, image) {
        (Some(name), _) => (name.text.to_string(), name.range),
        (None, Some(image)) => (image.text.to_string(), image.range),
        (None, None) => (format!("stage {index}"), from.keyword_range),
    };
    Symbol {
        name,
        detail: image.map(|w| w.text.to_string()),
        kind: SymbolKind::Stage,
        range: from.range,
        selection_range: clamp_inside(selection_range, from.range),
        children: vec![from_symbol],
    }
}

fn instruction_symbol(text: &str, instruction: &Instruction) -> Symbol {
    let name = match instruction.keyword {
        Keyword::Unknown => text
            .get(instruction.keyword_range.as_range())
            .unwrap_or_default()
            .to_uppercase(),
        keyword => keyword.as_str().to_string(),
    };
    let flags = instruction
        .flags
        .iter()
        .map(|flag| text.get(flag.range.as_range()).unwrap_or_default());
    Symbol {
        name: non_empty(name, "INSTRUCTION"),
        detail: summary(flags.chain([instruction.rest.text.as_str()])),
        kind: kind_of(instruction.keyword),
        range: instruction.range,
        selection_range: clamp_inside(instruction.keyword_range, instruction.range),
        children: Vec::new(),
    }
}

fn kind_of(keyword: Keyword) -> SymbolKind {
    match keyword {
        Keyword::Arg | Keyword::Env => SymbolKind::Variable,
        Keyword::Label | Keyword::Maintainer => SymbolKind::Metadata,
        Keyword::Run
        | Keyword::Cmd
        | Keyword::Entrypoint
        | Keyword::Healthcheck
        | Keyword::Shell
        | Keyword::Onbuild => SymbolKind::Command,
        Keyword::Copy | Keyword::Add | Keyword::Workdir | Keyword::Volume => SymbolKind::Filesystem,
        Keyword::From
        | Keyword::Expose
        | Keyword::User
        | Keyword::Stopsignal
        | Keyword::Unknown => SymbolKind::Instruction,
    }
}

/// The parts joined by single spaces, whitespace runs (line breaks included) collapsed,
/// cut to [`MAX_DETAIL_CHARS`]; `None` when nothing is left.
fn summary<'a>(parts: impl IntoIterator<Item = &'a str>) -> Option<String> {
    let mut out = String::new();
    let mut chars = 0usize;
    for word in parts.into_iter().flat_map(str::split_whitespace) {
        if chars > 0 {
            if chars + 1 > MAX_DETAIL_CHARS {
                out.push('…');
                return Some(out);
            }
            out.push(' ');
            chars += 1;
        }
        for ch in word.chars() {
            if chars == MAX_DETAIL_CHARS {
                out.push('…');
                return Some(out);
            }
            out.push(ch);
            chars += 1;
        }
    }
    (!out.is_empty()).then_some(out)
}

fn non_empty(name: String, fallback: &str) -> String {
    if name.trim().is_empty() {
        fallback.to_string()
    } else {
        name
    }
}

/// LSP requires the selection range to lie inside the symbol's range.
fn clamp_inside(inner: TextRange, outer: TextRange) -> TextRange {
    if outer.start <= inner.start && inner.end <= outer.end {
        inner
    } else {
        TextRange::empty(outer.start())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summary_collapses_whitespace_and_cuts_long_text() {
        assert_eq!(
            summary(["--from=build", "  a \n\t b  "]).as_deref(),
            Some("--from=build a b")
        );
        assert_eq!(summary(["", "  "]), None);
        let long = "x".repeat(200);
        let cut = summary([long.as_str()]).unwrap();
        assert_eq!(cut.chars().count(), MAX_DETAIL_CHARS + 1);
        assert!(cut.ends_with('…'));
        let words = "日本語🐳 ".repeat(40);
        let cut = summary([words.as_str()]).unwrap();
        assert_eq!(cut.chars().count(), MAX_DETAIL_CHARS + 1);
    }

    #[test]
    fn selection_outside_the_range_collapses_to_its_start() {
        let outer = TextRange::new(10, 20);
        assert_eq!(
            clamp_inside(TextRange::new(12, 14), outer),
            TextRange::new(12, 14)
        );
        assert_eq!(
            clamp_inside(TextRange::new(5, 14), outer),
            TextRange::empty(10)
        );
    }

    fn symbols_of(text: &str) -> Vec<Symbol> {
        document_symbols(&crate::analysis::analyze(
            text,
            &crate::analysis::AnalysisEnv::default(),
        ))
    }

    fn range_of(text: &str, needle: &str) -> TextRange {
        let start = text.find(needle).unwrap();
        TextRange::new(start, start + needle.len())
    }

    #[test]
    fn stages_contain_their_instructions() {
        let text = "\
# syntax=docker/dockerfile:1
ARG TAG=8.0
FROM mcr.microsoft.com/dotnet/sdk:${TAG} AS build
WORKDIR /src
RUN dotnet restore \\
    && dotnet publish -c Release -o /app
FROM mcr.microsoft.com/dotnet/aspnet:8.0
COPY --from=build /app .
";
        let symbols = symbols_of(text);
        let names: Vec<&str> = symbols.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "syntax",
                "ARG",
                "build",
                "mcr.microsoft.com/dotnet/aspnet:8.0"
            ]
        );

        assert_eq!(symbols[0].kind, SymbolKind::Directive);
        assert_eq!(symbols[0].detail.as_deref(), Some("docker/dockerfile:1"));
        assert_eq!(symbols[1].detail.as_deref(), Some("TAG=8.0"));

        let build = &symbols[2];
        assert_eq!(build.kind, SymbolKind::Stage);
        assert_eq!(
            build.detail.as_deref(),
            Some("mcr.microsoft.com/dotnet/sdk:${TAG}")
        );
        assert_eq!(build.selection_range, range_of(text, "build"));
        let build_end = text.find(" /app\n").unwrap() + " /app".len();
        assert_eq!(
            build.range,
            TextRange::new(text.find("FROM").unwrap(), build_end)
        );
        let children: Vec<&str> = build.children.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(children, ["FROM", "WORKDIR", "RUN"]);
        let run = &build.children[2];
        assert_eq!(
            run.range,
            TextRange::new(text.find("RUN").unwrap(), build_end)
        );
        assert_eq!(run.selection_range, range_of(text, "RUN"));
        assert_eq!(
            run.detail.as_deref(),
            Some("dotnet restore && dotnet publish -c Release -o /app")
        );

        let final_stage = &symbols[3];
        assert_eq!(
            final_stage.detail.as_deref(),
            Some("mcr.microsoft.com/dotnet/aspnet:8.0")
        );
        assert_eq!(
            final_stage.children[1].detail.as_deref(),
            Some("--from=build /app .")
        );
        assert_eq!(final_stage.children[1].kind, SymbolKind::Filesystem);
    }

    #[test]
    fn unknown_instructions_are_named_by_their_keyword() {
        let symbols = symbols_of("FROM scratch\nfoobar x\n");
        assert_eq!(symbols.len(), 1);
        assert_eq!(symbols[0].children[1].name, "FOOBAR");
        assert_eq!(symbols[0].children[1].detail.as_deref(), Some("x"));
    }

    #[test]
    fn a_from_without_image_still_gets_a_name() {
        let symbols = symbols_of("FROM\nRUN x\n");
        assert_eq!(symbols.len(), 1);
        assert_eq!(symbols[0].name, "stage 0");
        assert_eq!(symbols[0].detail, None);
    }
}
