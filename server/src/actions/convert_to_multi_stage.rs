use super::convert_to_exec_form::plain_words;
use super::generate_dockerfile::{catalog_image, entrypoint_words, exec_form};
use super::{ActionContext, CodeAction};
use crate::declare_action;
use crate::ide::TextEdit;
use crate::images::RepoKind;
use crate::rules::dotnet::final_image::{ports_of_list, ports_of_urls};
use crate::rules::dotnet::published::{
    deployment, dotnet_version_of_tfm, published_app, right_image_kind, target_framework,
    OutputOrigin,
};
use crate::syntax::{Args, Instruction, Keyword};

declare_action! {
/// Turns a single-stage Dockerfile that builds and runs on the .NET SDK image into a build
/// stage plus a runtime stage: the quick fix of `SdkImageInFinalStage`.
///
/// The SDK stage keeps everything up to its `dotnet publish` and is named `build`. A new
/// final stage runs on the image the project needs (`aspnet` for web projects, `runtime` for
/// console and worker apps, `runtime-deps` for self-contained and Native AOT apps), tagged
/// with the project's TargetFramework version and the SDK tag's OS variant when the catalog
/// has it. It copies the publish output to `/app`, takes the instructions that followed the
/// publish (ENV, EXPOSE, ...), runs as `$APP_UID` (.NET 8+) and starts the app from its
/// AssemblyName: `["dotnet", "X.dll"]`, or `["./X"]` when self-contained. Web apps get
/// `EXPOSE 8080` unless the Dockerfile already exposes or configures a port.
///
/// When the app is configured to listen on a port below 1024, the stage stays root (a
/// non-root user cannot bind it) and the title says so.
///
/// Offered anywhere in the file, only when the solution tells which project is published
/// and the publish has an explicit output folder (`-o`).
///
/// ## Before
/// ```dockerfile
/// FROM mcr.microsoft.com/dotnet/sdk:10.0$0
/// WORKDIR /src
/// COPY . .
/// RUN dotnet publish Api/Api.csproj -c Release -o /app/publish
/// ENTRYPOINT ["dotnet", "/app/publish/Api.dll"]
/// ```
///
/// ## After
/// ```dockerfile
/// FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
/// WORKDIR /src
/// COPY . .
/// RUN dotnet publish Api/Api.csproj -c Release -o /app/publish
///
/// FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS final
/// WORKDIR /app
/// COPY --from=build /app/publish .
/// EXPOSE 8080
/// USER $APP_UID
/// ENTRYPOINT ["dotnet", "Api.dll"]
/// ```
///
/// ## Fix safety
/// Unsafe: the app now runs on another image, as another user, from another folder; RUN
/// instructions after the publish move to the runtime image, which has fewer tools.
    ConvertToMultiStage { expensive: true }
}

/// The variables that set the ports ASP.NET Core listens on.
const PORT_VARIABLES: &[&str] = &[
    "ASPNETCORE_URLS",
    "ASPNETCORE_HTTP_PORTS",
    "ASPNETCORE_HTTPS_PORTS",
    "URLS",
    "HTTP_PORTS",
    "HTTPS_PORTS",
];

