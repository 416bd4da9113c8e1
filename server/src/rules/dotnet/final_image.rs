//! How the final image runs: as which user, and on which ports the ASP.NET Core app listens.
//! Shared by RunsAsRoot, PrivilegedPortAsNonRoot and ExposedPortMismatch.

use super::published::{final_image_instructions, StageImage};
use crate::model::{unquote, VarKind};
use crate::rules::RuleContext;
use crate::syntax::{Args, Keyword, Word};
use crate::text::TextRange;

/// The user the final image runs as.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RunAs {
    /// Root (`USER root`, `USER 0`, Windows `ContainerAdministrator`), or no USER on an image
    /// that starts as root (`user` is then `None`).
    Root { user: Option<(usize, Word)> },
    /// Another user; `user` is `None` when it is the image's default (chiseled, distroless).
    NonRoot {
        user: Option<(usize, Word)>,
        name: String,
    },
    /// A USER whose variable has no value, or an image Dockside knows nothing about.
    Unknown,
}

/// The last USER of the final image, or the image's default user.
pub fn run_as(ctx: &RuleContext, final_stage: usize, image: Option<&StageImage>) -> RunAs {
    let last_user = final_image_instructions(ctx.model, final_stage)
        .into_iter()
        .rev()
        .find_map(|(stage, idx)| {
            let inst = ctx.tree.instructions.get(idx)?;
            match (&inst.keyword, &inst.args) {
                (Keyword::User, Args::String(word)) => Some((stage, idx, word.clone())),
                _ => None,
            }
        });
    if let Some((stage, idx, word)) = last_user {
        let raw = unquote(word.text.trim());
        // $APP_UID is set by the .NET 8+ images themselves (1654), not by the Dockerfile.
        let user_part = raw.split(':').next().unwrap_or_default();
        if user_part == "$APP_UID" || user_part == "${APP_UID}" {
            return RunAs::NonRoot {
                user: Some((idx, word)),
                name: "$APP_UID".to_string(),
            };
        }
        let expanded = ctx.model.expand_at(stage, idx, &raw);
        if !expanded.is_complete() {
            return RunAs::Unknown;
        }
        let name = expanded
            .text
            .split(':')
            .next()
            .unwrap_or_default()
            .to_string();
        if is_root_user(&name) {
            return RunAs::Root {
                user: Some((idx, word)),
            };
        }
        return RunAs::NonRoot {
            user: Some((idx, word)),
            name,
        };
    }
    let Some(facts) = image.and_then(|i| i.facts.as_ref()) else {
        return RunAs::Unknown;
    };
    match facts.non_root_by_default {
        Some(true) => RunAs::NonRoot {
            user: None,
            name: image
                .and_then(|i| i.known.as_ref())
                .map(|k| k.image.default_user.to_string())
                .unwrap_or_else(|| "app".to_string()),
        },
        Some(false) => RunAs::Root { user: None },
        // Retired tags (6.0, 7.0) carry no catalog facts; every .NET image that is not
        // chiseled or distroless starts as root.
        None if facts.repo_kind.is_dotnet()
            && facts.dotnet_version.is_some()
            && facts.distroless != Some(true)
            && facts.os_family != Some(crate::images::OsFamily::Windows) =>
        {
            RunAs::Root { user: None }
        }
        None => RunAs::Unknown,
    }
}

/// `root`, UID `0`, or Windows' administrator account.
pub fn is_root_user(name: &str) -> bool {
    let name = name.trim_matches(['"', '\'']);
    name == "root" || name == "0" || name.eq_ignore_ascii_case("ContainerAdministrator")
}

/// Where a listening port is configured.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PortSource {
    /// An ENV of the final image: `ASPNETCORE_HTTP_PORTS=80`, with the value's range.
    Env {
        name: String,
        value: String,
        value_range: TextRange,
    },
    /// The image's own setting (`ASPNETCORE_HTTP_PORTS=8080` from .NET 8 on,
    /// `ASPNETCORE_URLS=http://+:80` before).
    Image { setting: String, image: String },
}

impl PortSource {
    /// `ENV ASPNETCORE_HTTP_PORTS=80`, or `ASPNETCORE_HTTP_PORTS=8080 set by <image>`.
    pub fn describe(&self) -> String {
        match self {
            PortSource::Env { name, value, .. } => format!("ENV {name}={value}"),
            PortSource::Image { setting, image } => format!("{setting} set by {image}"),
        }
    }
}

/// A port the app listens on and where that is configured.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ListeningPort {
    pub port: u16,
    pub source: PortSource,
}

/// The last value of an ENV in the final image, with its value's range.
struct EnvValue {
    value: String,
    range: TextRange,
}

fn env_in_final_image(
    ctx: &RuleContext,
    final_stage: usize,
    name: &str,
) -> Option<Option<EnvValue>> {
    let order = final_image_instructions(ctx.model, final_stage);
    let position = |idx: usize| order.iter().position(|(_, i)| *i == idx);
    let decl = ctx
        .model
        .stage_vars
        .iter()
        .filter(|d| d.kind == VarKind::Env && d.name == name)
        .filter_map(|d| position(d.instruction).map(|p| (p, d)))
        .max_by_key(|(p, _)| *p)
        .map(|(_, d)| d)?;
    let word = decl.value.as_ref()?;
    let stage = decl.stage?;
    let expanded = ctx
        .model
        .expand_at(stage, decl.instruction, &unquote(&word.text));
    // `Some(None)`: set, but to something Dockside cannot read.
    let complete = expanded.is_complete();
    let value = EnvValue {
        value: expanded.text,
        range: word.range,
    };
    Some(complete.then_some(value))
}

