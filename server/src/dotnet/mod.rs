//! The .NET solution: project discovery, `.csproj`/`.props` XML, best-effort MSBuild
//! evaluation, the ProjectReference closure, global.json, NuGet.config and solution files.
//!
//! Everything here is plain data and plain functions; nothing runs MSBuild, dotnet or any
//! code from the workspace. Start with [`Workspace::index`].

mod condition;
pub mod diagnostic;
pub mod discovery;
mod evaluate;
mod expand;
pub mod files;
pub mod global_json;
pub mod nuget_config;
pub mod paths;
pub mod project;
pub mod properties;
pub mod solution;
mod workspace;
pub mod xml;

pub use diagnostic::{WorkspaceDiagnostic, WorkspaceDiagnosticKind};
pub use discovery::{classify, discover, DiscoveredFiles, DiscoveryOptions, FileKind};
pub use evaluate::{evaluate_project, EvaluationOptions};
pub use expand::{compare_versions, target_framework_identifier, target_framework_version};
pub use global_json::GlobalJson;
pub use nuget_config::{NugetConfig, PackageSource, SourceCredential};
pub use project::{
    FrameworkReference, ItemCondition, PackageReference, Project, ProjectId, ProjectLanguage,
    ProjectReference, SdkReference, VersionSource,
};
pub use properties::{Location, Property, PropertyBag};
pub use solution::{Solution, SolutionProject};
pub use workspace::{
    ClosureEntry, MissingReference, ReferenceClosure, UpdateSummary, Workspace, WorkspaceOptions,
};

#[cfg(test)]
mod tests;
