//! Configuration: `dockside.toml` (found by walking up from the Dockerfile), the LSP
//! settings under `dockside` (same shape, as JSON), and hadolint's `.hadolint.yaml`
//! (`ignored`, `override`).
//!
//! Invalid configuration never silently disables rules: every problem is reported (with
//! the file and a range when known) and the rest of the configuration still applies.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use saphyr::LoadableYamlNode;
use serde::Deserialize;

use crate::analysis::Severity;
use crate::rules::{all_rules, suppression::did_you_mean, RuleMeta};
use crate::text::TextRange;

pub const CONFIG_FILE_NAME: &str = "dockside.toml";
/// `registry.cache-ttl` when not configured.
pub const DEFAULT_REGISTRY_CACHE_TTL: Duration = Duration::from_secs(24 * 60 * 60);

/// The effective configuration for one Dockerfile.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Config {
    /// Rules turned off (canonical rule names).
    pub disabled: Vec<&'static str>,
    /// Off-by-default rules turned on.
    pub enabled: Vec<&'static str>,
    pub severity: HashMap<&'static str, Severity>,
    /// `(Dockerfile path or glob, context dir)`, relative to the config file's directory
    /// (absolute after loading).
    pub build_contexts: Vec<(String, PathBuf)>,
    /// Default platform for sizes and platform checks, e.g. `linux/amd64`.
    pub platform: String,
    pub inlay_hints: bool,
    /// Live registry look-ups (`registry.enabled`); off by default, and with it off no
    /// socket is ever opened.
    pub registry_enabled: bool,
    /// Registries reached over plain HTTP (`registry.insecure`), e.g. `localhost:5000`.
    pub insecure_registries: Vec<String>,
    /// How long a registry answer is fresh (`registry.cache-ttl`); stale answers are still
    /// shown until a new look-up replaces them.
    pub registry_cache_ttl: Duration,
    /// `info` (default) or `warning` for floating `X.Y` tags; `off` disables that part.
    pub floating_tag_policy: String,
    /// Build arguments the builds pass (`--build-arg`), e.g. BuildKit's
    /// `BUILDKIT_DOCKERFILE_CHECK`, which replaces the `# check=` directive.
    pub build_args: std::collections::BTreeMap<String, String>,
    /// The files that contributed, for messages and file watching.
    pub sources: Vec<PathBuf>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            disabled: Vec::new(),
            enabled: Vec::new(),
            severity: HashMap::new(),
            build_contexts: Vec::new(),
            platform: "linux/amd64".to_string(),
            inlay_hints: true,
            registry_enabled: false,
            insecure_registries: Vec::new(),
            registry_cache_ttl: DEFAULT_REGISTRY_CACHE_TTL,
            floating_tag_policy: "info".to_string(),
            build_args: Default::default(),
            sources: Vec::new(),
        }
    }
}

/// A problem in a configuration file or in the LSP settings.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigProblem {
    /// `None` for the LSP settings.
    pub file: Option<PathBuf>,
    pub range: Option<TextRange>,
    pub message: String,
}