/// Ports in `ASPNETCORE_URLS` syntax: `http://+:80;https://*:443` (the scheme's port when
/// none is written). `None` when a URL cannot be read.
pub fn ports_of_urls(value: &str) -> Option<Vec<u16>> {
    let mut ports = Vec::new();
    for url in value.split(';').map(str::trim).filter(|u| !u.is_empty()) {
        let (scheme, rest) = url.split_once("://")?;
        let authority = rest.split('/').next().unwrap_or(rest);
        let port_text = if let Some(after) = authority.strip_prefix('[') {
            after.split_once(']')?.1.strip_prefix(':')
        } else {
            authority.rsplit_once(':').map(|(_, p)| p)
        };
        let port = match port_text {
            Some(p) => p.parse().ok()?,
            None if scheme.eq_ignore_ascii_case("https") => 443,
            None if scheme.eq_ignore_ascii_case("http") => 80,
            None => return None,
        };
        ports.push(port);
    }
    Some(ports)
}

/// Ports in `HTTP_PORTS` syntax: `8080;8081`.
pub fn ports_of_list(value: &str) -> Option<Vec<u16>> {
    value
        .split([';', ','])
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|p| p.parse().ok())
        .collect()
}

/// The ports the ASP.NET Core app of the final image listens on, from the ENV of the final
/// image or the image's defaults: `ASPNETCORE_URLS` (or `DOTNET_URLS`) wins over
/// `ASPNETCORE_HTTP_PORTS`/`ASPNETCORE_HTTPS_PORTS` (or their `DOTNET_` and unprefixed forms),
/// which win over the image. `None` when something cannot be read or the image is unknown.
pub fn listening_ports(
    ctx: &RuleContext,
    final_stage: usize,
    image: Option<&StageImage>,
) -> Option<Vec<ListeningPort>> {
    let from_env = |name: &str, value: EnvValue, ports: Vec<u16>| -> Vec<ListeningPort> {
        ports
            .into_iter()
            .map(|port| ListeningPort {
                port,
                source: PortSource::Env {
                    name: name.to_string(),
                    value: value.value.clone(),
                    value_range: value.range,
                },
            })
            .collect()
    };
    for name in ["ASPNETCORE_URLS", "DOTNET_URLS"] {
        if let Some(value) = env_in_final_image(ctx, final_stage, name) {
            let value = value?;
            let ports = ports_of_urls(&value.value)?;
            return Some(from_env(name, value, ports));
        }
    }
    let image_facts = image.and_then(|i| i.facts.as_ref());
    let version = image_facts.and_then(|f| f.dotnet_version);
    let mut result = Vec::new();
    let mut http_set = false;
    for (names, is_http) in [
        (
            ["ASPNETCORE_HTTP_PORTS", "DOTNET_HTTP_PORTS", "HTTP_PORTS"],
            true,
        ),
        (
            [
                "ASPNETCORE_HTTPS_PORTS",
                "DOTNET_HTTPS_PORTS",
                "HTTPS_PORTS",
            ],
            false,
        ),
    ] {
        for name in names {
            if let Some(value) = env_in_final_image(ctx, final_stage, name) {
                let value = value?;
                let ports = ports_of_list(&value.value)?;
                result.extend(from_env(name, value, ports));
                http_set |= is_http;
                break;
            }
        }
    }
    // Before .NET 8 the images set ASPNETCORE_URLS=http://+:80, which wins over *_PORTS.
    let image = image?;
    let version = version?;
    if version.major < 8 {
        return Some(vec![ListeningPort {
            port: 80,
            source: PortSource::Image {
                setting: "ASPNETCORE_URLS=http://+:80".to_string(),
                image: image.name().to_string(),
            },
        }]);
    }
    if !http_set {
        let port = image_facts.and_then(|f| f.default_port)?;
        result.insert(
            0,
            ListeningPort {
                port,
                source: PortSource::Image {
                    setting: format!("ASPNETCORE_HTTP_PORTS={port}"),
                    image: image.name().to_string(),
                },
            },
        );
    }
    Some(result)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_and_port_lists() {
        assert_eq!(
            ports_of_urls("http://+:80;https://*:8443"),
            Some(vec![80, 8443])
        );
        assert_eq!(ports_of_urls("http://[::]:5000/"), Some(vec![5000]));
        assert_eq!(ports_of_urls("https://localhost"), Some(vec![443]));
        assert_eq!(ports_of_urls("http://+:x"), None);
        assert_eq!(ports_of_urls("+:80"), None);
        assert_eq!(ports_of_list("8080; 8081"), Some(vec![8080, 8081]));
        assert_eq!(ports_of_list("80a"), None);
        assert!(is_root_user("0"));
        assert!(is_root_user("ContainerAdministrator"));
        assert!(!is_root_user("app"));
    }
}
