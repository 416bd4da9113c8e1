//! Completion of the image in a `FROM` line, offline from the embedded catalog:
//! - image names: earlier stage names first, then `mcr.microsoft.com/dotnet/` and the .NET
//!   repositories (`mcr.microsoft.com/dotnet/sdk`, `aspnet`, ...);
//! - after `mcr.microsoft.com/dotnet/<repository>:`, its tags, ranked: the TargetFramework
//!   version of the projects the Dockerfile builds first (when a solution is known), then
//!   supported versions newest first; each with its size for the platform that applies and its
//!   support status;
//! - with registry look-ups on, after those the tags the registry listed for the repository
//!   (any registry), from the answers cached so far.
//!
//! The items are plain data; the protocol layer turns them into LSP completion items.

use super::image_hover::platform_of;
use crate::analysis::{Analysis, AnalysisEnv};
use crate::dotnet::{target_framework_identifier, target_framework_version};
use crate::images::{Catalog, DotnetVersion, ImageRef};
use crate::model::{expand, BaseImage};
use crate::rules::image::projects::built_projects;
use crate::syntax::{Args, Keyword};
use crate::text::TextRange;

const DOTNET_FOLDER: &str = "mcr.microsoft.com/dotnet/";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ImageCompletionKind {
    /// A stage defined earlier in the file.
    Stage,
    /// `mcr.microsoft.com/dotnet/`: a prefix to complete further.
    Folder,
    /// `mcr.microsoft.com/dotnet/aspnet`
    Repository,
    /// `10.0-noble-chiseled`
    Tag,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImageCompletionItem {
    pub label: String,
    pub kind: ImageCompletionKind,
    /// Size and support status for tags, the description for repositories.
    pub detail: Option<String>,
    /// The text that replaces `replace_range`.
    pub insert_text: String,
    /// What the client filters on (the text of `replace_range` is compared with it).
    pub filter_text: String,
    pub replace_range: TextRange,
    /// Keeps the ranking: sort items by this, not by label.
    pub sort_text: String,
    /// Ask the client to complete again after inserting (the folder, and repositories, which
    /// are inserted with their `:`).
    pub retrigger: bool,
}

/// Completion items for the `FROM` image at `offset`; `None` when `offset` is not where a
/// `FROM` image is written.
pub fn complete_image(
    analysis: &Analysis,
    offset: usize,
    env: &AnalysisEnv,
) -> Option<Vec<ImageCompletionItem>> {
    let text = analysis.text.as_str();
    let (instruction_index, instruction) = analysis
        .tree
        .instructions
        .iter()
        .enumerate()
        .find(|(_, i)| i.range.contains_inclusive(offset))?;
    if instruction.keyword != Keyword::From
        || offset <= instruction.keyword_range.end()
        || instruction
            .flags
            .iter()
            .any(|flag| offset <= flag.range.end())
        || instruction.start_line != instruction.end_line
    {
        return None;
    }
    let first = match &instruction.args {
        Args::Words(words) => words.first(),
        _ => None,
    };
    let (start, end) = match first {
        Some(word) if word.range.contains_inclusive(offset) => {
            (word.range.start(), word.range.end())
        }
        Some(word) if offset > word.range.end() => return None,
        _ => {
            // Nothing typed yet: only in the blank after `FROM` and its flags.
            let before = text.get(instruction.keyword_range.end()..offset)?;
            if !before.ends_with([' ', '\t']) {
                return None;
            }
            (offset, offset)
        }
    };
    let typed = text.get(start..offset)?;
    if typed.contains('@') {
        return None;
    }
    let stage = analysis
        .model
        .stages
        .iter()
        .find(|stage| stage.from == instruction_index)?;
    let tag_colon = typed
        .rfind(':')
        .filter(|colon| typed.rfind('/').is_none_or(|slash| slash < *colon));
    match tag_colon {
        Some(colon) => {
            let name = &typed[..colon];
            let name = if name.contains('$') {
                let expanded = expand(name, &analysis.model.global_scope()[..]);
                if !expanded.is_complete() {
                    return None;
                }
                expanded.text
            } else {
                name.to_string()
            };
            let platform = platform_of(&analysis.model, stage, env);
            Some(tag_items(
                analysis,
                env,
                &name,
                &platform,
                TextRange::new(start + colon + 1, end),
            ))
        }
        None => Some(name_items(
            analysis,
            stage.index,
            typed,
            TextRange::new(start, end),
        )),
    }
}

fn tag_items(
    analysis: &Analysis,
    env: &AnalysisEnv,
    name: &str,
    platform: &str,
    replace_range: TextRange,
) -> Vec<ImageCompletionItem> {
    let reference = ImageRef::parse(name);
    let mut items = catalog_tag_items(analysis, env, &reference, platform, replace_range);
    // With look-ups on, the registry's tags follow the catalog's (the catalog ranks and
    // describes its own; the registry knows the rest, and every other repository).
    let registry_tags = env
        .registry
        .as_deref()
        .and_then(|registry| registry.cached_tags(&reference))
        .unwrap_or_default();
    let registry = reference.registry();
    for (index, tag) in registry_tags.into_iter().enumerate() {
        if items.iter().any(|item| item.label == tag) {
            continue;
        }
        items.push(ImageCompletionItem {
            label: tag.clone(),
            kind: ImageCompletionKind::Tag,
            detail: Some(format!("tag in {registry}")),
            insert_text: tag.clone(),
            filter_text: tag,
            replace_range,
            sort_text: format!("r{index:05}"),
            retrigger: false,
        });
    }
    items
}

/// The catalog's tags of a `mcr.microsoft.com/dotnet/` repository, ranked.
fn catalog_tag_items(
    analysis: &Analysis,
    env: &AnalysisEnv,
    reference: &ImageRef,
    platform: &str,
    replace_range: TextRange,
) -> Vec<ImageCompletionItem> {
    if !reference
        .registry()
        .eq_ignore_ascii_case("mcr.microsoft.com")
    {
        return Vec::new();
    }
    let catalog = Catalog::embedded();
    let Some(repo) = catalog.find_repository(reference.repository()) else {
        return Vec::new();
    };
    let preferred = preferred_version(analysis, env);
    catalog
        .tags_for(repo.path, preferred, &env.today, Some(platform))
        .into_iter()
        .map(|item| ImageCompletionItem {
            label: item.tag.to_string(),
            kind: ImageCompletionKind::Tag,
            detail: Some(item.detail),
            insert_text: item.tag.to_string(),
            filter_text: item.tag.to_string(),
            replace_range,
            sort_text: item.sort_text,
            retrigger: false,
        })
        .collect()
}

fn name_items(
    analysis: &Analysis,
    current_stage: usize,
    typed: &str,
    replace_range: TextRange,
) -> Vec<ImageCompletionItem> {
    let mut items = Vec::new();
    for stage in analysis.model.stages.iter().take(current_stage) {
        let Some(name) = &stage.name else { continue };
        let detail = match &stage.base {
            BaseImage::Image { resolved, .. } => {
                format!("stage {} on {}", stage.index, resolved.text)
            }
            BaseImage::Stage(parent) => match analysis
                .model
                .stages
                .get(*parent)
                .and_then(|p| p.name.as_ref())
            {
                Some(parent) => format!("stage {} on stage {}", stage.index, parent.text),
                None => format!("stage {}", stage.index),
            },
            BaseImage::Scratch => format!("stage {} on scratch", stage.index),
            BaseImage::Missing => format!("stage {}", stage.index),
        };
        items.push(ImageCompletionItem {
            label: name.text.to_string(),
            kind: ImageCompletionKind::Stage,
            detail: Some(detail),
            insert_text: name.text.to_string(),
            filter_text: name.text.to_string(),
            replace_range,
            sort_text: format!("0{:04}", stage.index),
            retrigger: false,
        });
    }
    let lower = typed.to_ascii_lowercase();
    let in_folder = lower.starts_with(DOTNET_FOLDER);
    if !in_folder {
        items.push(ImageCompletionItem {
            label: DOTNET_FOLDER.to_string(),
            kind: ImageCompletionKind::Folder,
            detail: Some("Microsoft .NET images".to_string()),
            insert_text: DOTNET_FOLDER.to_string(),
            filter_text: DOTNET_FOLDER.to_string(),
            replace_range,
            sort_text: "1".to_string(),
            retrigger: true,
        });
    }
    for (position, repo) in Catalog::embedded()
        .repository_items()
        .into_iter()
        .enumerate()
    {
        items.push(ImageCompletionItem {
            label: if in_folder {
                repo.short_name.to_string()
            } else {
                repo.image_name.clone()
            },
            kind: ImageCompletionKind::Repository,
            detail: Some(repo.description.to_string()),
            insert_text: format!("{}:", repo.image_name),
            filter_text: repo.image_name,
            replace_range,
            sort_text: format!("2{position:02}"),
            retrigger: true,
        });
    }
    items
}

/// The newest .NET TargetFramework version of the projects this Dockerfile builds.
fn preferred_version(analysis: &Analysis, env: &AnalysisEnv) -> Option<DotnetVersion> {
    let workspace = env.solution.as_ref()?.workspace.as_ref();
    built_projects(workspace, env.path.as_deref(), &analysis.model)
        .into_iter()
        .flat_map(|project| project.target_frameworks.iter())
        .filter(|tfm| target_framework_identifier(tfm) == ".NETCoreApp")
        .filter_map(|tfm| target_framework_version(tfm))
        .filter_map(|version| DotnetVersion::parse(&version))
        .max()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::analyze;
    use crate::context::SolutionSnapshot;
    use crate::dotnet::{paths, Workspace, WorkspaceOptions};
    use crate::rules::test_support::test_env;

    fn complete(text: &str, cursor: &str, env: &AnalysisEnv) -> Option<Vec<ImageCompletionItem>> {
        let offset = text.find(cursor).expect("cursor marker");
        let text = text.replacen(cursor, "", 1);
        let analysis = analyze(&text, env);
        complete_image(&analysis, offset, env)
    }

    fn labels(items: &[ImageCompletionItem]) -> Vec<&str> {
        items.iter().map(|item| item.label.as_str()).collect()
    }

    #[test]
    fn image_names_stages_first() {
        let text =
            "FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build\nFROM alpine:3.20 AS tools\nFROM |\n";
        let items = complete(text, "|", &test_env()).expect("items");
        assert_eq!(
            labels(&items),
            [
                "build",
                "tools",
                "mcr.microsoft.com/dotnet/",
                "mcr.microsoft.com/dotnet/sdk",
                "mcr.microsoft.com/dotnet/aspnet",
                "mcr.microsoft.com/dotnet/runtime",
                "mcr.microsoft.com/dotnet/runtime-deps",
                "mcr.microsoft.com/dotnet/monitor",
                "mcr.microsoft.com/dotnet/monitor/base",
                "mcr.microsoft.com/dotnet/aspire-dashboard",
            ]
        );
        assert_eq!(
            items[0].detail.as_deref(),
            Some("stage 0 on mcr.microsoft.com/dotnet/sdk:10.0")
        );
        let offset = text.find('|').unwrap_or(0);
        assert!(items
            .iter()
            .all(|item| item.replace_range == TextRange::empty(offset)));
        assert_eq!(items[4].insert_text, "mcr.microsoft.com/dotnet/aspnet:");
        assert!(items[4].retrigger);
    }

    #[test]
    fn repositories_inside_the_dotnet_folder_use_short_labels() {
        let text = "FROM mcr.microsoft.com/dotnet/as|\n";
        let items = complete(text, "|", &test_env()).expect("items");
        assert_eq!(labels(&items)[..3], ["sdk", "aspnet", "runtime"]);
        assert_eq!(items[1].filter_text, "mcr.microsoft.com/dotnet/aspnet");
        assert_eq!(items[1].replace_range, TextRange::new(5, 32));
    }

    #[test]
    fn tags_ranked_with_size_and_support() {
        let text = "ARG REPO=mcr.microsoft.com/dotnet/aspnet\nFROM --platform=linux/arm64 ${REPO}:10|.0 AS final\n";
        let items = complete(text, "|", &test_env()).expect("items");
        let expected =
            Catalog::embedded().tags_for("aspnet", None, "2026-11-26", Some("linux/arm64"));
        assert_eq!(items.len(), expected.len());
        assert_eq!(items[0].label, expected[0].tag);
        assert_eq!(
            items[0].detail.as_deref(),
            Some(expected[0].detail.as_str())
        );
        assert_eq!(items[0].label, "11.0-preview");
        let start = text.find("10|").unwrap_or(0);
        assert_eq!(items[0].replace_range, TextRange::new(start, start + 4));
    }

    #[test]
    fn the_project_target_framework_comes_first() {
        let dir = tempfile::tempdir().expect("temporary folder");
        let root = paths::normalize(dir.path());
        let project = root.join("src/Api/Api.csproj");
        std::fs::create_dir_all(project.parent().expect("parent")).expect("folders");
        std::fs::write(&project, "<Project Sdk=\"Microsoft.NET.Sdk.Web\"><PropertyGroup><TargetFramework>net9.0</TargetFramework></PropertyGroup></Project>").expect("write");
        let mut env = test_env();
        env.path = Some(root.join("src/Api/Dockerfile"));
        env.solution = Some(SolutionSnapshot::new(Workspace::index(
            &root,
            WorkspaceOptions::default(),
        )));
        let items =
            complete("FROM mcr.microsoft.com/dotnet/runtime:|\n", "|", &env).expect("items");
        assert_eq!(
            labels(&items)[..3],
            ["9.0", "9.0-bookworm-slim", "9.0-alpine"]
        );
        assert_eq!(
            items[0].detail.as_deref(),
            Some("77.8 MB · Debian 12 slim (bookworm) · out of support since 2026-11-10")
        );
    }

    #[test]
    fn registry_tags_follow_the_catalog_tags() {
        use crate::images::registry::test_support::{found, missing, CachedAnswers};
        let env = AnalysisEnv {
            registry: Some(CachedAnswers::new([
                found(
                    "localhost:5000/team/base:1.0",
                    Vec::new(),
                    &["1.0", "1.1", "latest"],
                ),
                missing(
                    "mcr.microsoft.com/dotnet/aspnet:latest",
                    true,
                    &["10.0", "99.0-future"],
                ),
            ])),
            ..test_env()
        };
        let items = complete("FROM localhost:5000/team/base:1|\n", "|", &env).expect("items");
        assert_eq!(labels(&items), ["1.0", "1.1", "latest"]);
        assert_eq!(items[0].detail.as_deref(), Some("tag in localhost:5000"));
        assert_eq!(items[2].sort_text, "r00002");
        assert_eq!(items[0].replace_range, TextRange::new(30, 31));
        let items = complete("FROM mcr.microsoft.com/dotnet/aspnet:|\n", "|", &env).expect("items");
        let catalog =
            Catalog::embedded().tags_for("aspnet", None, "2026-11-26", Some("linux/amd64"));
        assert_eq!(items.len(), catalog.len() + 1);
        assert_eq!(items[0].label, catalog[0].tag);
        let last = items.last().expect("a registry tag");
        assert_eq!(
            (last.label.as_str(), last.detail.as_deref()),
            ("99.0-future", Some("tag in mcr.microsoft.com"))
        );
        // Nothing cached for the repository: no registry tags.
        assert_eq!(
            complete("FROM localhost:5000/team/other:|\n", "|", &env),
            Some(Vec::new())
        );
    }

    #[test]
    fn nothing_outside_the_image_or_for_other_registries() {
        let env = test_env();
        assert_eq!(complete("FROM alpine AS |\n", "|", &env), None);
        assert_eq!(complete("FR|OM alpine\n", "|", &env), None);
        assert_eq!(complete("RUN echo |\n", "|", &env), None);
        assert_eq!(
            complete("FROM --platform=|linux/amd64 alpine\n", "|", &env),
            None
        );
        assert_eq!(
            complete("FROM mcr.microsoft.com/dotnet/sdk@sha256:|\n", "|", &env),
            None
        );
        assert_eq!(complete("FROM ubuntu:|\n", "|", &env), Some(Vec::new()));
        assert_eq!(complete("FROM ${NOPE}:|\n", "|", &env), None);
    }
}
