//! Facts about an image that rules and editor features ask for, independent of where they came
//! from (the catalog, or only the image's name for retired and deprecated images).
//!
//! Every field that is not known is `None`: unknown stays unknown, it is never guessed.

use std::fmt;

/// What kind of .NET image a repository holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum RepoKind {
    Sdk,
    Aspnet,
    Runtime,
    RuntimeDeps,
    Monitor,
    MonitorBase,
    AspireDashboard,
    Other,
}

impl RepoKind {
    /// From the last part of a repository path (`dotnet/aspnet` -> `aspnet`, `dotnet/monitor/base`).
    pub fn from_repository(path: &str) -> RepoKind {
        let path = path.trim_start_matches("dotnet/");
        match path {
            "sdk" => RepoKind::Sdk,
            "aspnet" => RepoKind::Aspnet,
            "runtime" => RepoKind::Runtime,
            "runtime-deps" => RepoKind::RuntimeDeps,
            "monitor" => RepoKind::Monitor,
            "monitor/base" => RepoKind::MonitorBase,
            "aspire-dashboard" => RepoKind::AspireDashboard,
            _ => RepoKind::Other,
        }
    }

    /// The repository name under `mcr.microsoft.com/dotnet/`.
    pub fn short_name(self) -> &'static str {
        match self {
            RepoKind::Sdk => "sdk",
            RepoKind::Aspnet => "aspnet",
            RepoKind::Runtime => "runtime",
            RepoKind::RuntimeDeps => "runtime-deps",
            RepoKind::Monitor => "monitor",
            RepoKind::MonitorBase => "monitor/base",
            RepoKind::AspireDashboard => "aspire-dashboard",
            RepoKind::Other => "other",
        }
    }

    /// True for the four repositories that follow the .NET version scheme and lifecycle.
    pub fn is_dotnet(self) -> bool {
        matches!(
            self,
            RepoKind::Sdk | RepoKind::Aspnet | RepoKind::Runtime | RepoKind::RuntimeDeps
        )
    }

    /// "ASP.NET Core 10.0 runtime", ".NET SDK 10.0.400", ".NET Core 3.1 runtime", ... for a version text.
    pub fn product_title(self, version: &str) -> String {
        // Versions before 5 were called ".NET Core".
        let core = if DotnetVersion::parse(version).is_some_and(|v| v.major < 5) {
            " Core"
        } else {
            ""
        };
        match self {
            RepoKind::Sdk => format!(".NET{core} SDK {version}"),
            RepoKind::Aspnet => format!("ASP.NET Core {version} runtime"),
            RepoKind::Runtime => format!(".NET{core} {version} runtime"),
            RepoKind::RuntimeDeps => format!(".NET{core} {version} runtime dependencies"),
            RepoKind::Monitor => format!(".NET Monitor {version}"),
            RepoKind::MonitorBase => format!(".NET Monitor {version} (base, no extensions)"),
            RepoKind::AspireDashboard => format!("Aspire Dashboard {version}"),
            RepoKind::Other => version.to_string(),
        }
    }

    /// The same title without a version ("ASP.NET Core runtime").
    pub fn title(self) -> &'static str {
        match self {
            RepoKind::Sdk => ".NET SDK",
            RepoKind::Aspnet => "ASP.NET Core runtime",
            RepoKind::Runtime => ".NET runtime",
            RepoKind::RuntimeDeps => ".NET runtime dependencies",
            RepoKind::Monitor => ".NET Monitor",
            RepoKind::MonitorBase => ".NET Monitor (base)",
            RepoKind::AspireDashboard => "Aspire Dashboard",
            RepoKind::Other => "image",
        }
    }
}

/// A .NET major.minor version (`10.0`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DotnetVersion {
    pub major: u16,
    pub minor: u16,
}

impl DotnetVersion {
    pub const fn new(major: u16, minor: u16) -> Self {
        DotnetVersion { major, minor }
    }

    /// Parses `10.0`; also accepts a longer version (`10.0.11`, `8.0.30-1`) and keeps major.minor.
    pub fn parse(text: &str) -> Option<DotnetVersion> {
        let mut parts = text.split('.');
        let major = parse_number(parts.next()?)?;
        let minor_text = parts.next()?;
        let minor_digits = minor_text.split(|c: char| !c.is_ascii_digit()).next()?;
        if minor_digits.len() != minor_text.len() && parts.next().is_some() {
            return None;
        }
        Some(DotnetVersion::new(major, parse_number(minor_digits)?))
    }
}

