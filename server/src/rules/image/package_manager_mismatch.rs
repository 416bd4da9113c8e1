use super::support::{describe_image_of, image_of_stage, stage_images};
use crate::declare_rule;
use crate::images::{ImageFacts, OsFamily, PackageManager};
use crate::rules::hadolint::runs::runs_using;
use crate::rules::hadolint::shell::Command;
use crate::rules::{Diagnostics, RuleContext};

declare_rule! {
/// ## What it does
/// Checks that `RUN` uses the package manager of the stage's image (directly or through the
/// stage it is built `FROM`): `apt-get` only on Debian and Ubuntu, `apk` only on Alpine,
/// `tdnf`/`dnf`/`yum` only on Azure Linux, and none at all on chiseled and distroless
/// images. On Alpine it also checks `adduser`/`addgroup` for Debian's long options
/// (`--system`, `--disabled-password`): Alpine has BusyBox's versions, which only take short
/// options.
///
/// ## Why is this bad?
/// The command does not exist in the image (`/bin/sh: apt-get: not found`) or rejects the
/// options, and the build fails. It typically happens after switching a Dockerfile from the
/// default Debian/Ubuntu tag to `-alpine` or `-azurelinux3.0`.
///
/// ## Example
/// ```dockerfile
/// FROM mcr.microsoft.com/dotnet/aspnet:10.0-alpine
/// RUN apt-get update && apt-get install -y icu-libs
/// RUN adduser --system --no-create-home app
/// ```
///
/// ## Use instead
/// ```dockerfile
/// FROM mcr.microsoft.com/dotnet/aspnet:10.0-alpine
/// RUN apk add --no-cache icu-libs
/// RUN adduser -S -H app
/// ```
///
/// ## Fix safety
/// No automatic fix: package names differ between distributions.
///
/// ## References
/// - [BusyBox adduser](https://busybox.net/downloads/BusyBox.html#adduser)
    PackageManagerMismatch {
        severity: Error,
        origin: Image,
        summary: "A package manager (or adduser syntax) that the stage's image does not have.",
    }
}

impl PackageManagerMismatch {
    fn run(ctx: &RuleContext, out: &mut Diagnostics) {
        let images = stage_images(ctx);
        // Reading every RUN script costs time on large files: only when some image is known.
        let known = |image: &super::support::StageImage<'_>| {
            image
                .facts()
                .is_some_and(|facts| facts.os_family.is_some() || facts.package_manager.is_some())
        };
        if !images.iter().any(known) {
            return;
        }
        for run in runs_using(ctx, |name| MANAGED_NAMES.contains(&name)) {
            if run.onbuild {
                continue;
            }
            let Some(stage) = run.stage else { continue };
            let Some(image) = image_of_stage(ctx.model, images, stage) else {
                continue;
            };
            let Some(facts) = image.facts() else { continue };
            // Only messages describe the image.
            let described = || describe_image_of(ctx.model, image, stage);
            for command in run.commands() {
                if let Some(message) = manager_mismatch(&command, facts, &described) {
                    out.report(&Self::META, command.program().range, message);
                } else if let Some((range, message)) = busybox_syntax(&command, facts, &described) {
                    out.report(&Self::META, range, message);
                }
            }
        }
    }
}

/// Which distributions a package manager command belongs to.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Family {
    Apt,
    Apk,
    Rpm,
}

/// The programs [`manager_mismatch`] and [`busybox_syntax`] look at.
const MANAGED_NAMES: &[&str] = &[
    "apt-get", "apt", "aptitude", "dpkg", "apk", "tdnf", "dnf", "yum", "microdnf", "rpm",
    "adduser", "addgroup",
];

fn manager_mismatch(
    command: &Command,
    facts: &ImageFacts,
    described: &dyn Fn() -> String,
) -> Option<String> {
    let family = match command.name() {
        "apt-get" | "apt" | "aptitude" | "dpkg" => Family::Apt,
        "apk" => Family::Apk,
        "tdnf" | "dnf" | "yum" | "microdnf" | "rpm" => Family::Rpm,
        _ => return None,
    };
    let name = command.name();
    if facts.package_manager == Some(PackageManager::None)
        && facts.os_family != Some(OsFamily::Windows)
    {
        return Some(format!(
            "`{name}` is not available: {} has no package manager; install packages in a build stage and `COPY --from` what you need",
            described()
        ));
    }
    let os = facts.os_family?;
    let (fits, distribution) = match os {
        OsFamily::Debian => (family == Family::Apt, "Debian"),
        OsFamily::Ubuntu => (family == Family::Apt, "Ubuntu"),
        OsFamily::Alpine => (family == Family::Apk, "Alpine"),
        OsFamily::AzureLinux => (family == Family::Rpm, "Azure Linux"),
        OsFamily::CblMariner => (family == Family::Rpm, "CBL-Mariner"),
        OsFamily::Windows => return None,
    };
    if fits {
        return None;
    }
    let manager = match (os, facts.package_manager) {
        (_, Some(PackageManager::Apt)) | (OsFamily::Debian | OsFamily::Ubuntu, _) => "apt-get",
        (_, Some(PackageManager::Apk)) | (OsFamily::Alpine, _) => "apk",
        (_, Some(PackageManager::Dnf)) => "dnf",
        _ => "tdnf",
    };
    Some(format!(
        "`{name}` is not available: {} is {distribution}, which uses `{manager}`",
        described()
    ))
}

