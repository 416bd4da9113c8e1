//! Code lenses: above each stage, its base (with the image size from the catalog) and the
//! stages that use it; above a `dotnet publish`, the project it publishes (with its target
//! framework from the .NET workspace).

use crate::analysis::Analysis;
use crate::ide::IdeEnv;
use crate::model::{BaseImage, Model, StageRefKind};
use crate::text::TextRange;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CodeLens {
    /// The range the lens sits above (its line matters).
    pub range: TextRange,
    pub title: String,
    /// Places the lens points to (the parent stage, the users); empty for a plain label.
    pub locations: Vec<TextRange>,
}

/// `88.1 MB`, in the units of the image catalog (MiB labelled MB, as Microsoft's size
/// reports and Docker Hub show them).
pub fn format_size(bytes: u64) -> String {
    crate::images::format::size(bytes)
}

fn stage_label(model: &Model, stage: usize) -> String {
    match model.stages.get(stage).and_then(|s| s.name.as_ref()) {
        Some(name) => name.text.to_string(),
        None => format!("stage {stage}"),
    }
}

pub fn code_lenses(analysis: &Analysis, env: &IdeEnv) -> Vec<CodeLens> {
    let (tree, model) = (&analysis.tree, &analysis.model);
    let mut lenses = Vec::new();
    let final_stage = model.final_stage().map(|s| s.index);
    for stage in &model.stages {
        let Some(from) = tree.instructions.get(stage.from) else {
            continue;
        };
        let range = from.keyword_range;
        match &stage.base {
            BaseImage::Image { resolved, .. } => {
                let mut title = format!("base image {}", resolved.text);
                if let Some(size) = env.images.and_then(|i| i.compressed_size(&resolved.text)) {
                    title.push_str(&format!(" · {}", format_size(size)));
                }
                lenses.push(CodeLens {
                    range,
                    title,
                    locations: Vec::new(),
                });
            }
            BaseImage::Stage(parent) => lenses.push(CodeLens {
                range,
                title: format!("based on stage {}", stage_label(model, *parent)),
                locations: model
                    .stages
                    .get(*parent)
                    .and_then(|s| s.name.as_ref())
                    .map(|w| vec![w.range])
                    .unwrap_or_default(),
            }),
            BaseImage::Scratch => lenses.push(CodeLens {
                range,
                title: "empty base image (scratch)".to_string(),
                locations: Vec::new(),
            }),
            BaseImage::Missing => {}
        }
        let refs: Vec<_> = model
            .stage_refs
            .iter()
            .filter(|r| {
                r.target == Some(stage.index)
                    && matches!(
                        r.kind,
                        StageRefKind::From | StageRefKind::CopyFrom | StageRefKind::MountFrom
                    )
            })
            .collect();
        let mut users: Vec<usize> = refs.iter().map(|r| r.in_stage).collect();
        users.dedup();
        let title = if users.is_empty() {
            if Some(stage.index) == final_stage {
                "final stage".to_string()
            } else {
                "not used by later stages (build it with --target)".to_string()
            }
        } else {
            let names: Vec<String> = users.iter().map(|&u| stage_label(model, u)).collect();
            let mut title = format!("used by {}", names.join(", "));
            if Some(stage.index) == final_stage {
                title.push_str(" · final stage");
            }
            title
        };
        lenses.push(CodeLens {
            range,
            title,
            locations: refs.iter().map(|r| r.range).collect(),
        });
    }
    for invocation in &model.dotnet_commands {
        let cmd = &invocation.command;
        if !cmd.is("publish") {
            continue;
        }
        let mut title = match &cmd.project {
            Some(project) => format!("publishes {}", project.text),
            None => "publishes the project or solution in the working directory".to_string(),
        };
        if let Some(tfm) = cmd
            .framework
            .as_ref()
            .map(|f| f.text.to_string())
            .or_else(|| {
                let project = cmd.project.as_ref()?;
                env.projects?.target_frameworks(&project.text)
            })
        {
            title.push_str(&format!(" · {tfm}"));
        }
        if let Some(configuration) = &cmd.configuration {
            title.push_str(&format!(" · {}", configuration.text));
        }
        if let Some(rid) = cmd.runtime.as_ref().or(cmd.arch.as_ref()) {
            title.push_str(&format!(" · {}", rid.text));
        }
        lenses.push(CodeLens {
            range: cmd.verb_range,
            title,
            locations: cmd.project.iter().map(|p| p.range).collect(),
        });
    }
    lenses.sort_by_key(|l| l.range.start);
    lenses
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ide::test_support::analysis;
    use crate::ide::{ImageProvider, ProjectProvider};

    struct Catalog;
    impl ImageProvider for Catalog {
        fn compressed_size(&self, reference: &str) -> Option<u64> {
            (reference == "mcr.microsoft.com/dotnet/aspnet:9.0").then_some(92_400_000)
        }
    }
    struct Projects;
    impl ProjectProvider for Projects {
        fn target_frameworks(&self, project: &str) -> Option<String> {
            (project == "src/Api/Api.csproj").then(|| "net9.0".to_string())
        }
    }

    const FILE: &str = "\
ARG V=9.0
FROM mcr.microsoft.com/dotnet/aspnet:$V AS base
FROM mcr.microsoft.com/dotnet/sdk:$V AS build
RUN dotnet publish src/Api/Api.csproj -c Release -a $TARGETARCH -o /out
FROM build AS test
FROM base AS final
COPY --from=build /out .
";

    fn titles(lenses: &[CodeLens]) -> Vec<(usize, &str)> {
        lenses
            .iter()
            .map(|l| (l.range.start(), l.title.as_str()))
            .collect()
    }

    #[test]
    fn stages_and_publish_without_providers() {
        let a = analysis(FILE);
        let lenses = code_lenses(&a, &IdeEnv::default());
        let line = |needle: &str| FILE.find(needle).unwrap();
        let (base, build, publish, test, fin) = (
            line("FROM mcr.microsoft.com/dotnet/aspnet"),
            line("FROM mcr.microsoft.com/dotnet/sdk"),
            line("publish src"),
            line("FROM build"),
            line("FROM base"),
        );
        assert_eq!(
            titles(&lenses),
            [
                (base, "base image mcr.microsoft.com/dotnet/aspnet:9.0"),
                (base, "used by final"),
                (build, "base image mcr.microsoft.com/dotnet/sdk:9.0"),
                (build, "used by test, final"),
                (
                    publish,
                    "publishes src/Api/Api.csproj · Release · $TARGETARCH"
                ),
                (test, "based on stage build"),
                (test, "not used by later stages (build it with --target)"),
                (fin, "based on stage base"),
                (fin, "final stage"),
            ]
        );
        let used_by_final: Vec<&str> = lenses[3]
            .locations
            .iter()
            .map(|r| &FILE[r.as_range()])
            .collect();
        assert_eq!(used_by_final, ["build", "build"]);
    }

    #[test]
    fn providers_add_size_and_target_framework() {
        let a = analysis(FILE);
        let env = IdeEnv {
            images: Some(&Catalog),
            projects: Some(&Projects),
            ..Default::default()
        };
        let lenses = code_lenses(&a, &env);
        assert_eq!(
            lenses[0].title,
            "base image mcr.microsoft.com/dotnet/aspnet:9.0 · 88.1 MB"
        );
        assert_eq!(
            lenses[4].title,
            "publishes src/Api/Api.csproj · net9.0 · Release · $TARGETARCH"
        );
        assert_eq!(format_size(1_234_567_890), "1.15 GB");
    }
}