fn parse_number(text: &str) -> Option<u16> {
    if text.is_empty() || text.len() > 4 || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

impl DotnetVersion {
    /// ".NET 10.0", ".NET Core 3.1".
    pub fn product_name(self) -> String {
        if self.major < 5 {
            format!(".NET Core {self}")
        } else {
            format!(".NET {self}")
        }
    }
}

impl fmt::Display for DotnetVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.major, self.minor)
    }
}

/// The operating system family of an image.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum OsFamily {
    Debian,
    Ubuntu,
    Alpine,
    AzureLinux,
    CblMariner,
    Windows,
}

impl OsFamily {
    pub fn name(self) -> &'static str {
        match self {
            OsFamily::Debian => "debian",
            OsFamily::Ubuntu => "ubuntu",
            OsFamily::Alpine => "alpine",
            OsFamily::AzureLinux => "azurelinux",
            OsFamily::CblMariner => "cbl-mariner",
            OsFamily::Windows => "windows",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Libc {
    Glibc,
    Musl,
}

impl Libc {
    pub fn name(self) -> &'static str {
        match self {
            Libc::Glibc => "glibc",
            Libc::Musl => "musl",
        }
    }
}

/// The package manager available inside the image (`None` = the image has none).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PackageManager {
    Apt,
    Apk,
    Tdnf,
    Dnf,
    None,
}

impl PackageManager {
    pub fn parse(text: &str) -> Option<PackageManager> {
        Some(match text {
            "apt" => PackageManager::Apt,
            "apk" => PackageManager::Apk,
            "tdnf" => PackageManager::Tdnf,
            "dnf" => PackageManager::Dnf,
            "-" | "none" => PackageManager::None,
            _ => return None,
        })
    }
    pub fn name(self) -> &'static str {
        match self {
            PackageManager::Apt => "apt",
            PackageManager::Apk => "apk",
            PackageManager::Tdnf => "tdnf",
            PackageManager::Dnf => "dnf",
            PackageManager::None => "none",
        }
    }
}

/// Why an image reference is deprecated and what to use instead.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Deprecation {
    /// What to use instead, as an image name or tag (`mcr.microsoft.com/dotnet/aspnet:10.0`, `10.0-alpine`).
    pub replacement: String,
    /// One line of why, from the catalog.
    pub reason: String,
}

/// Everything the rules need to know about the image of a `FROM`, as far as it is known.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImageFacts {
    pub repo_kind: RepoKind,
    /// .NET version of the image (the runtime for appliance images such as monitor).
    pub dotnet_version: Option<DotnetVersion>,
    pub os_family: Option<OsFamily>,
    pub libc: Option<Libc>,
    pub has_shell: Option<bool>,
    pub package_manager: Option<PackageManager>,
    pub non_root_by_default: Option<bool>,
    /// Default HTTP port of the app (`ASPNETCORE_HTTP_PORTS`, or the appliance's URL).
    pub default_port: Option<u16>,
    pub has_icu: Option<bool>,
    pub has_tzdata: Option<bool>,
    /// `DOTNET_SYSTEM_GLOBALIZATION_INVARIANT` as set by the image (`Some(false)` also when unset).
    pub globalization_invariant: Option<bool>,
    /// Distroless (Ubuntu chiseled or Azure Linux distroless).
    pub distroless: Option<bool>,
    pub is_nightly: bool,
    pub is_preview: bool,
    pub deprecation: Option<Deprecation>,
    /// Last day of support of the image's .NET version (`YYYY-MM-DD`), or the planned one for previews.
    pub support_end: Option<&'static str>,
    /// True when these facts come from the catalog entry of a published image, not from its name alone.
    pub from_catalog: bool,
}

impl ImageFacts {
    pub(crate) fn unknown(repo_kind: RepoKind) -> ImageFacts {
        ImageFacts {
            repo_kind,
            dotnet_version: None,
            os_family: None,
            libc: None,
            has_shell: None,
            package_manager: None,
            non_root_by_default: None,
            default_port: None,
            has_icu: None,
            has_tzdata: None,
            globalization_invariant: None,
            distroless: None,
            is_nightly: false,
            is_preview: false,
            deprecation: None,
            support_end: None,
            from_catalog: false,
        }
    }