/// BusyBox `adduser`/`addgroup` (Alpine) given Debian's long options.
fn busybox_syntax(
    command: &Command,
    facts: &ImageFacts,
    described: &dyn Fn() -> String,
) -> Option<(crate::text::TextRange, String)> {
    if facts.os_family != Some(OsFamily::Alpine) {
        return None;
    }
    let name = command.name();
    let short = |option: &str| -> Option<&'static str> {
        match (name, option) {
            (_, "system") => Some("-S"),
            ("adduser", "disabled-password") => Some("-D"),
            ("adduser", "no-create-home") => Some("-H"),
            ("adduser", "home") => Some("-h"),
            ("adduser", "shell") => Some("-s"),
            ("adduser", "gecos") => Some("-g"),
            ("adduser", "uid") => Some("-u"),
            ("adduser", "ingroup") => Some("-G"),
            ("addgroup", "gid") => Some("-g"),
            _ => None,
        }
    };
    if !matches!(name, "adduser" | "addgroup") {
        return None;
    }
    let option = command
        .args()
        .iter()
        .take_while(|arg| arg.text != "--")
        .find(|arg| arg.text.starts_with("--") && arg.text.len() > 2)?;
    let option_name = option.text[2..].split('=').next().unwrap_or_default();
    let instead = match short(option_name) {
        Some(flag) => format!("use `{flag}`"),
        None => "it only takes short options".to_string(),
    };
    Some((
        option.range,
        format!(
            "`{name} --{option_name}` is Debian's syntax: {} is Alpine, whose BusyBox `{name}` has no `--{option_name}`; {instead}",
            described()
        ),
    ))
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::check_rule;

    #[test]
    fn reports_the_wrong_package_manager() {
        let text = "FROM mcr.microsoft.com/dotnet/aspnet:10.0-alpine AS base\nRUN apt-get update && apt-get install -y curl\nFROM mcr.microsoft.com/dotnet/sdk:10.0 AS build\nRUN apk add --no-cache clang\nFROM mcr.microsoft.com/dotnet/runtime:10.0-azurelinux3.0\nRUN tdnf install -y icu && apt install -y tzdata\nFROM base AS final\nRUN [\"apt-get\", \"install\", \"-y\", \"curl\"]\n";
        assert_eq!(
            check_rule("PackageManagerMismatch", text),
            [
                "2:5-2:12 `apt-get` is not available: `mcr.microsoft.com/dotnet/aspnet:10.0-alpine` is Alpine, which uses `apk`",
                "2:23-2:30 `apt-get` is not available: `mcr.microsoft.com/dotnet/aspnet:10.0-alpine` is Alpine, which uses `apk`",
                "4:5-4:8 `apk` is not available: `mcr.microsoft.com/dotnet/sdk:10.0` is Ubuntu, which uses `apt-get`",
                "6:28-6:31 `apt` is not available: `mcr.microsoft.com/dotnet/runtime:10.0-azurelinux3.0` is Azure Linux, which uses `tdnf`",
                "8:6-8:15 `apt-get` is not available: `mcr.microsoft.com/dotnet/aspnet:10.0-alpine` (the image of stage `base`) is Alpine, which uses `apk`",
            ]
        );
    }

    #[test]
    fn reports_package_managers_on_distroless_images() {
        let text = "FROM mcr.microsoft.com/dotnet/aspnet:10.0-noble-chiseled\nRUN [\"apt-get\", \"install\", \"-y\", \"curl\"]\n";
        assert_eq!(
            check_rule("PackageManagerMismatch", text),
            ["2:6-2:15 `apt-get` is not available: `mcr.microsoft.com/dotnet/aspnet:10.0-noble-chiseled` has no package manager; install packages in a build stage and `COPY --from` what you need"]
        );
    }

    #[test]
    fn reports_debian_adduser_syntax_on_busybox() {
        let text = "FROM mcr.microsoft.com/dotnet/runtime-deps:10.0-alpine\nRUN addgroup --system app && adduser -S -G app app\nRUN adduser --disabled-password --gecos '' app2\nRUN adduser --foo app3\n";
        assert_eq!(
            check_rule("PackageManagerMismatch", text),
            [
                "2:14-2:22 `addgroup --system` is Debian's syntax: `mcr.microsoft.com/dotnet/runtime-deps:10.0-alpine` is Alpine, whose BusyBox `addgroup` has no `--system`; use `-S`",
                "3:13-3:32 `adduser --disabled-password` is Debian's syntax: `mcr.microsoft.com/dotnet/runtime-deps:10.0-alpine` is Alpine, whose BusyBox `adduser` has no `--disabled-password`; use `-D`",
                "4:13-4:18 `adduser --foo` is Debian's syntax: `mcr.microsoft.com/dotnet/runtime-deps:10.0-alpine` is Alpine, whose BusyBox `adduser` has no `--foo`; it only takes short options",
            ]
        );
    }

    #[test]
    fn silent_when_the_package_manager_fits() {
        let text = "FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build\nRUN apt-get update && apt-get install -y --no-install-recommends clang\nRUN adduser --system --group app\nFROM mcr.microsoft.com/dotnet/aspnet:10.0-alpine\nRUN apk add --no-cache icu-libs && adduser -S -D -H app\nFROM mcr.microsoft.com/dotnet/aspnet:10.0-azurelinux3.0\nRUN tdnf install -y icu\nFROM ubuntu:24.04\nRUN apk add foo\nFROM ${BASE}\nRUN apt-get install x\nFROM mcr.microsoft.com/dotnet/sdk:10.0-nanoserver-ltsc2022\nRUN apt-get install x\n";
        assert!(check_rule("PackageManagerMismatch", text).is_empty());
        assert!(check_rule(
            "PackageManagerMismatch",
            include_str!("../../../../tests/data/good.Dockerfile")
        )
        .is_empty());
    }
}
