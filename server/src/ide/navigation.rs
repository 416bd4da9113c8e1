//! Go to definition, find references, document highlight, prepare rename and rename, for
//! stage names, ARG/ENV variables and heredoc delimiters.
//!
//! Stage names compare case-insensitively, as BuildKit does (`FROM build` finds `AS Build`).
//! Variables follow BuildKit's scopes: see `crate::ide::index`.

use std::fmt;

use crate::analysis::Analysis;
use crate::context::ComposeFile;
use crate::ide::index::{self, OccurrenceKind, Resolution, Scope, Symbol};
use crate::ide::TextEdit;
use crate::model::AUTOMATIC_PLATFORM_ARGS;
use crate::text::TextRange;

/// Where the symbol at `offset` is defined: the stage's `AS name`, the ARG/ENV declaration a
/// reference resolves to (from a declaration that re-declares a global ARG: the global ARG),
/// or a heredoc's opening delimiter.
pub fn definition(analysis: &Analysis, offset: usize) -> Vec<TextRange> {
    let Some((symbol, at)) = index::symbol_at(analysis, offset) else {
        return Vec::new();
    };
    let model = &analysis.model;
    match &symbol {
        Symbol::Var(id) => {
            let Some(decl) = id.get(model) else {
                return Vec::new();
            };
            if decl.name_range != at {
                return vec![decl.name_range];
            }
            // On a declaration: the declaration it re-declares, if any.
            let scope = match decl.stage {
                Some(s) => Scope::Stage(s),
                None => Scope::Global,
            };
            let target = match index::resolve(model, &decl.name, decl.instruction, scope) {
                Resolution::Decl(d) => d.get(model),
                _ if decl.stage.is_some() => {
                    model.global_args.iter().rev().find(|g| g.name == decl.name)
                }
                _ => None,
            };
            vec![target.map_or(decl.name_range, |d| d.name_range)]
        }
        Symbol::FreeVar { .. } => Vec::new(),
        Symbol::Stage(_) | Symbol::Heredoc { .. } => index::occurrences(analysis, &symbol)
            .into_iter()
            .find(|o| o.kind == OccurrenceKind::Definition)
            .map(|o| vec![o.range])
            .unwrap_or_default(),
    }
}

/// Every occurrence of the symbol at `offset`, in source order; declarations (and heredoc
/// terminators) only when `include_declaration`.
pub fn references(analysis: &Analysis, offset: usize, include_declaration: bool) -> Vec<TextRange> {
    let Some((symbol, _)) = index::symbol_at(analysis, offset) else {
        return Vec::new();
    };
    index::occurrences(analysis, &symbol)
        .into_iter()
        .filter(|o| include_declaration || o.kind == OccurrenceKind::Read)
        .map(|o| o.range)
        .collect()
}

/// A place in another file of the workspace: a byte range of that file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExternalLocation {
    pub path: std::path::PathBuf,
    pub range: TextRange,
}

/// The `build.target` values of compose services that build this Dockerfile (`dockerfile`,
/// an absolute path) and name the stage at `offset`, without their quotes. Stage names
/// compare case-insensitively, as BuildKit does.
pub fn compose_stage_references(
    analysis: &Analysis,
    dockerfile: &std::path::Path,
    compose_files: &[ComposeFile],
    offset: usize,
) -> Vec<ExternalLocation> {
    let Some((Symbol::Stage(name), _)) = index::symbol_at(analysis, offset) else {
        return Vec::new();
    };
    let dockerfile = crate::dotnet::paths::normalize(dockerfile);
    let mut out = Vec::new();
    for compose in compose_files {
        for service in &compose.services {
            let Some(build) = &service.build else {
                continue;
            };
            let Some(target) = &build.target else {
                continue;
            };
            if !target.value.eq_ignore_ascii_case(&name)
                || build.dockerfile_path(compose.dir()).as_deref() != Some(dockerfile.as_path())
            {
                continue;
            }
            // A quoted scalar's range includes its quotes.
            let range = if target.range.len() >= target.value.len() + 2 {
                TextRange::new(target.range.start() + 1, target.range.end() - 1)
            } else {
                target.range
            };
            out.push(ExternalLocation {
                path: compose.path.clone(),
                range,
            });
        }
    }
    out
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HighlightKind {
    /// A declaration or re-declaration.
    Write,
    /// A use.
    Read,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Highlight {
    pub range: TextRange,
    pub kind: HighlightKind,
}

/// The occurrences of the symbol at `offset` to highlight in the document.
pub fn document_highlights(analysis: &Analysis, offset: usize) -> Vec<Highlight> {
    let Some((symbol, _)) = index::symbol_at(analysis, offset) else {
        return Vec::new();
    };
    index::occurrences(analysis, &symbol)
        .into_iter()
        .map(|o| Highlight {
            range: o.range,
            kind: match o.kind {
                OccurrenceKind::Read => HighlightKind::Read,
                _ => HighlightKind::Write,
            },
        })
        .collect()
}

/// Why a rename cannot be done. The message is meant for the user.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RenameError {
    NothingToRename,
    NotRenamable(String),
    InvalidName(String),
    Conflict(String),
}

impl fmt::Display for RenameError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RenameError::NothingToRename => f.write_str(
                "only stage names, ARG/ENV variables and heredoc delimiters can be renamed",
            ),
            RenameError::NotRenamable(m)
            | RenameError::InvalidName(m)
            | RenameError::Conflict(m) => f.write_str(m),
        }
    }
}