    pub fn is_sdk(&self) -> bool {
        self.repo_kind == RepoKind::Sdk
    }
    pub fn is_deprecated(&self) -> bool {
        self.deprecation.is_some()
    }
}

/// What an OS variant name (`bookworm-slim`, `alpine3.20`, `jammy-chiseled`, `nanoserver-1809`) says
/// about the OS. Used for retired variants that are no longer in the catalog.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OsVariantInfo {
    pub family: OsFamily,
    /// Human name: "Debian 11 (bullseye)", "Alpine 3.20", "Windows Nano Server 1809".
    pub name: String,
    /// Chiseled or distroless: no shell, no package manager.
    pub distroless: bool,
}

const DEBIAN_CODENAMES: &[(&str, &str)] = &[
    ("stretch", "9"),
    ("buster", "10"),
    ("bullseye", "11"),
    ("bookworm", "12"),
    ("trixie", "13"),
];
const UBUNTU_CODENAMES: &[(&str, &str)] = &[
    ("bionic", "18.04"),
    ("focal", "20.04"),
    ("jammy", "22.04"),
    ("noble", "24.04"),
    ("resolute", "26.04"),
];

impl OsVariantInfo {
    pub fn libc(&self) -> Option<Libc> {
        match self.family {
            OsFamily::Alpine => Some(Libc::Musl),
            OsFamily::Windows => None,
            _ => Some(Libc::Glibc),
        }
    }
    pub fn package_manager(&self) -> Option<PackageManager> {
        if self.distroless {
            return Some(PackageManager::None);
        }
        match self.family {
            OsFamily::Debian | OsFamily::Ubuntu => Some(PackageManager::Apt),
            OsFamily::Alpine => Some(PackageManager::Apk),
            OsFamily::CblMariner => Some(PackageManager::Tdnf),
            // Azure Linux 3.0 has tdnf, 4.0 dnf: the name alone does not say which.
            OsFamily::AzureLinux => None,
            OsFamily::Windows => Some(PackageManager::None),
        }
    }
    pub fn has_shell(&self) -> bool {
        !self.distroless
    }
}

/// Reads an OS variant name; `None` when it names no known OS.
pub fn describe_os_variant(variant: &str) -> Option<OsVariantInfo> {
    let mut parts = variant.split('-');
    let base = parts.next()?;
    let rest: Vec<&str> = parts.collect();
    let distroless = rest
        .iter()
        .any(|part| *part == "chiseled" || *part == "distroless");
    let slim = rest.first() == Some(&"slim");
    if let Some((codename, number)) = DEBIAN_CODENAMES.iter().find(|(name, _)| *name == base) {
        let slim = if slim { " slim" } else { "" };
        return Some(OsVariantInfo {
            family: OsFamily::Debian,
            name: format!("Debian {number}{slim} ({codename})"),
            distroless,
        });
    }
    if let Some((codename, number)) = UBUNTU_CODENAMES.iter().find(|(name, _)| *name == base) {
        let chiseled = if rest.first() == Some(&"chiseled") {
            " chiseled"
        } else {
            ""
        };
        return Some(OsVariantInfo {
            family: OsFamily::Ubuntu,
            name: format!("Ubuntu {number}{chiseled} ({codename})"),
            distroless,
        });
    }
    if let Some(version) = base.strip_prefix("alpine") {
        // Bare `alpine` is the floating tag: the newest Alpine at the time.
        let name = match version {
            "" => "Alpine".to_string(),
            v if is_dotted_number(v) => format!("Alpine {v}"),
            _ => return None,
        };
        return Some(OsVariantInfo {
            family: OsFamily::Alpine,
            name,
            distroless,
        });
    }
    let distroless_word = if distroless { " distroless" } else { "" };
    if let Some(version) = base
        .strip_prefix("azurelinux")
        .filter(|v| is_dotted_number(v))
    {
        return Some(OsVariantInfo {
            family: OsFamily::AzureLinux,
            name: format!("Azure Linux {version}{distroless_word}"),
            distroless,
        });
    }
    if base == "cbl" {
        let version = rest
            .first()?
            .strip_prefix("mariner")
            .filter(|v| is_dotted_number(v))?;
        let distroless = rest.contains(&"distroless");
        let distroless_word = if distroless { " distroless" } else { "" };
        return Some(OsVariantInfo {
            family: OsFamily::CblMariner,
            name: format!("CBL-Mariner {version}{distroless_word}"),
            distroless,
        });
    }
    let windows = match base {
        "nanoserver" => "Nano Server",
        "windowsservercore" => "Server Core",
        _ => return None,
    };
    let release = rest.first()?;
    Some(OsVariantInfo {
        family: OsFamily::Windows,
        name: format!("Windows {windows} {}", windows_release_name(release)),
        distroless: false,
    })
}

