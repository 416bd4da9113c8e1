use super::support::{describe_image_of, image_of_stage, stage_images};
use crate::declare_rule;
use crate::model::BaseImage;
use crate::rules::{Diagnostics, RuleContext};
use crate::syntax::{Args, Instruction, Keyword};
use crate::text::TextRange;

declare_rule! {
/// ## What it does
/// Checks for `RUN`, and for `CMD`, `ENTRYPOINT` and `HEALTHCHECK CMD` in shell form, in a stage
/// whose image has no shell: Ubuntu chiseled and Azure Linux distroless .NET images, the
/// .NET Monitor and Aspire Dashboard images, and `scratch`, directly or through the stage the
/// stage is built `FROM`.
///
/// A stage that copies something that may be a shell (a file named `sh`, `bash` or `busybox`,
/// or a whole root file system to `/`) or sets its own `SHELL` is not checked from there on.
///
/// ## Why is this bad?
/// The shell form runs `/bin/sh -c "..."`. Without `/bin/sh`, a `RUN` fails the build
/// (`exec: "/bin/sh": stat /bin/sh: no such file or directory`), and a shell-form
/// `ENTRYPOINT`, `CMD` or health check fails every time the container starts or is probed.
///
/// ## Example
/// ```dockerfile
/// FROM mcr.microsoft.com/dotnet/aspnet:10.0-noble-chiseled
/// RUN mkdir /data
/// ENTRYPOINT dotnet App.dll
/// ```
///
/// ## Use instead
/// ```dockerfile
/// FROM mcr.microsoft.com/dotnet/aspnet:10.0-noble-chiseled
/// ENTRYPOINT ["dotnet", "App.dll"]
/// ```
/// Prepare files in a build stage and `COPY --from` them.
///
/// ## Fix safety
/// No automatic fix: a shell command line cannot always be written as an exec-form array.
///
/// ## References
/// - [.NET distroless images](https://github.com/dotnet/dotnet-docker/blob/main/documentation/distroless.md)
    ShellUnavailableInStage {
        severity: Error,
        origin: Image,
        summary: "A shell-form instruction in a stage whose image has no shell.",
    }
}

impl ShellUnavailableInStage {
    fn run(ctx: &RuleContext, out: &mut Diagnostics) {
        let images = stage_images(ctx);
        for stage in &ctx.model.stages {
            let Some(image) = image_of_stage(ctx.model, images, stage.index) else {
                continue;
            };
            if image.facts().and_then(|facts| facts.has_shell) != Some(false) {
                continue;
            }
            let mut shell_brought_in = ancestors(ctx, stage.index).into_iter().any(|ancestor| {
                ctx.model
                    .stages
                    .get(ancestor)
                    .is_some_and(|s| s.instructions.clone().any(|i| brings_shell(ctx, i)))
            });
            // Only messages describe the image.
            let described = std::cell::OnceCell::new();
            for index in stage.instructions.clone() {
                if shell_brought_in {
                    break;
                }
                if brings_shell(ctx, index) {
                    shell_brought_in = true;
                    continue;
                }
                // The compact keyword list first: only these keywords have a shell form, and
                // reading it does not touch the other instructions.
                if !matches!(
                    ctx.keywords().get(index),
                    Some(Keyword::Run | Keyword::Cmd | Keyword::Entrypoint | Keyword::Healthcheck)
                ) {
                    continue;
                }
                let Some(instruction) = ctx.tree.instructions.get(index) else {
                    continue;
                };
                let Some((what, range, example)) = shell_form(instruction) else {
                    continue;
                };
                out.report(
                    &Self::META,
                    range,
                    format!(
                        "{what} in shell form needs `/bin/sh`, but {} has no shell: use the exec form ({example}){}",
                        described.get_or_init(|| describe_image_of(ctx.model, image, stage.index)),
                        if instruction.keyword == Keyword::Run {
                            " or run it in a build stage"
                        } else {
                            ""
                        }
                    ),
                );
            }
        }
    }
}

/// The stages `stage` is built on, without `stage` itself.
fn ancestors(ctx: &RuleContext, stage: usize) -> Vec<usize> {
    let mut chain = Vec::new();
    let mut current = ctx.model.stages.get(stage);
    while let Some(s) = current {
        current = match s.base {
            BaseImage::Stage(parent) if parent < s.index && !chain.contains(&parent) => {
                chain.push(parent);
                ctx.model.stages.get(parent)
            }
            _ => None,
        };
    }
    chain
}

/// `SHELL`, or a COPY/ADD that may put a shell into the image.
fn brings_shell(ctx: &RuleContext, index: usize) -> bool {
    // The compact keyword list first: most instructions are neither, and reading it does not
    // touch the instruction itself.
    if !matches!(
        ctx.keywords().get(index),
        Some(Keyword::Shell | Keyword::Copy | Keyword::Add)
    ) {
        return false;
    }
    let Some(instruction) = ctx.tree.instructions.get(index) else {
        return false;
    };
    match instruction.keyword {
        Keyword::Shell => true,
        Keyword::Copy | Keyword::Add => {
            let words = instruction.arg_words();
            let destination = words.last().map(|w| w.text.trim_end_matches('/'));
            if destination == Some("") {
                // The whole root file system (`COPY --from=chisel /rootfs /`).
                return true;
            }
            words.iter().any(|word| {
                let path = word.text.trim_end_matches('/');
                let name = path.rsplit('/').next().unwrap_or(path);
                matches!(name, "sh" | "bash" | "ash" | "dash") || mentions_busybox(path)
            })
        }
        _ => false,
    }
}