impl ConvertToMultiStage {
    fn run(ctx: &ActionContext, out: &mut Vec<CodeAction>) {
        // Offered anywhere in the file: the whole file is what changes.
        let Some(diagnostic) = ctx
            .analysis
            .diagnostics
            .iter()
            .find(|d| d.code == "SdkImageInFinalStage")
        else {
            return;
        };
        let model = &ctx.analysis.model;
        let [stage] = model.stages.as_slice() else {
            return;
        };
        // The new stage's lines would become the body of a heredoc that runs to the end of
        // the file, and the fix would apply again on every run (found by the `analysis` fuzz
        // target).
        let open_heredoc = ctx
            .analysis
            .tree
            .instructions
            .iter()
            .any(|i| i.heredocs.iter().any(|h| h.terminator_range.is_none()));
        if open_heredoc {
            return;
        }
        let rule_ctx = ctx.rule_context();
        let Some(app) = published_app(&rule_ctx) else {
            return;
        };
        let (Some(shipped), Some(project), Some(image)) = (&app.shipped, app.project, &app.runtime)
        else {
            return;
        };
        let Some(output) = shipped
            .output
            .as_ref()
            .filter(|o| o.origin != OutputOrigin::DefaultLayout)
        else {
            return;
        };
        if !shipped.command().is("publish") {
            return;
        }
        let text = ctx.text();
        let tree = &ctx.analysis.tree;
        let publish = shipped.invocation.instruction;
        let before: Vec<&Instruction> = tree
            .instructions
            .get(stage.from + 1..publish)
            .unwrap_or_default()
            .iter()
            .collect();
        if before.iter().any(|i| {
            matches!(
                i.keyword,
                Keyword::Entrypoint | Keyword::Cmd | Keyword::User | Keyword::Expose
            )
        }) {
            return;
        }
        let tail: Vec<&Instruction> = tree
            .instructions
            .get(publish + 1..stage.instructions.end)
            .unwrap_or_default()
            .iter()
            .collect();

        let deployment = deployment(&rule_ctx, shipped.invocation, Some(project));
        let native = deployment.is_self_contained();
        let kind = right_image_kind(project, &deployment).unwrap_or(if project.is_web() {
            RepoKind::Aspnet
        } else {
            RepoKind::Runtime
        });
        let Some(version) = target_framework(&rule_ctx, shipped.invocation, project)
            .as_deref()
            .and_then(dotnet_version_of_tfm)
            .or_else(|| image.dotnet_version())
        else {
            return;
        };
        let variants = os_variants(image.reference.tag().unwrap_or(""));
        let variants: Vec<&str> = variants.iter().map(String::as_str).collect();
        let runtime = catalog_image(kind, version, &variants);

        // The command that starts the app, and the arguments it passes to it.
        let app_instruction = tail
            .iter()
            .rev()
            .find(|i| i.keyword == Keyword::Entrypoint)
            .or_else(|| tail.iter().rev().find(|i| i.keyword == Keyword::Cmd));
        let arguments = match app_instruction {
            Some(inst) => match app_arguments(inst, &project.assembly_name) {
                Some(arguments) => arguments,
                None => return,
            },
            None => Vec::new(),
        };
        let mut entrypoint = entrypoint_words(&project.assembly_name, native);
        entrypoint.extend(arguments);

        let ports = configured_ports(&tail);
        let privileged = ports.iter().copied().filter(|p| *p < 1024).min();
        let has = |keyword: Keyword| tail.iter().any(|i| i.keyword == keyword);
        let lb = ctx.line_break();
        let mut runtime_lines = String::new();
        if project.is_web() && !has(Keyword::Expose) && ports.is_empty() {
            runtime_lines.push_str(&format!("EXPOSE 8080{lb}"));
        }
        if !has(Keyword::User) && privileged.is_none() && version.major >= 8 {
            runtime_lines.push_str(&format!("USER $APP_UID{lb}"));
        }

        let mut edits = Vec::new();
        let build_name = match &stage.name {
            Some(name) => name.text.to_string(),
            None => {
                let Some(from) = tree.instructions.get(stage.from) else {
                    return;
                };
                let Some(Args::Words(words)) = Some(&from.args) else {
                    return;
                };
                let Some(image_word) = words.first() else {
                    return;
                };
                let as_word = if text.get(from.keyword_range.as_range()) == Some("from") {
                    "as"
                } else {
                    "AS"
                };
                edits.push(TextEdit::insert(
                    image_word.range.end(),
                    format!(" {as_word} build"),
                ));
                "build".to_string()
            }
        };
        let header = format!(
            "{lb}FROM {runtime} AS final{lb}WORKDIR /app{lb}COPY --from={build_name} {} .{lb}",
            output.path
        );
        let line_index = &ctx.analysis.line_index;
        let entry_line = format!("ENTRYPOINT {}", exec_form(&entrypoint));
        match (tail.first(), app_instruction) {
            (Some(first), Some(app_inst)) => {
                let first_line = line_index.line_start(first.start_line as usize);
                let app_line = line_index.line_start(app_inst.start_line as usize);
                let before_app = if first_line == app_line {
                    format!("{header}{runtime_lines}")
                } else {
                    edits.push(TextEdit::insert(first_line, header));
                    runtime_lines
                };
                // One edit when the lines go right before the instruction, so clients need
                // not order an insertion and a replacement at the same position.
                if app_line == app_inst.range.start() {
                    edits.push(TextEdit::replace(
                        app_inst.range,
                        format!("{before_app}{entry_line}"),
                    ));
                } else {
                    if !before_app.is_empty() {
                        edits.push(TextEdit::insert(app_line, before_app));
                    }
                    edits.push(TextEdit::replace(app_inst.range, entry_line));
                }
            }
            (first, _) => {
                let at = first
                    .map(|f| line_index.line_start(f.start_line as usize))
                    .unwrap_or(text.len());
                let separator = if at == text.len() && !text.is_empty() && !text.ends_with('\n') {
                    lb
                } else {
                    ""
                };
                if first.is_some() {
                    // Instructions after the publish but no ENTRYPOINT: they move to the
                    // final stage, the entry point goes last.
                    edits.push(TextEdit::insert(at, header));
                    let end = text.len();
                    let tail_break = if text.ends_with('\n') { "" } else { lb };
                    edits.push(TextEdit::insert(
                        end,
                        format!("{tail_break}{runtime_lines}{entry_line}{lb}"),
                    ));
                } else {
                    edits.push(TextEdit::insert(
                        at,
                        format!("{separator}{header}{runtime_lines}{entry_line}{lb}"),
                    ));
                }
            }
        }
        let short = runtime.trim_start_matches("mcr.microsoft.com/dotnet/");
        let title = match privileged {
            Some(port) => format!(
                "Convert to a multi-stage build running on {short} (stays root: the app listens on port {port})"
            ),
            None => format!("Convert to a multi-stage build running on {short}"),
        };
        out.push(CodeAction::quick_fix(&Self::META, diagnostic, title, edits).unsafe_fix());
    }
}

