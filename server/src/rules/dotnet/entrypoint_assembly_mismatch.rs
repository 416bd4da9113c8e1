use super::published::{deployment, last_in_final_image, published_app, Deployment};
use crate::context::stage_fs::posix_join;
use crate::declare_rule;
use crate::images::OsFamily;
use crate::rules::{Diagnostics, RuleContext};
use crate::syntax::words::split_shell_words_with_offsets;
use crate::syntax::{Args, Instruction, Keyword};
use crate::text::TextRange;

declare_rule! {
/// ## What it does
/// Checks that the final image's ENTRYPOINT (or CMD, when there is no ENTRYPOINT) runs what
/// the shipped project produces: `dotnet X.dll` needs `X` to be the project's AssemblyName
/// (the project file's name unless set), and an apphost `./X` (or `/app/X` in the working
/// directory) needs `X` to be the AssemblyName and an apphost to exist (`UseAppHost=false`
/// publishes none). Native AOT and self-contained output is run through its apphost, not
/// with `dotnet`. Needs the solution.
///
/// ## Why is this bad?
/// The image builds and the container dies at start: "The application 'Api.dll' does not
/// exist" from `dotnet`, or "exec ./Api: no such file or directory". This happens when the
/// project is renamed or sets `AssemblyName`, or when the publish options change
/// (`/p:UseAppHost=false` in the Visual Studio template, Native AOT).
///
/// ## Example
/// ```dockerfile
/// # src/Storefront/Storefront.csproj: <AssemblyName>Contoso.Storefront</AssemblyName>
/// ENTRYPOINT ["dotnet", "Storefront.dll"]
/// ```
///
/// ## Use instead
/// ```dockerfile
/// ENTRYPOINT ["dotnet", "Contoso.Storefront.dll"]
/// ```
///
/// ## Fix safety
/// No automatic fix.
    EntrypointAssemblyMismatch {
        severity: Error,
        origin: Dotnet,
        summary: "ENTRYPOINT/CMD names a .dll or apphost the published project does not produce.",
    }
}

/// A word of the command the container runs, with the range to report.
struct CommandWord {
    text: String,
    range: TextRange,
}

/// The words of an ENTRYPOINT or CMD: exec-form elements, or the shell form split.
fn command_words(ctx: &RuleContext, inst: &Instruction) -> Vec<CommandWord> {
    match &inst.args {
        Args::Exec { elements, .. } => elements
            .iter()
            .map(|w| {
                let quoted = ctx
                    .text
                    .get(w.range.as_range())
                    .is_some_and(|t| t.len() >= 2 && t.starts_with('"') && t.ends_with('"'));
                let range = if quoted {
                    TextRange::new(w.range.start() + 1, w.range.end() - 1)
                } else {
                    w.range
                };
                CommandWord {
                    text: w.text.as_str().to_owned(),
                    range,
                }
            })
            .collect(),
        Args::Shell(w) => split_shell_words_with_offsets(&w.text)
            .into_iter()
            .skip_while(|(t, _, _)| t == "exec")
            .map(|(text, s, e)| CommandWord {
                text,
                range: inst.rest_range(s, e),
            })
            .collect(),
        _ => Vec::new(),
    }
}

fn basename(path: &str) -> &str {
    path.rsplit(['/', '\\']).next().unwrap_or(path)
}