/// `ltsc2022` -> `LTSC 2022`; `1809` stays.
pub(crate) fn windows_release_name(release: &str) -> String {
    match release.strip_prefix("ltsc") {
        Some(year) => format!("LTSC {year}"),
        None => release.to_string(),
    }
}

fn is_dotted_number(text: &str) -> bool {
    !text.is_empty()
        && text
            .split('.')
            .all(|part| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dotnet_versions_parse_major_minor() {
        assert_eq!(
            DotnetVersion::parse("10.0"),
            Some(DotnetVersion::new(10, 0))
        );
        assert_eq!(
            DotnetVersion::parse("8.0.30"),
            Some(DotnetVersion::new(8, 0))
        );
        assert_eq!(DotnetVersion::parse("3.1"), Some(DotnetVersion::new(3, 1)));
        assert_eq!(DotnetVersion::parse("10"), None);
        assert_eq!(DotnetVersion::parse("x.0"), None);
        assert_eq!(DotnetVersion::parse(""), None);
        assert_eq!(DotnetVersion::new(10, 0).to_string(), "10.0");
    }

    #[test]
    fn repository_kinds() {
        assert_eq!(
            RepoKind::from_repository("dotnet/runtime-deps"),
            RepoKind::RuntimeDeps
        );
        assert_eq!(
            RepoKind::from_repository("dotnet/monitor/base"),
            RepoKind::MonitorBase
        );
        assert_eq!(
            RepoKind::from_repository("dotnet/framework/sdk"),
            RepoKind::Other
        );
        assert_eq!(
            RepoKind::Aspnet.product_title("10.0"),
            "ASP.NET Core 10.0 runtime"
        );
    }

    #[test]
    fn retired_os_variant_names_are_described() {
        let bullseye = describe_os_variant("bullseye-slim")
            .map(|info| (info.family, info.name, info.distroless));
        assert_eq!(
            bullseye,
            Some((
                OsFamily::Debian,
                "Debian 11 slim (bullseye)".to_string(),
                false
            ))
        );
        let chiseled = describe_os_variant("jammy-chiseled-extra");
        assert_eq!(
            chiseled.as_ref().map(|i| i.name.as_str()),
            Some("Ubuntu 22.04 chiseled (jammy)")
        );
        assert_eq!(chiseled.as_ref().map(|i| i.has_shell()), Some(false));
        assert_eq!(
            chiseled.and_then(|i| i.package_manager()),
            Some(PackageManager::None)
        );
        let alpine = describe_os_variant("alpine3.16");
        assert_eq!(
            alpine.as_ref().map(|i| i.name.as_str()),
            Some("Alpine 3.16")
        );
        assert_eq!(alpine.as_ref().and_then(|i| i.libc()), Some(Libc::Musl));
        assert_eq!(
            alpine.and_then(|i| i.package_manager()),
            Some(PackageManager::Apk)
        );
        let mariner = describe_os_variant("cbl-mariner2.0-distroless");
        assert_eq!(
            mariner.map(|i| (i.name, i.distroless)),
            Some(("CBL-Mariner 2.0 distroless".to_string(), true))
        );
        assert_eq!(
            describe_os_variant("nanoserver-ltsc2022").map(|i| i.name),
            Some("Windows Nano Server LTSC 2022".to_string())
        );
        assert_eq!(
            describe_os_variant("windowsservercore-1809").map(|i| i.name),
            Some("Windows Server Core 1809".to_string())
        );
        assert_eq!(
            describe_os_variant("alpine-extra").map(|i| i.name),
            Some("Alpine".to_string())
        );
        assert_eq!(describe_os_variant("alpinex"), None);
        assert_eq!(describe_os_variant("sdk"), None);
        assert_eq!(describe_os_variant(""), None);
        assert_eq!(describe_os_variant("cbl"), None);
    }
}
