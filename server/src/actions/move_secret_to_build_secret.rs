use super::dotnet_support::{
    mount_option, mount_values, referenced_variables, run_flag_offset, whole_lines,
};
use super::{ActionContext, CodeAction};
use crate::analysis::Diagnostic;
use crate::declare_action;
use crate::ide::TextEdit;
use crate::model::{BaseImage, Model, VarDecl, VarKind};
use crate::rules::dotnet::nuget_credentials_in_image::is_credential_variable;
use crate::syntax::{Args, Keyword};
use crate::text::TextRange;

declare_action! {
/// Turns a NuGet credential passed as `ARG` or `ENV` into a BuildKit secret that exists
/// only while the commands that need it run: the declaration goes, and each `RUN` that
/// restores packages or uses the variable gets
/// `--mount=type=secret,id=<name>,env=<NAME>`. The quick fix of `NugetCredentialsInImage`
/// (for its ARG and ENV findings) and of `SecretsUsedInArgOrEnv` for NuGet and feed tokens.
///
/// The secret's id is the variable's name in lower case; the title shows the `--secret`
/// option the build command now needs (`docker build --secret id=nuget_auth_token,env=NUGET_AUTH_TOKEN`).
/// Not offered for an ARG declared before the first `FROM`, for a variable another
/// declaration's value is built from (fix that one first), or when no RUN would get it.
/// `env=` on secret mounts needs Dockerfile syntax 1.10 or later (Docker 27+).
///
/// ## Before
/// ```dockerfile
/// FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
/// ARG NUGET_AUTH_TOKEN$0
/// WORKDIR /src
/// COPY . .
/// RUN dotnet restore src/Api/Api.csproj
/// ```
///
/// ## After
/// ```dockerfile
/// FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
/// WORKDIR /src
/// COPY . .
/// RUN --mount=type=secret,id=nuget_auth_token,env=NUGET_AUTH_TOKEN dotnet restore src/Api/Api.csproj
/// ```
///
/// ## Fix safety
/// Unsafe: the build command must now pass the secret (`--secret id=...`, or `secrets:` in
/// compose) instead of `--build-arg`, and a RUN that used the value without being a restore
/// or naming the variable would no longer see it.
    MoveSecretToBuildSecret { expensive: false }
}

impl MoveSecretToBuildSecret {
    fn run(ctx: &ActionContext, out: &mut Vec<CodeAction>) {
        let mut done: Vec<TextRange> = Vec::new();
        let diagnostics = ctx
            .diagnostics("NugetCredentialsInImage")
            .chain(ctx.diagnostics("SecretsUsedInArgOrEnv"));
        for diagnostic in diagnostics {
            if done.contains(&diagnostic.range) {
                continue;
            }
            if let Some(action) = Self::fix(ctx, diagnostic) {
                done.push(diagnostic.range);
                out.push(action);
            }
        }
    }