/// The serialized shape of `dockside.toml` and of the `dockside` LSP settings.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ConfigFile {
    #[serde(default)]
    pub rules: RulesSection,
    #[serde(default, alias = "buildContext", alias = "build-contexts")]
    pub build_context: Vec<BuildContextEntry>,
    pub platform: Option<String>,
    #[serde(alias = "inlayHints")]
    pub inlay_hints: Option<bool>,
    #[serde(default)]
    pub registry: RegistrySection,
    #[serde(alias = "floatingTagPolicy")]
    pub floating_tag_policy: Option<String>,
    /// `[build-args]`: what `docker build --build-arg` passes.
    #[serde(default, alias = "buildArgs")]
    pub build_args: HashMap<String, String>,
    /// Settings of the editor extension that the server ignores (e.g. `server.path`).
    #[serde(default)]
    pub server: Option<serde::de::IgnoredAny>,
    #[serde(default)]
    pub trace: Option<serde::de::IgnoredAny>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RulesSection {
    #[serde(default)]
    pub ignore: Vec<String>,
    #[serde(default)]
    pub enable: Vec<String>,
    #[serde(default)]
    pub severity: HashMap<String, String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BuildContextEntry {
    pub dockerfile: String,
    pub context: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RegistrySection {
    pub enabled: Option<bool>,
    #[serde(default)]
    pub insecure: Vec<String>,
    /// `"12h"`, `"30m"`, `"7d"`, `"90s"`, or a number of seconds.
    #[serde(alias = "cacheTtl")]
    pub cache_ttl: Option<TtlValue>,
}

/// A duration as written in the configuration: seconds, or a number with a unit.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub enum TtlValue {
    Seconds(u64),
    Text(String),
}

/// The longest accepted `registry.cache-ttl`: a year.
const MAX_REGISTRY_CACHE_TTL: Duration = Duration::from_secs(366 * 24 * 60 * 60);

impl TtlValue {
    /// The duration, or the reason it is not one.
    pub fn duration(&self) -> Result<Duration, String> {
        let seconds = match self {
            TtlValue::Seconds(seconds) => *seconds,
            TtlValue::Text(text) => parse_duration_seconds(text).ok_or_else(|| {
                format!(
                    "registry.cache-ttl: `{text}` is not a duration like \"12h\", \"30m\", \"7d\" or \"90s\""
                )
            })?,
        };
        let duration = Duration::from_secs(seconds);
        if duration > MAX_REGISTRY_CACHE_TTL {
            return Err(format!(
                "registry.cache-ttl: {seconds} seconds is more than a year"
            ));
        }
        Ok(duration)
    }
}

/// `90s`, `30m`, `12h`, `7d` or a bare number of seconds.
fn parse_duration_seconds(text: &str) -> Option<u64> {
    let text = text.trim();
    let unit_at = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(unit_at);
    let number: u64 = number.parse().ok()?;
    let factor = match unit.trim() {
        "" | "s" => 1,
        "m" | "min" => 60,
        "h" => 60 * 60,
        "d" => 24 * 60 * 60,
        _ => return None,
    };
    number.checked_mul(factor)
}

fn find_rule_meta(name: &str) -> Option<&'static RuleMeta> {
    all_rules()
        .map(|r| r.meta())
        .find(|m| m.name.eq_ignore_ascii_case(name) || m.covers_hadolint_code(name))
}

fn unknown_rule_message(name: &str) -> String {
    let hint = did_you_mean(name, all_rules().map(|r| r.meta().name))
        .map(|s| format!(" Did you mean `{s}`?"))
        .unwrap_or_default();
    format!("unknown rule `{name}`.{hint}")
}

pub fn parse_severity(value: &str) -> Option<Severity> {
    match value.to_ascii_lowercase().as_str() {
        "error" => Some(Severity::Error),
        "warning" | "warn" => Some(Severity::Warning),
        "info" | "information" => Some(Severity::Info),
        "hint" | "style" => Some(Severity::Hint),
        _ => None,
    }
}