/// `path.contains("busybox")` without the set-up of a substring search, which costs more
/// than the search itself on a short path (this runs for every COPY of a stage without a
/// shell).
fn mentions_busybox(path: &str) -> bool {
    const NAME: &[u8] = b"busybox";
    let bytes = path.as_bytes();
    memchr::memchr_iter(b'b', bytes)
        .any(|at| bytes.get(at..).is_some_and(|rest| rest.starts_with(NAME)))
}

/// What the instruction is, where its shell-form command is, and its exec-form example.
pub(crate) fn shell_form(
    instruction: &Instruction,
) -> Option<(&'static str, TextRange, &'static str)> {
    let shell_range = |args: &Args| match args {
        Args::Shell(word) if !word.range.is_empty() => Some(word.range),
        Args::Shell(_) => Some(instruction.keyword_range),
        _ => None,
    };
    match instruction.keyword {
        Keyword::Run => Some((
            "`RUN`",
            shell_range(&instruction.args)?,
            "`RUN [\"executable\", \"argument\"]`",
        )),
        Keyword::Cmd => Some((
            "`CMD`",
            shell_range(&instruction.args)?,
            "`CMD [\"dotnet\", \"App.dll\"]`",
        )),
        Keyword::Entrypoint => Some((
            "`ENTRYPOINT`",
            shell_range(&instruction.args)?,
            "`ENTRYPOINT [\"dotnet\", \"App.dll\"]`",
        )),
        Keyword::Healthcheck => match &instruction.args {
            Args::Healthcheck { command, .. } => Some((
                "`HEALTHCHECK CMD`",
                shell_range(command)?,
                "`HEALTHCHECK CMD [\"executable\", \"argument\"]`",
            )),
            _ => None,
        },
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::check_rule;

    #[test]
    fn mentions_busybox_is_a_substring_search() {
        for path in [
            "/bin/busybox",
            "busybox",
            "/opt/bbusybox/x",
            "/busybo",
            "b",
            "",
            "/app/publish",
            "/b\u{e9}busybox",
        ] {
            assert_eq!(
                super::mentions_busybox(path),
                path.contains("busybox"),
                "{path}"
            );
        }
    }

    #[test]
    fn reports_shell_form_on_images_without_a_shell() {
        let text = "FROM mcr.microsoft.com/dotnet/aspnet:10.0-noble-chiseled AS base\nRUN mkdir /data\nRUN [\"/app/tool\", \"--init\"]\n\nFROM base AS final\nHEALTHCHECK CMD curl -f http://localhost:8080/ || exit 1\nCMD dotnet App.dll\nENTRYPOINT [\"dotnet\", \"App.dll\"]\n";
        assert_eq!(
            check_rule("ShellUnavailableInStage", text),
            [
                "2:5-2:16 `RUN` in shell form needs `/bin/sh`, but `mcr.microsoft.com/dotnet/aspnet:10.0-noble-chiseled` has no shell: use the exec form (`RUN [\"executable\", \"argument\"]`) or run it in a build stage",
                "6:17-6:57 `HEALTHCHECK CMD` in shell form needs `/bin/sh`, but `mcr.microsoft.com/dotnet/aspnet:10.0-noble-chiseled` (the image of stage `base`) has no shell: use the exec form (`HEALTHCHECK CMD [\"executable\", \"argument\"]`)",
                "7:5-7:19 `CMD` in shell form needs `/bin/sh`, but `mcr.microsoft.com/dotnet/aspnet:10.0-noble-chiseled` (the image of stage `base`) has no shell: use the exec form (`CMD [\"dotnet\", \"App.dll\"]`)",
            ]
        );
    }

    #[test]
    fn reports_scratch_and_distroless_and_heredocs() {
        let text = "FROM scratch\nRUN <<EOF\necho hi\nEOF\nFROM mcr.microsoft.com/dotnet/runtime-deps:10.0-azurelinux3.0-distroless\nENTRYPOINT ./app\n";
        assert_eq!(
            check_rule("ShellUnavailableInStage", text),
            [
                "2:5-2:10 `RUN` in shell form needs `/bin/sh`, but `scratch` has no shell: use the exec form (`RUN [\"executable\", \"argument\"]`) or run it in a build stage",
                "6:12-6:17 `ENTRYPOINT` in shell form needs `/bin/sh`, but `mcr.microsoft.com/dotnet/runtime-deps:10.0-azurelinux3.0-distroless` has no shell: use the exec form (`ENTRYPOINT [\"dotnet\", \"App.dll\"]`)",
            ]
        );
    }

    #[test]
    fn silent_with_a_shell_or_after_one_is_brought_in() {
        let text = "FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build\nRUN dotnet --info\nFROM mcr.microsoft.com/dotnet/aspnet:10.0-alpine\nRUN apk add --no-cache icu-libs\nFROM mcr.microsoft.com/dotnet/aspnet:10.0-nanoserver-ltsc2022\nRUN echo hi\nFROM scratch AS chiseled\nCOPY --from=build /rootfs /\nRUN echo ok\nFROM mcr.microsoft.com/dotnet/runtime-deps:10.0-noble-chiseled\nCOPY --from=busybox:1.36 /bin/busybox /bin/busybox\nRUN [\"/bin/busybox\", \"--install\", \"-s\", \"/bin\"]\nRUN echo ok\nFROM ${UNKNOWN}\nRUN echo ok\n";
        assert!(check_rule("ShellUnavailableInStage", text).is_empty());
        assert!(check_rule(
            "ShellUnavailableInStage",
            include_str!("../../../../tests/data/good.Dockerfile")
        )
        .is_empty());
    }
}
