//! The facts Dockside knows about one evaluated project.

use std::path::{Path, PathBuf};

use super::diagnostic::WorkspaceDiagnostic;
use super::properties::{Location, Property, PropertyBag};

/// Index of a project in its [`super::Workspace`]; stable while the project exists.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ProjectId(pub u32);

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ProjectLanguage {
    CSharp,
    FSharp,
    VisualBasic,
}

impl ProjectLanguage {
    /// The language of a project file, from its extension (`.csproj`, `.fsproj`, `.vbproj`).
    pub fn from_path(path: &Path) -> Option<Self> {
        let extension = path.extension()?.to_str()?.to_ascii_lowercase();
        match extension.as_str() {
            "csproj" => Some(ProjectLanguage::CSharp),
            "fsproj" => Some(ProjectLanguage::FSharp),
            "vbproj" => Some(ProjectLanguage::VisualBasic),
            _ => None,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SdkReference {
    pub name: String,
    pub version: Option<String>,
    pub location: Location,
}

/// The condition an item was declared under (its ItemGroup's and its own, joined with `and`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ItemCondition {
    /// The condition text as written, `None` when the item is unconditional.
    pub text: Option<String>,
    /// Whether it holds: `None` when Dockside cannot evaluate it.
    pub holds: Option<bool>,
}

impl ItemCondition {
    /// True unless the condition is known to be false: unknown conditions count as applying,
    /// so that a missing project is reported rather than silently ignored.
    pub fn applies(&self) -> bool {
        self.holds != Some(false)
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum VersionSource {
    /// `Version` on the PackageReference itself.
    Inline,
    /// `VersionOverride` on the PackageReference (central package management).
    Override,
    /// A `PackageVersion` item of Directory.Packages.props; the location of that item.
    Central(Location),
    /// A `GlobalPackageReference` of Directory.Packages.props.
    Global,
    /// No version anywhere.
    Missing,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PackageReference {
    pub name: String,
    pub version: Option<String>,
    pub version_source: VersionSource,
    pub condition: ItemCondition,
    pub location: Location,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FrameworkReference {
    pub name: String,
    pub condition: ItemCondition,
    pub location: Location,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProjectReference {
    /// The Include value after property expansion, as the author wrote it.
    pub include: String,
    /// Absolute, normalised path of the referenced project.
    pub path: PathBuf,
    pub target_exists: bool,
    pub condition: ItemCondition,
    pub location: Location,
}

#[derive(Clone, Debug)]
pub struct Project {
    pub id: ProjectId,
    pub path: PathBuf,
    /// The file stem: `Api` for `src/Api/Api.csproj`.
    pub name: String,
    pub language: Option<ProjectLanguage>,
    /// False when the project file itself could not be read or parsed; facts are then empty.
    pub evaluated: bool,
    pub sdks: Vec<SdkReference>,
    /// The final property values after evaluation.
    pub properties: PropertyBag,
    pub target_frameworks: Vec<String>,
    /// `AssemblyName`, or the file stem when not set.
    pub assembly_name: String,
    pub output_type: Option<String>,
    pub runtime_identifiers: Vec<String>,
    pub self_contained: Option<bool>,
    pub publish_self_contained: Option<bool>,
    pub publish_aot: Option<bool>,
    pub publish_trimmed: Option<bool>,
    pub publish_single_file: Option<bool>,
    pub use_app_host: Option<bool>,
    pub invariant_globalization: Option<bool>,
    /// `ManagePackageVersionsCentrally` is true.
    pub central_package_management: bool,
    pub framework_references: Vec<FrameworkReference>,
    pub package_references: Vec<PackageReference>,
    pub project_references: Vec<ProjectReference>,
    /// `DockerfileContext` (Visual Studio container tools), as written after expansion.
    pub dockerfile_context: Option<String>,
    pub container_base_image: Option<String>,
    pub container_family: Option<String>,
    /// Every MSBuild file the evaluation read besides the project itself, in import order
    /// (Directory.Build.props, Directory.Packages.props, imported .props/.targets).
    pub inputs: Vec<PathBuf>,
    /// Paths whose existence the evaluation checked; creating or deleting one of them can
    /// change the result.
    pub probes: Vec<PathBuf>,
    pub diagnostics: Vec<WorkspaceDiagnostic>,
}

impl Project {
    pub fn property(&self, name: &str) -> Option<&Property> {
        self.properties.get(name)
    }

    /// The main SDK: the first `Microsoft.NET.Sdk*` one, else the first declared.
    pub fn sdk(&self) -> Option<&str> {
        self.sdks
            .iter()
            .find(|s| s.name.to_ascii_lowercase().starts_with("microsoft.net.sdk"))
            .or_else(|| self.sdks.first())
            .map(|s| s.name.as_str())
    }

    /// An ASP.NET Core app: `Microsoft.NET.Sdk.Web` (or Razor/BlazorWebAssembly) or a
    /// FrameworkReference to `Microsoft.AspNetCore.App`.
    pub fn is_web(&self) -> bool {
        let web_sdk = self.sdks.iter().any(|s| {
            let name = s.name.to_ascii_lowercase();
            name == "microsoft.net.sdk.web" || name == "microsoft.net.sdk.razor"
        });
        web_sdk
            || self.framework_references.iter().any(|f| {
                f.condition.applies() && f.name.eq_ignore_ascii_case("Microsoft.AspNetCore.App")
            })
    }

    /// OutputType, defaulting as the SDKs do: `Exe` for the Web and Worker SDKs, else
    /// `Library`.
    pub fn output_type_or_default(&self) -> &str {
        if let Some(output) = self.output_type.as_deref() {
            return output;
        }
        let exe_sdk = self.sdks.iter().any(|s| {
            let name = s.name.to_ascii_lowercase();
            name == "microsoft.net.sdk.web" || name == "microsoft.net.sdk.worker"
        });
        if exe_sdk {
            "Exe"
        } else {
            "Library"
        }
    }

    /// Produces an executable (`Exe` or `WinExe`).
    pub fn is_executable(&self) -> bool {
        let output = self.output_type_or_default();
        output.eq_ignore_ascii_case("exe") || output.eq_ignore_ascii_case("winexe")
    }

    /// The package reference with this name (case-insensitive) whose condition applies.
    pub fn package(&self, name: &str) -> Option<&PackageReference> {
        self.package_references
            .iter()
            .find(|p| p.condition.applies() && p.name.eq_ignore_ascii_case(name))
    }

    /// The directory containing the project file.
    pub fn dir(&self) -> &Path {
        self.path.parent().unwrap_or(Path::new("/"))
    }
}