impl Config {
    /// Applies one configuration layer (file or settings) on top of `self`.
    pub fn apply(
        &mut self,
        file: ConfigFile,
        base_dir: Option<&Path>,
        source: Option<&Path>,
    ) -> Vec<ConfigProblem> {
        let mut problems = Vec::new();
        let mut problem = |message: String| {
            problems.push(ConfigProblem {
                file: source.map(Path::to_path_buf),
                range: None,
                message,
            })
        };
        for name in &file.rules.ignore {
            match find_rule_meta(name) {
                Some(m) => self.disabled.push(m.name),
                None => problem(format!("rules.ignore: {}", unknown_rule_message(name))),
            }
        }
        for name in &file.rules.enable {
            match find_rule_meta(name) {
                Some(m) => self.enabled.push(m.name),
                None => problem(format!("rules.enable: {}", unknown_rule_message(name))),
            }
        }
        for (name, sev) in &file.rules.severity {
            match (find_rule_meta(name), parse_severity(sev)) {
                (Some(m), Some(s)) => {
                    self.severity.insert(m.name, s);
                }
                (None, _) => problem(format!("rules.severity: {}", unknown_rule_message(name))),
                (_, None) => problem(format!(
                    "rules.severity.{name}: `{sev}` is not a severity (use error, warning, info or hint)"
                )),
            }
        }
        for entry in file.build_context {
            let context = match base_dir {
                Some(dir) => dir.join(&entry.context),
                None => PathBuf::from(&entry.context),
            };
            let dockerfile = match base_dir {
                Some(dir) if !Path::new(&entry.dockerfile).is_absolute() => {
                    dir.join(&entry.dockerfile).to_string_lossy().into_owned()
                }
                _ => entry.dockerfile.clone(),
            };
            self.build_contexts.push((dockerfile, context));
        }
        self.build_args.extend(file.build_args);
        if let Some(p) = file.platform {
            if p.split('/').count() >= 2 {
                self.platform = p;
            } else {
                problem(format!(
                    "platform: `{p}` is not a platform like linux/amd64"
                ));
            }
        }
        if let Some(v) = file.inlay_hints {
            self.inlay_hints = v;
        }
        if let Some(v) = file.registry.enabled {
            self.registry_enabled = v;
        }
        self.insecure_registries.extend(file.registry.insecure);
        if let Some(ttl) = &file.registry.cache_ttl {
            match ttl.duration() {
                Ok(ttl) => self.registry_cache_ttl = ttl,
                Err(message) => problem(message),
            }
        }
        if let Some(policy) = file.floating_tag_policy {
            match policy.as_str() {
                "info" | "warning" | "off" => self.floating_tag_policy = policy,
                other => problem(format!(
                    "floating-tag-policy: `{other}` is not one of info, warning, off"
                )),
            }
        }
        if let Some(s) = source {
            self.sources.push(s.to_path_buf());
        }
        problems
    }

    /// Reads `dockside.toml` (nearest to `dockerfile_dir`) and `.hadolint.yaml` (same search).
    pub fn load_for(dockerfile_dir: &Path) -> (Config, Vec<ConfigProblem>) {
        Self::load_layered(dockerfile_dir, None)
    }

    /// The editor's `dockside` settings first, then `.hadolint.yaml`, then the project's
    /// `dockside.toml`, which has the last word.
    pub fn load_layered(
        dockerfile_dir: &Path,
        settings: Option<&serde_json::Value>,
    ) -> (Config, Vec<ConfigProblem>) {
        let mut config = Config::default();
        let mut problems = Vec::new();
        if let Some(settings) = settings {
            problems.extend(config.apply_settings(settings));
        }
        if let Some(hadolint) = find_upwards(dockerfile_dir, &[".hadolint.yaml", ".hadolint.yml"]) {
            problems.extend(config.apply_hadolint_file(&hadolint));
        }
        if let Some(path) = find_upwards(dockerfile_dir, &[CONFIG_FILE_NAME]) {
            problems.extend(config.apply_toml_file(&path));
        }
        (config, problems)
    }

    pub fn apply_toml_file(&mut self, path: &Path) -> Vec<ConfigProblem> {
        match crate::dotnet::files::read_text_from_disk(
            path,
            crate::dotnet::files::DEFAULT_MAX_FILE_SIZE,
        ) {
            Ok(text) => self.apply_toml(&text, path),
            Err(e) => vec![ConfigProblem {
                file: Some(path.to_path_buf()),
                range: None,
                message: e.message,
            }],
        }
    }

    pub fn apply_toml(&mut self, text: &str, path: &Path) -> Vec<ConfigProblem> {
        match toml::from_str::<ConfigFile>(text) {
            Ok(file) => self.apply(file, path.parent(), Some(path)),
            Err(e) => {
                // An invalid file must not silently disable anything: report it, and still
                // honour the sections that parse on their own.
                let mut problems = vec![ConfigProblem {
                    file: Some(path.to_path_buf()),
                    range: e.span().map(|s| TextRange::new(s.start, s.end)),
                    message: format!("invalid configuration, defaults apply: {}", e.message()),
                }];
                if let Ok(table) = toml::from_str::<toml::Table>(text) {
                    for (key, value) in table {
                        let mut single = toml::Table::new();
                        single.insert(key, value);
                        if let Ok(file) = ConfigFile::deserialize(toml::Value::Table(single)) {
                            problems.extend(self.apply(file, path.parent(), None));
                        }
                    }
                }
                problems
            }
        }
    }

