//! NuGet.config: package sources and stored credentials.

use std::path::{Path, PathBuf};

use super::diagnostic::{WorkspaceDiagnostic, WorkspaceDiagnosticKind};
use super::xml::{self, XmlElement};
use crate::analysis::Severity;
use crate::text::TextRange;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PackageSource {
    pub key: String,
    pub url: String,
    pub range: TextRange,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SourceCredential {
    /// The package source the credentials are for (the element name under
    /// `packageSourceCredentials`, where spaces are encoded as `_x0020_`).
    pub source: String,
    pub username: Option<String>,
    /// Range of the `ClearTextPassword` value, when the file stores one.
    pub clear_text_password: Option<TextRange>,
    /// The clear-text password is only an environment variable reference (`%TOKEN%`).
    pub clear_text_password_is_env_reference: bool,
    /// An encrypted `Password` (Windows DPAPI) is present.
    pub has_encrypted_password: bool,
    pub range: TextRange,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NugetConfig {
    pub path: PathBuf,
    /// `<clear/>` in packageSources: sources from machine and user configs are dropped.
    pub clears_sources: bool,
    pub sources: Vec<PackageSource>,
    pub credentials: Vec<SourceCredential>,
    pub diagnostics: Vec<WorkspaceDiagnostic>,
}

impl NugetConfig {
    /// The file stores a `ClearTextPassword` (whether literal or an env reference).
    pub fn has_clear_text_password(&self) -> bool {
        self.credentials
            .iter()
            .any(|c| c.clear_text_password.is_some())
    }

    pub fn dir(&self) -> &Path {
        self.path.parent().unwrap_or(Path::new("/"))
    }
}

pub fn parse_nuget_config(path: &Path, text: &str) -> NugetConfig {
    let mut config = NugetConfig {
        path: path.to_path_buf(),
        clears_sources: false,
        sources: Vec::new(),
        credentials: Vec::new(),
        diagnostics: Vec::new(),
    };
    let document = match xml::parse(text) {
        Ok(document) => document,
        Err(error) => {
            config.diagnostics.push(WorkspaceDiagnostic::new(
                path,
                error.range,
                Severity::Error,
                if error.declares_entities {
                    WorkspaceDiagnosticKind::XmlEntities
                } else {
                    WorkspaceDiagnosticKind::MalformedXml
                },
                error.message,
            ));
            return config;
        }
    };
    for section in &document.root.children {
        if section.is("packageSources") {
            for entry in &section.children {
                if entry.is("clear") {
                    config.clears_sources = true;
                    config.sources.clear();
                } else if entry.is("add") {
                    if let (Some(key), Some(value)) =
                        (entry.attribute("key"), entry.attribute("value"))
                    {
                        config.sources.push(PackageSource {
                            key: key.value.clone(),
                            url: value.value.clone(),
                            range: entry.range,
                        });
                    }
                }
            }
        } else if section.is("packageSourceCredentials") {
            for source in &section.children {
                config.credentials.push(read_credential(source));
            }
        }
    }
    config
}

fn read_credential(source: &XmlElement) -> SourceCredential {
    let mut credential = SourceCredential {
        source: source.name.replace("_x0020_", " "),
        username: None,
        clear_text_password: None,
        clear_text_password_is_env_reference: false,
        has_encrypted_password: false,
        range: source.range,
    };
    for entry in source.children_named("add") {
        let Some(key) = entry.attribute_value("key") else {
            continue;
        };
        let value = entry.attribute("value");
        if key.eq_ignore_ascii_case("Username") {
            credential.username = value.map(|v| v.value.clone());
        } else if key.eq_ignore_ascii_case("ClearTextPassword") {
            credential.clear_text_password =
                Some(value.map(|v| v.value_range).unwrap_or(entry.range));
            credential.clear_text_password_is_env_reference = value.is_some_and(|v| {
                let text = v.value.trim();
                text.len() > 2 && text.starts_with('%') && text.ends_with('%')
            });
        } else if key.eq_ignore_ascii_case("Password") {
            credential.has_encrypted_password = true;
        }
    }
    credential
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_sources_and_clear_text_credentials() {
        let text = r#"<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <add key="machine" value="https://example.invalid/old" />
    <clear />
    <add key="nuget.org" value="https://api.nuget.org/v3/index.json" protocolVersion="3" />
    <add key="Contoso Internal" value="https://pkgs.dev.azure.com/contoso/_packaging/internal/nuget/v3/index.json" />
  </packageSources>
  <packageSourceCredentials>
    <Contoso_x0020_Internal>
      <add key="Username" value="build" />
      <add key="ClearTextPassword" value="s3cr3t-token" />
    </Contoso_x0020_Internal>
  </packageSourceCredentials>
</configuration>"#;
        let config = parse_nuget_config(Path::new("/repo/NuGet.config"), text);
        assert!(config.clears_sources);
        let keys: Vec<_> = config.sources.iter().map(|s| s.key.as_str()).collect();
        assert_eq!(keys, ["nuget.org", "Contoso Internal"]);
        assert!(config.has_clear_text_password());
        let credential = &config.credentials[0];
        assert_eq!(credential.source, "Contoso Internal");
        assert_eq!(credential.username.as_deref(), Some("build"));
        assert_eq!(
            &text[credential.clear_text_password.unwrap().as_range()],
            "s3cr3t-token"
        );
        assert!(!credential.clear_text_password_is_env_reference);
    }

    #[test]
    fn env_reference_password_is_flagged() {
        let text = "<configuration><packageSourceCredentials><feed><add key=\"ClearTextPassword\" value=\"%FEED_TOKEN%\"/></feed></packageSourceCredentials></configuration>";
        let config = parse_nuget_config(Path::new("/n/nuget.config"), text);
        assert!(config.credentials[0].clear_text_password_is_env_reference);
    }

    #[test]
    fn malformed_config_is_a_diagnostic() {
        let config = parse_nuget_config(Path::new("/n/nuget.config"), "<configuration>");
        assert_eq!(
            config.diagnostics[0].kind,
            WorkspaceDiagnosticKind::MalformedXml
        );
    }
}