impl std::error::Error for RenameError {}

/// What prepareRename answers: the range to rename and its current text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RenameTarget {
    pub range: TextRange,
    pub placeholder: String,
}

fn renamable(analysis: &Analysis, offset: usize) -> Result<(Symbol, TextRange), RenameError> {
    let (symbol, range) = index::symbol_at(analysis, offset).ok_or(RenameError::NothingToRename)?;
    if let Symbol::FreeVar { name, .. } = &symbol {
        return Err(RenameError::NotRenamable(
            if AUTOMATIC_PLATFORM_ARGS.contains(&name.as_str())
                || crate::ide::docs::PREDEFINED_ARGS.contains(&name.as_str())
            {
                format!("`{name}` is defined by BuildKit and cannot be renamed")
            } else {
                format!("no ARG or ENV declares `{name}` here, so there is nothing to rename")
            },
        ));
    }
    Ok((symbol, range))
}

pub fn prepare_rename(analysis: &Analysis, offset: usize) -> Result<RenameTarget, RenameError> {
    let (_, range) = renamable(analysis, offset)?;
    Ok(RenameTarget {
        range,
        placeholder: analysis
            .text
            .get(range.as_range())
            .unwrap_or("")
            .to_string(),
    })
}

/// BuildKit's stage name rule, applied to the lower-cased name.
pub fn is_valid_stage_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    let mut chars = lower.chars();
    chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && chars
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '-' | '_' | '.'))
}

pub fn is_valid_variable_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

fn is_valid_heredoc_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
}