/// The OS variants to try for the runtime image, from the SDK tag: `8.0-alpine` gives
/// `alpine`, `10.0.100-noble-aot` gives `noble-aot` then `noble`.
fn os_variants(tag: &str) -> Vec<String> {
    let Some((_, variant)) = tag.split_once('-') else {
        return Vec::new();
    };
    let mut variants = vec![variant.to_string()];
    if let Some(base) = variant.strip_suffix("-aot") {
        variants.push(base.to_string());
    }
    variants
}

/// The arguments an ENTRYPOINT or CMD passes to the app after `dotnet X.dll` or `./X`;
/// `None` when the command is not a plain start of the app.
fn app_arguments(inst: &Instruction, assembly: &str) -> Option<Vec<String>> {
    let words: Vec<String> = match &inst.args {
        Args::Exec { elements, .. } => elements.iter().map(|w| w.text.to_string()).collect(),
        Args::Shell(command) => plain_words(&command.text)?,
        _ => return None,
    };
    let file = |w: &str| w.rsplit('/').next().unwrap_or(w).to_string();
    match words.as_slice() {
        [dotnet, dll, rest @ ..]
            if (dotnet == "dotnet" || dotnet.ends_with("/dotnet"))
                && file(dll).eq_ignore_ascii_case(&format!("{assembly}.dll")) =>
        {
            Some(rest.to_vec())
        }
        [exe, rest @ ..] if file(exe) == assembly => Some(rest.to_vec()),
        _ => None,
    }
}

/// Ports the ENV instructions among `instructions` make ASP.NET Core listen on.
fn configured_ports(instructions: &[&Instruction]) -> Vec<u16> {
    let mut ports = Vec::new();
    for inst in instructions.iter().filter(|i| i.keyword == Keyword::Env) {
        let Args::KeyValues { pairs, .. } = &inst.args else {
            continue;
        };
        for pair in pairs {
            let name = pair.key.text.trim_start_matches("ASPNETCORE_");
            let name = name.trim_start_matches("DOTNET_");
            if !PORT_VARIABLES.contains(&pair.key.text.as_str()) && !PORT_VARIABLES.contains(&name)
            {
                continue;
            }
            let Some(value) = &pair.value else { continue };
            let parsed = if name == "URLS" {
                ports_of_urls(&value.text)
            } else {
                ports_of_list(&value.text)
            };
            ports.extend(parsed.unwrap_or_default());
        }
    }
    ports
}