    fn fix(ctx: &ActionContext, diagnostic: &Diagnostic) -> Option<CodeAction> {
        let model = &ctx.analysis.model;
        let tree = &ctx.analysis.tree;
        let text = ctx.text();
        let decl = model
            .stage_vars
            .iter()
            .find(|d| d.name_range == diagnostic.range)?;
        let name = decl.name.as_str();
        if diagnostic.code == "SecretsUsedInArgOrEnv" && !is_nuget_secret(name) {
            return None;
        }
        let stage = decl.stage?;
        if feeds_another_declaration(model, decl) {
            return None;
        }
        let id = name.to_ascii_lowercase();
        let mount = format!("type=secret,id={id},env={name}");
        let mut edits = Vec::new();
        let mut runs = 0;
        for (index, inst) in tree.instructions.iter().enumerate() {
            if inst.keyword != Keyword::Run || index <= decl.instruction {
                continue;
            }
            let Some(run_stage) = model.stage_of_instruction(index) else {
                continue;
            };
            let in_scope = match decl.kind {
                VarKind::Arg => run_stage.index == stage,
                VarKind::Env => derives_from(model, run_stage.index, stage),
            };
            if !in_scope || redeclared_between(model, decl, run_stage.index, index) {
                continue;
            }
            let restores = model
                .dotnet_commands
                .iter()
                .any(|c| c.instruction == index && c.command.restores());
            let uses = referenced_variables(&inst.rest.text)
                .iter()
                .any(|v| v == name);
            if !restores && !uses {
                continue;
            }
            let mounted = mount_values(inst).any(|m| {
                mount_option(m, "type").is_some_and(|t| t.eq_ignore_ascii_case("secret"))
                    && mount_option(m, "env") == Some(name)
            });
            if !mounted {
                edits.push(TextEdit::insert(
                    run_flag_offset(inst),
                    format!(" --mount={mount}"),
                ));
            }
            runs += 1;
        }
        if runs == 0 {
            return None;
        }
        let inst = tree.instructions.get(decl.instruction)?;
        let Args::KeyValues { pairs, .. } = &inst.args else {
            return None;
        };
        if pairs.len() == 1 {
            edits.push(TextEdit::delete(whole_lines(text, inst.range)));
        } else {
            let pair = pairs.iter().find(|p| p.key.range == decl.name_range)?;
            let end = pair.range.end();
            let after = text.get(end..)?;
            let spaces = after.len() - after.trim_start_matches([' ', '\t']).len();
            edits.push(TextEdit::delete(TextRange::new(
                pair.range.start(),
                end + spaces,
            )));
        }
        edits.sort_by_key(|e| e.range.start());
        let keyword = if decl.kind == VarKind::Arg {
            "ARG"
        } else {
            "ENV"
        };
        let title = format!(
            "Pass {name} as a build secret instead of {keyword} (build with `--secret id={id},env={name}`)"
        );
        Some(
            CodeAction::quick_fix(&Self::META, diagnostic, title, edits)
                .preferred()
                .unsafe_fix(),
        )
    }
}

/// A name BuildKit's secret check flags that is a NuGet or feed credential.
fn is_nuget_secret(name: &str) -> bool {
    let upper = name.to_ascii_uppercase();
    is_credential_variable(name) || upper.contains("NUGET") || upper.contains("FEED")
}

/// Whether a later ARG/ENV value in scope is built from the variable (`ENV X="${TOKEN}"`):
/// removing the declaration would empty it.
fn feeds_another_declaration(model: &Model, decl: &VarDecl) -> bool {
    model.stage_vars.iter().any(|other| {
        other.instruction >= decl.instruction
            && other.name_range != decl.name_range
            && other
                .value
                .as_ref()
                .is_some_and(|v| referenced_variables(&v.text).iter().any(|n| n == decl.name))
    })
}

/// Whether the variable is declared again between the declaration and the RUN (the RUN
/// then sees the other declaration).
fn redeclared_between(model: &Model, decl: &VarDecl, stage: usize, run: usize) -> bool {
    model.stage_vars.iter().any(|other| {
        other.name == decl.name
            && other.instruction > decl.instruction
            && other.instruction < run
            && other.stage.is_some_and(|s| derives_from(model, stage, s))
    })
}