/// The edits that rename the symbol at `offset` to `new_name` everywhere in the document.
pub fn rename(
    analysis: &Analysis,
    offset: usize,
    new_name: &str,
) -> Result<Vec<TextEdit>, RenameError> {
    let (symbol, _) = renamable(analysis, offset)?;
    let model = &analysis.model;
    match &symbol {
        Symbol::Stage(current) => {
            if !is_valid_stage_name(new_name) {
                return Err(RenameError::InvalidName(format!(
                    "`{new_name}` is not a valid stage name: it must start with a letter and contain only letters, digits, `-`, `_` and `.`"
                )));
            }
            let lower = new_name.to_ascii_lowercase();
            if matches!(lower.as_str(), "scratch" | "context") {
                return Err(RenameError::InvalidName(format!(
                    "`{lower}` is a reserved stage name"
                )));
            }
            if &lower != current && model.stage_by_name(&lower).is_some() {
                return Err(RenameError::Conflict(format!(
                    "a stage named `{lower}` already exists"
                )));
            }
        }
        Symbol::Var(id) => {
            if !is_valid_variable_name(new_name) {
                return Err(RenameError::InvalidName(format!(
                    "`{new_name}` is not a valid variable name: use letters, digits and `_`, not starting with a digit"
                )));
            }
            let group = index::decl_group(model, *id);
            let scopes: Vec<Option<usize>> = group
                .iter()
                .filter_map(|d| d.get(model))
                .map(|d| d.stage)
                .collect();
            let clash = model
                .global_args
                .iter()
                .chain(&model.stage_vars)
                .any(|d| d.name == new_name && scopes.contains(&d.stage))
                && id.get(model).is_some_and(|d| d.name != new_name);
            if clash {
                return Err(RenameError::Conflict(format!(
                    "a variable named `{new_name}` is already declared in this scope"
                )));
            }
        }
        Symbol::Heredoc { instruction, index } => {
            if !is_valid_heredoc_name(new_name) {
                return Err(RenameError::InvalidName(format!(
                    "`{new_name}` is not a valid heredoc delimiter: use letters, digits, `_`, `-` and `.`"
                )));
            }
            let heredoc = analysis
                .tree
                .instructions
                .get(*instruction)
                .and_then(|i| i.effective().heredocs.get(*index));
            if let Some(h) = heredoc {
                let ends_early = h.content.lines().any(|line| {
                    let line = if h.chomp {
                        line.trim_start_matches('\t')
                    } else {
                        line
                    };
                    line.trim_end_matches('\r') == new_name
                });
                if ends_early {
                    return Err(RenameError::Conflict(format!(
                        "the heredoc body has a line `{new_name}`, which would end it early"
                    )));
                }
            }
        }
        Symbol::FreeVar { .. } => return Err(RenameError::NothingToRename),
    }
    Ok(index::occurrences(analysis, &symbol)
        .into_iter()
        .filter(|o| analysis.text.get(o.range.as_range()) != Some(new_name))
        .map(|o| TextEdit::replace(o.range, new_name))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ide::apply_edits;
    use crate::ide::test_support::{analysis, cursor, slices};

    const FILE: &str = "\
ARG DOTNET=9.0
FROM mcr.microsoft.com/dotnet/sdk:$DOTNET AS Build
ARG DOTNET
ENV OUT=/app/publish
RUN dotnet publish -o $OUT && echo ${DOTNET:-x}
FROM build AS test
RUN echo $OUT
FROM mcr.microsoft.com/dotnet/aspnet:${DOTNET}
COPY --from=build /app/publish .
RUN --mount=type=cache,from=BUILD,target=/x true
";

    fn at(marked: &str) -> (crate::analysis::Analysis, String, usize) {
        let (text, offset) = cursor(marked);
        (analysis(&text), text, offset)
    }

    fn mark(needle: &str, nth: usize) -> String {
        let mut at = 0;
        for _ in 0..=nth {
            at = FILE[at..].find(needle).map(|i| at + i + 1).unwrap();
        }
        let mut s = FILE.to_string();
        s.insert(at, '‸');
        s
    }

    #[test]
    fn stage_definition_from_every_kind_of_reference() {
        for (needle, nth) in [("build /app", 0), ("BUILD,", 0), ("build AS", 0)] {
            let (a, text, offset) = at(&mark(needle, nth));
            let defs = definition(&a, offset);
            assert_eq!(slices(&text, &defs), ["Build"], "{needle}");
            assert_eq!(defs[0].start(), text.find("Build").unwrap());
        }
    }

    #[test]
    fn stage_references_and_highlights() {
        let (a, text, offset) = at(&mark("Build", 0));
        let refs = references(&a, offset, true);
        assert_eq!(slices(&text, &refs), ["Build", "build", "build", "BUILD"]);
        let refs = references(&a, offset, false);
        assert_eq!(slices(&text, &refs), ["build", "build", "BUILD"]);
        let kinds: Vec<HighlightKind> = document_highlights(&a, offset)
            .iter()
            .map(|h| h.kind)
            .collect();
        assert_eq!(
            kinds,
            [
                HighlightKind::Write,
                HighlightKind::Read,
                HighlightKind::Read,
                HighlightKind::Read
            ]
        );
    }

    #[test]
    fn rename_stage_everywhere() {
        let (a, text, offset) = at(&mark("build AS", 0));
        assert_eq!(
            prepare_rename(&a, offset),
            Ok(RenameTarget {
                range: TextRange::new(
                    text.find("build AS").unwrap(),
                    text.find("build AS").unwrap() + 5
                ),
                placeholder: "build".into()
            })
        );
        let edits = rename(&a, offset, "compile").unwrap();
        let renamed = apply_edits(&text, &edits);
        assert_eq!(
            renamed,
            FILE.replace("AS Build", "AS compile")
                .replace("FROM build", "FROM compile")
                .replace("from=build", "from=compile")
                .replace("from=BUILD", "from=compile")
        );
        assert!(matches!(
            rename(&a, offset, "9lives"),
            Err(RenameError::InvalidName(_))
        ));
        assert!(matches!(
            rename(&a, offset, "scratch"),
            Err(RenameError::InvalidName(_))
        ));
        assert_eq!(
            rename(&a, offset, "Test").unwrap_err().to_string(),
            "a stage named `test` already exists"
        );
    }

    #[test]
    fn variables_follow_scopes() {
        // `$DOTNET` in the first FROM refers to the global ARG.
        let (a, text, offset) = at(&mark("$DOTNET AS", 0));
        assert_eq!(definition(&a, offset), vec![TextRange::new(4, 10)]);
        // All DOTNET occurrences: global ARG, FROM, stage ARG, `${DOTNET:-x}`, last FROM.
        let refs = references(&a, offset, true);
        assert_eq!(slices(&text, &refs), ["DOTNET"; 5]);
        // The stage's `ARG DOTNET` goes to the global one.
        let (a, _, offset) = at(&FILE.replacen("\nARG DOTNET\n", "\nARG ‸DOTNET\n", 1));
        assert_eq!(definition(&a, offset), vec![TextRange::new(4, 10)]);
        // ENV is inherited by `FROM build`.
        let (a, text, offset) = at(&mark("$OUT\n", 0));
        let defs = definition(&a, offset);
        assert_eq!(defs[0].start(), text.find("OUT=").unwrap());
        assert_eq!(references(&a, offset, false).len(), 2);
    }

    #[test]
    fn rename_variable_and_validation() {
        let (a, text, offset) = at(&mark("OUT=", 0));
        let edits = rename(&a, offset, "PUBLISH_DIR").unwrap();
        assert_eq!(
            apply_edits(&text, &edits),
            FILE.replace("OUT", "PUBLISH_DIR")
        );
        assert!(matches!(
            rename(&a, offset, "1X"),
            Err(RenameError::InvalidName(_))
        ));
        assert_eq!(
            rename(&a, offset, "DOTNET").unwrap_err().to_string(),
            "a variable named `DOTNET` is already declared in this scope"
        );
        let (a, _, offset) = at("FROM a\nARG TARGETARCH\nRUN echo $HOME ${TARGETARCH}\n"
            .replace("$HOME", "$HO‸ME")
            .as_str());
        assert_eq!(
            prepare_rename(&a, offset).unwrap_err().to_string(),
            "no ARG or ENV declares `HOME` here, so there is nothing to rename"
        );
        let (a, text, offset) = at("FROM --platform=$BUILD‸PLATFORM a\n");
        assert_eq!(
            prepare_rename(&a, offset).unwrap_err().to_string(),
            "`BUILDPLATFORM` is defined by BuildKit and cannot be renamed"
        );
        assert_eq!(
            slices(&text, &references(&a, offset, true)),
            ["BUILDPLATFORM"]
        );
    }

    #[test]
    fn heredoc_delimiters() {
        let (a, text, offset) = at("FROM a\nRUN <<-E‸OF\n\techo EOT\n\tEOF\n");
        assert_eq!(
            slices(
                &text,
                &document_highlights(&a, offset)
                    .iter()
                    .map(|h| h.range)
                    .collect::<Vec<_>>()
            ),
            ["EOF", "EOF"]
        );
        let edits = rename(&a, offset, "SCRIPT").unwrap();
        assert_eq!(
            apply_edits(&text, &edits),
            "FROM a\nRUN <<-SCRIPT\n\techo EOT\n\tSCRIPT\n"
        );
        let (a, _, offset) = at("FROM a\nRUN <<E‸OF\nEOT\nEOF\n");
        assert!(matches!(
            rename(&a, offset, "EOT"),
            Err(RenameError::Conflict(_))
        ));
        // From the terminator back to the opening.
        let (a, text, offset) = at("FROM a\nCOPY <<EOF /x\nhi\nE‸OF\n");
        assert_eq!(
            definition(&a, offset),
            vec![TextRange::new(
                text.find("EOF").unwrap(),
                text.find("EOF").unwrap() + 3
            )]
        );
    }

    #[test]
    fn nothing_at_plain_text() {
        let (a, _, offset) = at("FROM a\nRUN ec‸ho\n");
        assert!(definition(&a, offset).is_empty());
        assert!(references(&a, offset, true).is_empty());
        assert_eq!(
            prepare_rename(&a, offset),
            Err(RenameError::NothingToRename)
        );
    }
}

#[cfg(test)]
mod compose_tests {
    use super::*;
    use crate::context::parse_compose;
    use crate::ide::test_support::{analysis, cursor};
    use std::path::Path;

    #[test]
    fn compose_build_targets_that_name_the_stage() {
        let compose = parse_compose(
            Path::new("/repo/compose.yaml"),
            "services:\n  api:\n    build:\n      context: .\n      dockerfile: src/Api/Dockerfile\n      target: \"Final\"\n  api-debug:\n    build:\n      context: src/Api\n      target: build\n  other:\n    build:\n      context: src/Other\n      target: final\n",
        );
        let (text, offset) =
            cursor("# café\nFROM a AS build\nFROM b AS fi‸nal\nCOPY --from=build /x /y\n");
        let a = analysis(&text);
        let dockerfile = Path::new("/repo/src/Api/Dockerfile");
        let found =
            compose_stage_references(&a, dockerfile, std::slice::from_ref(&compose), offset);
        assert_eq!(
            found,
            [ExternalLocation {
                path: "/repo/compose.yaml".into(),
                range: TextRange::new(97, 102),
            }]
        );
        let build = text.find("build").unwrap() + 1;
        let found = compose_stage_references(&a, dockerfile, std::slice::from_ref(&compose), build);
        assert_eq!(found[0].range, TextRange::new(165, 170));
        // Not a stage: nothing.
        assert!(compose_stage_references(&a, dockerfile, &[compose], 0).is_empty());
    }
}
