use std::io::Read;
use std::path::Path;

use crate::context::Dockerignore;
use crate::declare_rule;
use crate::rules::{Diagnostics, RuleContext};

use super::restore_model::{list_names, SolutionView};

declare_rule! {
/// ## What it does
/// Lists the secret files that end up in the final image: copied explicitly, or inside a
/// copied directory and not excluded by `.dockerignore`. Secret files are certificates with
/// private keys (`*.pfx`, `*.p12`), private keys (`*.key`, `*.pem` files that contain a
/// private key, `id_rsa`-style SSH keys), strong-name key pairs (`*.snk`), environment files
/// (`.env`, `.env.*` except `.env.example`/`.sample`/`.template`/`.dist`) and
/// `secrets.json`. Copies in stages the final stage derives from (`FROM <stage>`) count;
/// copies in build stages whose files do not reach the final image do not.
///
/// ## Why is this bad?
/// Anyone who can pull the image can read the files: image layers are plain tar archives.
/// The ASP.NET Core development certificate copied for HTTPS, a `.env` with connection
/// strings, or a signing key end up in every registry and cache the image goes through.
///
/// ## Example
/// ```dockerfile
/// FROM mcr.microsoft.com/dotnet/aspnet:8.0
/// COPY certs/aspnetapp.pfx /https/
/// ```
///
/// ## Use instead
/// Mount certificates and secrets at run time (volumes, orchestrator secrets), or pass
/// them during the build with `RUN --mount=type=secret`; exclude them in `.dockerignore`.
///
/// ## Fix safety
/// No automatic fix.
///
/// ## References
/// - [Build secrets](https://docs.docker.com/build/building/secrets/)
/// - [Hosting ASP.NET Core images with Docker over HTTPS](https://learn.microsoft.com/aspnet/core/security/docker-https)
    SecretFileInImage {
        severity: Warning,
        origin: Dotnet,
        summary: "Certificates, keys, .env or secrets.json files are copied into the final image.",
    }
}

/// Entries visited at most per copied directory (a `COPY . .` of a huge context).
const MAX_ENTRIES: usize = 20_000;
const MAX_DEPTH: usize = 24;
/// Bytes of a `.pem` file read to find a private key.
const PEM_PREFIX: u64 = 64 * 1024;

/// Whether a file of the context is a secret, by its name (and, for `.pem`, its content).
fn is_secret(path: &Path) -> bool {
    let Some(name) = path
        .file_name()
        .map(|n| n.to_string_lossy().to_ascii_lowercase())
    else {
        return false;
    };
    let extension = name.rsplit_once('.').map(|(_, e)| e).unwrap_or("");
    if matches!(extension, "pfx" | "p12" | "key" | "snk") && !name.starts_with('.') {
        return true;
    }
    if name == ".env" {
        return true;
    }
    if let Some(variant) = name.strip_prefix(".env.") {
        return !matches!(
            variant,
            "example" | "sample" | "template" | "dist" | "defaults"
        );
    }
    if name == "secrets.json" {
        return true;
    }
    if ["id_rsa", "id_dsa", "id_ecdsa", "id_ed25519"]
        .iter()
        .any(|key| name == *key)
    {
        return true;
    }
    if extension == "pem" {
        return pem_has_private_key(path);
    }
    false
}

fn pem_has_private_key(path: &Path) -> bool {
    // Opening a named pipe would block the analysis until something writes to it.
    if !std::fs::metadata(path).is_ok_and(|m| m.is_file()) {
        return false;
    }
    let Ok(file) = std::fs::File::open(path) else {
        return false;
    };
    let mut prefix = Vec::new();
    if file.take(PEM_PREFIX).read_to_end(&mut prefix).is_err() {
        return false;
    }
    String::from_utf8_lossy(&prefix).contains("PRIVATE KEY-----")
}