#[cfg(test)]
mod tests {
    use crate::actions::test_support::{
        check_action_with, check_not_applicable, check_not_applicable_with, solution_env,
    };
    use crate::actions::Safety;
    use crate::rules::dotnet::test_support::{csproj, fixture_dir, solution};

    const NAME: &str = "ConvertToMultiStage";

    fn project(sdk: &str, properties: &str) -> String {
        format!("<Project Sdk=\"{sdk}\">\n  <PropertyGroup>\n{properties}  </PropertyGroup>\n</Project>\n")
    }

    #[test]
    fn not_offered_when_a_heredoc_runs_to_the_end_of_the_file() {
        let env = solution_env(&fixture_dir("naive-single-stage"), "Dockerfile");
        check_not_applicable_with(
            &env,
            NAME,
            "FROM mcr.microsoft.com/dotnet/sdk:8.0$0\nWORKDIR /app\nCOPY . .\nRUN dotnet publish WebApp/WebApp.csproj -c Release -o out\nRUN <<EOT cat > /b\necho $HOME\nENTRYPOINT [\"dotnet\", \"out/WebApp.dll\"]\n",
        );
    }

    #[test]
    fn naive_web_app_listening_on_port_80_stays_root() {
        let env = solution_env(&fixture_dir("naive-single-stage"), "Dockerfile");
        let action = check_action_with(
            &env,
            NAME,
            None,
            "FROM mcr.microsoft.com/dotnet/sdk:8.0$0\nWORKDIR /app\nCOPY . .\nRUN dotnet publish WebApp/WebApp.csproj -c Release -o out\nENV ASPNETCORE_URLS=http://+:80\nEXPOSE 80\nENTRYPOINT [\"dotnet\", \"out/WebApp.dll\"]\n",
            "FROM mcr.microsoft.com/dotnet/sdk:8.0 AS build\nWORKDIR /app\nCOPY . .\nRUN dotnet publish WebApp/WebApp.csproj -c Release -o out\n\nFROM mcr.microsoft.com/dotnet/aspnet:8.0 AS final\nWORKDIR /app\nCOPY --from=build /app/out .\nENV ASPNETCORE_URLS=http://+:80\nEXPOSE 80\nENTRYPOINT [\"dotnet\", \"WebApp.dll\"]\n",
        );
        assert_eq!(
            action.title,
            "Convert to a multi-stage build running on aspnet:8.0 (stays root: the app listens on port 80)"
        );
        assert_eq!(action.safety, Safety::Unsafe);
    }

    #[test]
    fn web_app_with_its_own_assembly_name_gets_port_8080_and_the_app_user() {
        let dir = solution(&[
            (
                "src/Api/Api.csproj",
                &project(
                    "Microsoft.NET.Sdk.Web",
                    "    <TargetFramework>net10.0</TargetFramework>\n    <AssemblyName>Contoso.Api</AssemblyName>\n",
                ),
            ),
            ("Dockerfile", ""),
        ]);
        let env = solution_env(dir.path(), "Dockerfile");
        let action = check_action_with(
            &env,
            NAME,
            None,
            "# the API\nFROM mcr.microsoft.com/dotnet/sdk:10.0\nWORKDIR /src\nCOPY . .\nRUN dotnet publish src/Api/Api.csproj -c Release -o /app/publish\n$0ENTRYPOINT [\"dotnet\", \"/app/publish/Contoso.Api.dll\"]\n",
            "# the API\nFROM mcr.microsoft.com/dotnet/sdk:10.0 AS build\nWORKDIR /src\nCOPY . .\nRUN dotnet publish src/Api/Api.csproj -c Release -o /app/publish\n\nFROM mcr.microsoft.com/dotnet/aspnet:10.0 AS final\nWORKDIR /app\nCOPY --from=build /app/publish .\nEXPOSE 8080\nUSER $APP_UID\nENTRYPOINT [\"dotnet\", \"Contoso.Api.dll\"]\n",
        );
        assert_eq!(
            action.title,
            "Convert to a multi-stage build running on aspnet:10.0"
        );
    }