    /// Applies the LSP `dockside` settings object (the same keys as dockside.toml).
    pub fn apply_settings(&mut self, settings: &serde_json::Value) -> Vec<ConfigProblem> {
        match ConfigFile::deserialize(settings) {
            Ok(file) => self.apply(file, None, None),
            Err(e) => vec![ConfigProblem {
                file: None,
                range: None,
                message: format!("invalid `dockside` settings, defaults apply: {e}"),
            }],
        }
    }

    /// hadolint's `ignored: [DL...]` and `override: {error: [...], warning: [...], ...}`.
    pub fn apply_hadolint_file(&mut self, path: &Path) -> Vec<ConfigProblem> {
        let problem = |message: String| ConfigProblem {
            file: Some(path.to_path_buf()),
            range: None,
            message,
        };
        let text = match crate::dotnet::files::read_text_from_disk(
            path,
            crate::dotnet::files::DEFAULT_MAX_FILE_SIZE,
        ) {
            Ok(t) => t,
            Err(e) => return vec![problem(e.message)],
        };
        let docs = match saphyr::Yaml::load_from_str(&text) {
            Ok(d) => d,
            Err(e) => return vec![problem(format!("invalid YAML, ignored: {e}"))],
        };
        let Some(doc) = docs.first() else {
            return vec![];
        };
        let mut problems = Vec::new();
        let codes = |node: Option<&saphyr::Yaml>| -> Vec<String> {
            node.and_then(|n| n.as_vec())
                .map(|v| {
                    v.iter()
                        .filter_map(|x| x.as_str().map(String::from))
                        .collect()
                })
                .unwrap_or_default()
        };
        for code in codes(doc.as_mapping_get("ignored")) {
            // hadolint codes Dockside does not implement are not mistakes.
            if let Some(m) = find_rule_meta(&code) {
                self.disabled.push(m.name);
            }
        }
        if let Some(over) = doc.as_mapping_get("override") {
            for level in ["error", "warning", "info", "style"] {
                for code in codes(over.as_mapping_get(level)) {
                    if let (Some(m), Some(sev)) = (find_rule_meta(&code), parse_severity(level)) {
                        self.severity.insert(m.name, sev);
                    }
                }
            }
        }
        if doc.as_mapping().is_none() && !doc.is_null() {
            problems.push(problem("expected a mapping at the top level".to_string()));
        }
        self.sources.push(path.to_path_buf());
        problems
    }

    pub fn rule_enabled(&self, meta: &RuleMeta) -> bool {
        if self.disabled.contains(&meta.name) {
            return false;
        }
        meta.default_enabled || self.enabled.contains(&meta.name)
    }

    pub fn severity_of(&self, meta: &RuleMeta) -> Option<Severity> {
        self.severity.get(meta.name).copied()
    }

    /// The configured build context of a Dockerfile, if one mapping matches its path.
    pub fn build_context_for(&self, dockerfile: &Path) -> Option<&Path> {
        self.build_contexts.iter().find_map(|(pattern, context)| {
            let matches = globset::Glob::new(pattern)
                .ok()
                .map(|g| g.compile_matcher().is_match(dockerfile))
                .unwrap_or(false)
                || Path::new(pattern) == dockerfile;
            matches.then_some(context.as_path())
        })
    }
}