/// Secret files under the context directory `dir` (context-relative path `relative`) that
/// .dockerignore does not exclude.
fn secrets_under(
    context_dir: &Path,
    relative: &str,
    ignore: Option<&Dockerignore>,
    found: &mut Vec<String>,
) {
    let has_exceptions = ignore.is_some_and(|i| i.patterns().iter().any(|p| p.exclusion));
    let excluded = |path: &str| ignore.is_some_and(|i| i.is_excluded(path).is_some());
    let mut stack: Vec<(String, usize)> = vec![(relative.to_string(), 0)];
    let mut visited = 0usize;
    while let Some((dir, depth)) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(context_dir.join(&dir)) else {
            continue;
        };
        let mut entries: Vec<_> = entries.filter_map(Result::ok).collect();
        entries.sort_by_key(|e| e.file_name());
        for entry in entries {
            visited += 1;
            if visited > MAX_ENTRIES {
                return;
            }
            let name = entry.file_name().to_string_lossy().into_owned();
            let path = if dir.is_empty() {
                name.clone()
            } else {
                format!("{dir}/{name}")
            };
            // Never follow symlinks: they may point outside the context.
            let Ok(kind) = entry.file_type() else {
                continue;
            };
            if kind.is_dir() {
                if name == ".git" || depth >= MAX_DEPTH || (!has_exceptions && excluded(&path)) {
                    continue;
                }
                stack.push((path, depth + 1));
            } else if kind.is_file() && !excluded(&path) && is_secret(&entry.path()) {
                found.push(path);
            }
        }
    }
}

impl SecretFileInImage {
    fn run(ctx: &RuleContext, out: &mut Diagnostics) {
        let Some(view) = SolutionView::of(ctx) else {
            return;
        };
        let ignore = view.facts.dockerignore.as_ref().map(|d| &d.ignore);
        for (copy, source_index, resolution) in view.final_stage_copies() {
            let mut secrets: Vec<String> = Vec::new();
            for m in super::restore_model::visible_matches(&resolution.outcome) {
                if m.is_dir {
                    secrets_under(&view.context_dir, &m.relative_path, ignore, &mut secrets);
                } else if is_secret(&view.context_dir.join(&m.relative_path)) {
                    secrets.push(m.relative_path.clone());
                }
            }
            if secrets.is_empty() {
                continue;
            }
            secrets.sort();
            secrets.dedup();
            let Some((word, _)) = copy.sources.get(source_index) else {
                continue;
            };
            let files = if secrets.len() == 1 { "file" } else { "files" };
            out.report(
                &Self::META,
                word.range,
                format!(
                    "`{}` copies secret {files} into the final image: {}",
                    word.text,
                    list_names(&secrets, 5)
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::dotnet::test_support::{
        check_rule_in_solution, check_text_in_dir, csproj, solution,
    };

    #[test]
    fn development_certificate_fixture() {
        assert_eq!(
            check_rule_in_solution("SecretFileInImage", "https-cert", "Dockerfile"),
            ["12:6-12:24 `certs/payments.pfx` copies secret file into the final image: certs/payments.pfx"]
        );
    }

    #[test]
    fn explicit_and_directory_copies() {
        let dir = solution(&[
            (".dockerignore", "**/bin/\n**/obj/\n**/*.key\n"),
            ("src/Api/Api.csproj", &csproj("Microsoft.NET.Sdk.Web", &[])),
            (
                "src/Api/.env",
                "ConnectionStrings__Db=Server=db;Password=x\n",
            ),
            ("src/Api/.env.example", "ConnectionStrings__Db=\n"),
            ("src/Api/appsettings.Development.json", "{}"),
            ("src/Api/signing.key", "key"),
            ("certs/aspnetapp.pfx", "binary"),
            (
                "certs/ca.pem",
                "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n",
            ),
            (
                "certs/tls.pem",
                "-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n",
            ),
            ("Dockerfile", ""),
        ]);
        let text = "FROM mcr.microsoft.com/dotnet/sdk:8.0 AS build\nCOPY certs/aspnetapp.pfx /tmp/\nFROM mcr.microsoft.com/dotnet/aspnet:8.0\nCOPY certs/aspnetapp.pfx certs/ca.pem /https/\nCOPY certs /certs\nCOPY src/Api/ /app/\n";
        assert_eq!(
            check_text_in_dir("SecretFileInImage", dir.path(), "Dockerfile", text),
            [
                "4:6-4:25 `certs/aspnetapp.pfx` copies secret file into the final image: certs/aspnetapp.pfx",
                "5:6-5:11 `certs` copies secret files into the final image: certs/aspnetapp.pfx and certs/tls.pem",
                "6:6-6:14 `src/Api/` copies secret file into the final image: src/Api/.env"
            ]
        );
    }

    #[test]
    fn silent_on_fixtures() {
        for (fixture, dockerfile) in [
            ("good", "Dockerfile"),
            ("naive-single-stage", "Dockerfile"),
            ("private-feed", "Dockerfile"),
        ] {
            assert_eq!(
                check_rule_in_solution("SecretFileInImage", fixture, dockerfile),
                Vec::<String>::new(),
                "{fixture}"
            );
        }
    }
}