fn derives_from(model: &Model, stage: usize, ancestor: usize) -> bool {
    let mut current = stage;
    for _ in 0..=model.stages.len() {
        if current == ancestor {
            return true;
        }
        match model.stages.get(current).map(|s| &s.base) {
            Some(BaseImage::Stage(parent)) if *parent < current => current = *parent,
            _ => return false,
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use crate::actions::test_support::{
        check_action, check_action_titled, check_not_applicable, offered_titles,
    };
    use crate::actions::Safety;
    use crate::rules::test_support::test_env;

    const NAME: &str = "MoveSecretToBuildSecret";

    #[test]
    fn arg_token_becomes_a_secret_on_the_restore() {
        let action = check_action(
            NAME,
            "FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build\nARG NUGET_AUTH_TOKEN$0\nWORKDIR /src\nCOPY . .\nRUN dotnet restore src/Api/Api.csproj\nRUN dotnet publish src/Api/Api.csproj --no-restore -o /app\n",
            "FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build\nWORKDIR /src\nCOPY . .\nRUN --mount=type=secret,id=nuget_auth_token,env=NUGET_AUTH_TOKEN dotnet restore src/Api/Api.csproj\nRUN dotnet publish src/Api/Api.csproj --no-restore -o /app\n",
        );
        assert_eq!(
            action.title,
            "Pass NUGET_AUTH_TOKEN as a build secret instead of ARG (build with `--secret id=nuget_auth_token,env=NUGET_AUTH_TOKEN`)"
        );
        assert_eq!(action.safety, Safety::Unsafe);
        assert!(action.preferred);
        assert_eq!(
            action.fixes.as_ref().map(|d| d.code),
            Some("NugetCredentialsInImage")
        );
    }

    #[test]
    fn env_pair_among_others_and_a_run_that_names_it() {
        check_action_titled(
            NAME,
            "Pass NuGetPackageSourceCredentials_github as a build secret instead of ENV (build with `--secret id=nugetpackagesourcecredentials_github,env=NuGetPackageSourceCredentials_github`)",
            "FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build\nENV DOTNET_NOLOGO=1 NuGetPackageSourceCredentials_github$0=\"Username=me;Password=x\" CI=true\nRUN echo \"$NuGetPackageSourceCredentials_github\" > /dev/null\nFROM build AS publish\nRUN dotnet publish -o /app\n",
            "FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build\nENV DOTNET_NOLOGO=1 CI=true\nRUN --mount=type=secret,id=nugetpackagesourcecredentials_github,env=NuGetPackageSourceCredentials_github echo \"$NuGetPackageSourceCredentials_github\" > /dev/null\nFROM build AS publish\nRUN --mount=type=secret,id=nugetpackagesourcecredentials_github,env=NuGetPackageSourceCredentials_github dotnet publish -o /app\n",
        );
    }

    #[test]
    fn buildkit_secret_rule_for_a_feed_token() {
        let action = check_action(
            NAME,
            "FROM mcr.microsoft.com/dotnet/sdk:10.0\nARG GITHUB_FEED_TOKEN$0\nRUN dotnet restore\n",
            "FROM mcr.microsoft.com/dotnet/sdk:10.0\nRUN --mount=type=secret,id=github_feed_token,env=GITHUB_FEED_TOKEN dotnet restore\n",
        );
        assert_eq!(
            action.fixes.as_ref().map(|d| d.code),
            Some("SecretsUsedInArgOrEnv")
        );
    }

    #[test]
    fn not_offered_when_another_value_is_built_from_it_or_nothing_uses_it() {
        let private_feed = "FROM mcr.microsoft.com/dotnet/sdk:8.0 AS build\nARG FEED_ACCESSTOKEN$0\nENV VSS_NUGET_EXTERNAL_FEED_ENDPOINTS=\"{\\\"endpointCredentials\\\": [{\\\"password\\\":\\\"${FEED_ACCESSTOKEN}\\\"}]}\"\nRUN dotnet restore\n";
        check_not_applicable(NAME, private_feed);
        // The ENV itself can move; then the ARG can.
        assert_eq!(
            offered_titles(&test_env(), NAME, &private_feed.replace("$0", "").replace("ENV VSS", "ENV $0VSS")),
            ["Pass VSS_NUGET_EXTERNAL_FEED_ENDPOINTS as a build secret instead of ENV (build with `--secret id=vss_nuget_external_feed_endpoints,env=VSS_NUGET_EXTERNAL_FEED_ENDPOINTS`)"]
        );
        check_not_applicable(
            NAME,
            "FROM mcr.microsoft.com/dotnet/sdk:10.0\nARG NUGET_AUTH_TOKEN$0\nRUN echo hello\n",
        );
        check_not_applicable(
            NAME,
            "FROM mcr.microsoft.com/dotnet/sdk:10.0\nARG DB_PASSWORD$0\nRUN dotnet restore\n",
        );
        check_not_applicable(
            NAME,
            "ARG NUGET_AUTH_TOKEN$0\nFROM mcr.microsoft.com/dotnet/sdk:10.0\nRUN dotnet restore\n",
        );
    }
}