/// The nearest file with one of `names` in `dir` or its ancestors.
pub fn find_upwards(dir: &Path, names: &[&str]) -> Option<PathBuf> {
    let mut current = Some(dir);
    while let Some(d) = current {
        for name in names {
            let candidate = d.join(name);
            if candidate.is_file() {
                return Some(candidate);
            }
        }
        current = d.parent();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn toml_rules_severities_and_contexts() {
        let mut config = Config::default();
        let problems = config.apply_toml(
            r#"
platform = "linux/arm64"
inlay-hints = false
[rules]
ignore = ["NoInstructions", "UnterminatedHerdoc"]
[rules.severity]
InvalidKeyValue = "warning"
[[build-context]]
dockerfile = "src/Api/Dockerfile"
context = "."
"#,
            Path::new("/repo/dockside.toml"),
        );
        assert_eq!(config.platform, "linux/arm64");
        assert!(!config.inlay_hints);
        assert_eq!(config.disabled, vec!["NoInstructions"]);
        assert_eq!(
            config.severity.get("InvalidKeyValue"),
            Some(&Severity::Warning)
        );
        assert_eq!(
            config.build_context_for(Path::new("/repo/src/Api/Dockerfile")),
            Some(Path::new("/repo/."))
        );
        assert_eq!(problems.len(), 1);
        assert_eq!(
            problems[0].message,
            "rules.ignore: unknown rule `UnterminatedHerdoc`. Did you mean `UnterminatedHeredoc`?"
        );
    }

    #[test]
    fn invalid_toml_is_reported_and_valid_sections_still_apply() {
        let mut config = Config::default();
        let problems = config.apply_toml(
            "platform = \"linux/arm64\"\nbogus = 1\n[rules]\nignore = [\"NoInstructions\"]\n",
            Path::new("/repo/dockside.toml"),
        );
        assert_eq!(problems.len(), 1);
        assert!(problems[0]
            .message
            .starts_with("invalid configuration, defaults apply: unknown field `bogus`"));
        assert_eq!(config.platform, "linux/arm64");
        assert_eq!(config.disabled, vec!["NoInstructions"]);
    }

    #[test]
    fn lsp_settings_use_the_same_keys() {
        let mut config = Config::default();
        let problems = config.apply_settings(&serde_json::json!({
            "rules": {"ignore": ["InvalidKeyValue"]},
            "inlayHints": false,
            "registry": {"enabled": true, "insecure": ["localhost:5000"]},
            "server": {"path": "/usr/local/bin/dockside"}
        }));
        assert!(problems.is_empty(), "{problems:?}");
        assert!(!config.inlay_hints);
        assert!(config.registry_enabled);
        assert_eq!(config.insecure_registries, ["localhost:5000"]);
        assert_eq!(config.registry_cache_ttl, DEFAULT_REGISTRY_CACHE_TTL);
        assert_eq!(config.disabled, vec!["InvalidKeyValue"]);
    }

    #[test]
    fn registry_cache_ttl_with_units_seconds_and_mistakes() {
        let ttl = |value: serde_json::Value| {
            let mut config = Config::default();
            let problems =
                config.apply_settings(&serde_json::json!({"registry": {"cacheTtl": value}}));
            (
                config.registry_cache_ttl.as_secs(),
                problems.into_iter().map(|p| p.message).collect::<Vec<_>>(),
            )
        };
        assert_eq!(ttl(serde_json::json!("12h")), (43_200, vec![]));
        assert_eq!(ttl(serde_json::json!("30m")), (1_800, vec![]));
        assert_eq!(ttl(serde_json::json!("7d")), (604_800, vec![]));
        assert_eq!(ttl(serde_json::json!(" 90s ")), (90, vec![]));
        assert_eq!(ttl(serde_json::json!(0)), (0, vec![]));
        assert_eq!(
            ttl(serde_json::json!("1 week")),
            (
                86_400,
                vec!["registry.cache-ttl: `1 week` is not a duration like \"12h\", \"30m\", \"7d\" or \"90s\"".to_string()]
            )
        );
        assert_eq!(
            ttl(serde_json::json!("400d")),
            (
                86_400,
                vec!["registry.cache-ttl: 34560000 seconds is more than a year".to_string()]
            )
        );
        let mut config = Config::default();
        let problems = config.apply_toml(
            "[registry]\nenabled = true\ninsecure = [\"127.0.0.1:5000\"]\ncache-ttl = \"2h\"\n",
            Path::new("/repo/dockside.toml"),
        );
        assert!(problems.is_empty(), "{problems:?}");
        assert!(config.registry_enabled);
        assert_eq!(config.registry_cache_ttl, Duration::from_secs(7_200));
    }

    #[test]
    fn hadolint_yaml_ignored_and_override() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join(".hadolint.yaml");
        std::fs::write(
            &path,
            "ignored:\n  - DL9999\noverride:\n  error:\n    - DL3020\n",
        )
        .expect("write");
        let mut config = Config::default();
        let problems = config.apply_hadolint_file(&path);
        assert!(problems.is_empty());
        // DL9999 is not a Dockside rule: ignoring it is fine and changes nothing.
        assert!(config.disabled.is_empty());
    }
}