    #[test]
    fn console_app_on_alpine_keeps_its_arguments() {
        let dir = solution(&[
            (
                "Worker/Worker.csproj",
                &project(
                    "Microsoft.NET.Sdk",
                    "    <OutputType>Exe</OutputType>\n    <TargetFramework>net8.0</TargetFramework>\n",
                ),
            ),
            ("Dockerfile", ""),
        ]);
        let env = solution_env(dir.path(), "Dockerfile");
        let action = check_action_with(
            &env,
            NAME,
            None,
            "FROM mcr.microsoft.com/dotnet/sdk:8.0-alpine\nWORKDIR /app\nCOPY . .\nRUN dotnet publish Worker/Worker.csproj -c Release -o out\nENV DOTNET_gcServer=0\n# start\nCMD dotnet$0 out/Worker.dll --once\n",
            "FROM mcr.microsoft.com/dotnet/sdk:8.0-alpine AS build\nWORKDIR /app\nCOPY . .\nRUN dotnet publish Worker/Worker.csproj -c Release -o out\n\nFROM mcr.microsoft.com/dotnet/runtime:8.0-alpine AS final\nWORKDIR /app\nCOPY --from=build /app/out .\nENV DOTNET_gcServer=0\n# start\nUSER $APP_UID\nENTRYPOINT [\"dotnet\", \"Worker.dll\", \"--once\"]\n",
        );
        assert_eq!(
            action.title,
            "Convert to a multi-stage build running on runtime:8.0-alpine"
        );
    }

    #[test]
    fn self_contained_app_runs_on_runtime_deps_as_its_own_executable() {
        let dir = solution(&[
            (
                "Worker/Worker.csproj",
                &csproj("Microsoft.NET.Sdk.Worker", &[]),
            ),
            ("Dockerfile", ""),
        ]);
        let env = solution_env(dir.path(), "Dockerfile");
        check_action_with(
            &env,
            NAME,
            None,
            "FROM mcr.microsoft.com/dotnet/sdk:8.0\nWORKDIR /src\nCOPY . .\nRUN dotnet publish$0 Worker/Worker.csproj -c Release -r linux-x64 --self-contained -o /out",
            "FROM mcr.microsoft.com/dotnet/sdk:8.0 AS build\nWORKDIR /src\nCOPY . .\nRUN dotnet publish Worker/Worker.csproj -c Release -r linux-x64 --self-contained -o /out\n\nFROM mcr.microsoft.com/dotnet/runtime-deps:8.0 AS final\nWORKDIR /app\nCOPY --from=build /out .\nUSER $APP_UID\nENTRYPOINT [\"./Worker\"]\n",
        );
    }

    #[test]
    fn not_offered_on_multi_stage_files_or_without_the_solution() {
        let env = solution_env(&fixture_dir("naive-single-stage"), "Dockerfile");
        check_not_applicable_with(
            &env,
            NAME,
            "FROM mcr.microsoft.com/dotnet/sdk:8.0 AS build$0\nWORKDIR /app\nCOPY . .\nRUN dotnet publish WebApp/WebApp.csproj -c Release -o out\nFROM mcr.microsoft.com/dotnet/aspnet:8.0\nCOPY --from=build /app/out .\nENTRYPOINT [\"dotnet\", \"WebApp.dll\"]\n",
        );
        check_not_applicable(
            NAME,
            "FROM mcr.microsoft.com/dotnet/sdk:8.0$0\nWORKDIR /app\nCOPY . .\nRUN dotnet publish WebApp/WebApp.csproj -c Release -o out\nENTRYPOINT [\"dotnet\", \"out/WebApp.dll\"]\n",
        );
    }
}
