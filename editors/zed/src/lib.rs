//! Zed extension for Dockside: starts `dockside lsp` for Dockerfiles.
//!
//! The binary is the one set in Zed's settings (`lsp.dockside.binary.path`), else `dockside`
//! found on the worktree's PATH. Settings under `lsp.dockside.settings` and
//! `lsp.dockside.initialization_options` are passed to the server as they are.

use zed_extension_api::{self as zed, settings::LspSettings, LanguageServerId, Result};

const SERVER_NAME: &str = "dockside";
const DEFAULT_ARGS: &[&str] = &["lsp"];

struct Dockside;

/// The command to run, from the user's binary settings (path and arguments) and the
/// `dockside` found on PATH.
fn server_command(
    configured_path: Option<String>,
    configured_args: Option<Vec<String>>,
    configured_env: Vec<(String, String)>,
    found_on_path: Option<String>,
) -> Result<zed::Command> {
    let command = configured_path.or(found_on_path).ok_or_else(|| {
        "dockside is not on PATH: install it (cargo install --path server in the Dockside \
         clone) or set lsp.dockside.binary.path in Zed's settings"
            .to_string()
    })?;
    let args = configured_args
        .unwrap_or_else(|| DEFAULT_ARGS.iter().map(|arg| arg.to_string()).collect());
    Ok(zed::Command {
        command,
        args,
        env: configured_env,
    })
}

impl zed::Extension for Dockside {
    fn new() -> Self {
        Dockside
    }

    fn language_server_command(
        &mut self,
        _language_server_id: &LanguageServerId,
        worktree: &zed::Worktree,
    ) -> Result<zed::Command> {
        let binary = LspSettings::for_worktree(SERVER_NAME, worktree)
            .ok()
            .and_then(|settings| settings.binary);
        let (path, args, env) = match binary {
            Some(binary) => (
                binary.path,
                binary.arguments,
                binary.env.map(|env| env.into_iter().collect()).unwrap_or_default(),
            ),
            None => (None, None, Vec::new()),
        };
        server_command(path, args, env, worktree.which(SERVER_NAME))
    }

    fn language_server_initialization_options(
        &mut self,
        _language_server_id: &LanguageServerId,
        worktree: &zed::Worktree,
    ) -> Result<Option<zed::serde_json::Value>> {
        Ok(LspSettings::for_worktree(SERVER_NAME, worktree)
            .ok()
            .and_then(|settings| settings.initialization_options))
    }

    fn language_server_workspace_configuration(
        &mut self,
        _language_server_id: &LanguageServerId,
        worktree: &zed::Worktree,
    ) -> Result<Option<zed::serde_json::Value>> {
        Ok(LspSettings::for_worktree(SERVER_NAME, worktree)
            .ok()
            .and_then(|settings| settings.settings))
    }
}

zed::register_extension!(Dockside);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dockside_from_path_runs_the_lsp_subcommand() {
        let command = server_command(None, None, Vec::new(), Some("/usr/bin/dockside".into()));
        let command = command.map(|c| (c.command, c.args));
        assert_eq!(
            command,
            Ok(("/usr/bin/dockside".to_string(), vec!["lsp".to_string()]))
        );
    }

    #[test]
    fn configured_binary_wins_over_path() {
        let command = server_command(
            Some("/opt/dockside".into()),
            Some(vec!["--stdio".into()]),
            vec![("RUST_LOG".into(), "debug".into())],
            Some("/usr/bin/dockside".into()),
        );
        let command = command.map(|c| (c.command, c.args, c.env));
        assert_eq!(
            command,
            Ok((
                "/opt/dockside".to_string(),
                vec!["--stdio".to_string()],
                vec![("RUST_LOG".to_string(), "debug".to_string())]
            ))
        );
    }

    #[test]
    fn missing_binary_says_how_to_install_it() {
        let error = server_command(None, None, Vec::new(), None).err();
        assert!(error.is_some_and(|e| e.contains("lsp.dockside.binary.path")));
    }
}