impl EntrypointAssemblyMismatch {
    fn run(ctx: &RuleContext, out: &mut Diagnostics) {
        let Some(app) = published_app(ctx) else {
            return;
        };
        let (Some(project), Some(shipped)) = (app.project, &app.shipped) else {
            return;
        };
        if !project.is_executable() || project.assembly_name.contains("$(") {
            return;
        }
        let entrypoint = last_in_final_image(ctx, app.final_stage, Keyword::Entrypoint);
        let cmd = last_in_final_image(ctx, app.final_stage, Keyword::Cmd);
        let Some((stage, idx)) = entrypoint.or(cmd) else {
            return;
        };
        let Some(inst) = ctx.tree.instructions.get(idx) else {
            return;
        };
        let keyword = if entrypoint.is_some() {
            "ENTRYPOINT"
        } else {
            "CMD"
        };
        let mut words = command_words(ctx, inst);
        // ENTRYPOINT ["dotnet"] with CMD ["Api.dll"].
        if entrypoint.is_some() && words.len() == 1 {
            if let Some(cmd_inst) = cmd.and_then(|(_, i)| ctx.tree.instructions.get(i)) {
                if cmd_inst.is_exec_form() {
                    words.extend(command_words(ctx, cmd_inst));
                }
            }
        }
        let Some(program) = words.first() else { return };
        if program.text.contains('$') {
            return;
        }
        let assembly = project.assembly_name.as_str();
        let deployment = deployment(ctx, shipped.invocation, Some(project));
        let named_by = match project
            .property("AssemblyName")
            .and_then(|p| p.origin.as_ref())
        {
            Some(origin) => format!(
                " (AssemblyName in {})",
                origin
                    .path
                    .file_name()
                    .map(|f| f.to_string_lossy().to_string())
                    .unwrap_or_default()
            ),
            None => String::new(),
        };
        let project_file = project
            .path
            .file_name()
            .map(|f| f.to_string_lossy().to_string())
            .unwrap_or_else(|| project.name.clone());
        let program_name = basename(&program.text);
        if program_name == "dotnet" || program_name.eq_ignore_ascii_case("dotnet.exe") {
            let Some(dll) = words
                .iter()
                .skip(1)
                .find(|w| w.text.to_ascii_lowercase().ends_with(".dll"))
            else {
                return;
            };
            if dll.text.contains('$') {
                return;
            }
            let dll_name = basename(&dll.text);
            let message = match &deployment {
                Deployment::NativeAot { reason } => format!(
                    "{keyword} runs {dll_name} with dotnet, but {} is published Native AOT ({reason}): there is no {assembly}.dll, run the executable ./{assembly}",
                    project.name
                ),
                Deployment::SelfContained { reason } => format!(
                    "{keyword} runs {dll_name} with dotnet, but {} is published self-contained ({reason}): run the apphost ./{assembly}",
                    project.name
                ),
                _ if dll_name != format!("{assembly}.dll") => format!(
                    "{keyword} runs {dll_name}, but {project_file} builds {assembly}.dll{named_by}"
                ),
                _ => return,
            };
            out.report(&Self::META, dll.range, message);
            return;
        }
        // An apphost: `./X`, or a path in the working directory.
        let windows = app
            .runtime
            .as_ref()
            .and_then(|r| r.facts.as_ref())
            .and_then(|f| f.os_family)
            == Some(OsFamily::Windows);
        let workdir = ctx.workdir_at(stage, idx);
        let in_workdir = program.text.starts_with('/')
            && posix_join(workdir, &program.text)
                .rsplit_once('/')
                .is_some_and(|(dir, _)| dir == workdir.trim_end_matches('/'));
        if windows
            || !(program.text.starts_with("./") || in_workdir)
            || [".sh", ".bash", ".py", ".pl"]
                .iter()
                .any(|ext| program_name.ends_with(ext))
        {
            return;
        }
        let no_apphost = shipped
            .command()
            .property("UseAppHost")
            .map(|v| v.eq_ignore_ascii_case("false"))
            .or_else(|| project.use_app_host.map(|v| !v))
            .unwrap_or(false);
        let message = if program_name != assembly {
            format!("{keyword} runs {program_name}, but {project_file} builds the apphost {assembly}{named_by}")
        } else if no_apphost && deployment == Deployment::FrameworkDependent {
            format!(
                "{keyword} runs the apphost {program_name}, but UseAppHost=false publishes none: run dotnet {assembly}.dll"
            )
        } else {
            return;
        };
        out.report(&Self::META, program.range, message);
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::dotnet::test_support::{check_rule_in_files, check_rule_in_solution};
    use crate::rules::test_support::check_rule;

    #[test]
    fn reports_a_dll_named_after_the_project_instead_of_the_assembly() {
        assert_eq!(
            check_rule_in_solution("EntrypointAssemblyMismatch", "misconfigured-web", "Dockerfile"),
            ["14:24-14:38 ENTRYPOINT runs Storefront.dll, but Storefront.csproj builds Contoso.Storefront.dll (AssemblyName in Storefront.csproj)"]
        );
    }

    #[test]
    fn apphosts_native_aot_and_use_app_host() {
        let csproj = |props: &str| {
            format!("<Project Sdk=\"Microsoft.NET.Sdk\"><PropertyGroup><OutputType>Exe</OutputType><TargetFramework>net10.0</TargetFramework>{props}</PropertyGroup></Project>")
        };
        let dockerfile = |publish_flags: &str, entrypoint: &str| {
            format!("FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build\nWORKDIR /src\nCOPY . .\nRUN dotnet publish Tool/Tool.csproj -c Release {publish_flags} -o /app/publish\n\nFROM mcr.microsoft.com/dotnet/runtime-deps:10.0\nWORKDIR /app\nCOPY --from=build /app/publish .\nENTRYPOINT {entrypoint}\n")
        };
        let run = |props: &str, flags: &str, entrypoint: &str| {
            let project = csproj(props);
            let docker = dockerfile(flags, entrypoint);
            check_rule_in_files(
                "EntrypointAssemblyMismatch",
                &[
                    ("Tool/Tool.csproj", project.as_str()),
                    ("Dockerfile", docker.as_str()),
                ],
                "Dockerfile",
            )
        };
        assert_eq!(
            run("<PublishAot>true</PublishAot>", "", "[\"dotnet\", \"Tool.dll\"]"),
            ["9:24-9:32 ENTRYPOINT runs Tool.dll with dotnet, but Tool is published Native AOT (PublishAot in Tool.csproj): there is no Tool.dll, run the executable ./Tool"]
        );
        assert_eq!(
            run("", "-r linux-x64 --self-contained", "dotnet /app/Tool.dll"),
            ["9:19-9:32 ENTRYPOINT runs Tool.dll with dotnet, but Tool is published self-contained (--self-contained): run the apphost ./Tool"]
        );
        assert_eq!(
            run("<UseAppHost>false</UseAppHost>", "--no-self-contained", "[\"./Tool\"]"),
            ["9:14-9:20 ENTRYPOINT runs the apphost Tool, but UseAppHost=false publishes none: run dotnet Tool.dll"]
        );
        assert_eq!(
            run("<AssemblyName>tool</AssemblyName>", "-r linux-x64 --sc", "[\"/app/Tool\"]"),
            ["9:14-9:23 ENTRYPOINT runs Tool, but Tool.csproj builds the apphost tool (AssemblyName in Tool.csproj)"]
        );
        assert!(run("<PublishAot>true</PublishAot>", "", "[\"./Tool\"]").is_empty());
        assert!(run(
            "",
            "-r linux-x64 --sc",
            "[\"/usr/bin/tini\", \"--\", \"/app/Tool\"]"
        )
        .is_empty());
    }

    #[test]
    fn silent_when_the_entrypoint_matches() {
        for (fixture, dockerfile) in [
            ("good", "Dockerfile"),
            ("vs-template", "src/Api/Dockerfile"),
            ("naive-single-stage", "Dockerfile"),
            ("aot-app", "Dockerfile"),
            ("compose-app", "src/Worker/Dockerfile"),
            ("console-runtime-deps", "Dockerfile"),
        ] {
            assert!(
                check_rule_in_solution("EntrypointAssemblyMismatch", fixture, dockerfile)
                    .is_empty(),
                "{fixture}"
            );
        }
        let good = include_str!("../../../../tests/data/good.Dockerfile");
        assert!(check_rule("EntrypointAssemblyMismatch", good).is_empty());
    }
}
