//! Rules of origin `image`, one per file: what Dockside's embedded catalog of Microsoft's .NET
//! images knows about the `FROM` images (support lifecycle, deprecated and nightly
//! repositories, published tags, shells, package managers, ICU, libc).

pub(crate) mod projects;
pub(crate) mod support;
#[cfg(test)]
mod test_workspace;

mod deprecated_image_repository;
mod dotnet_version_out_of_support;
pub(crate) mod globalization_needs_icu;
mod image_not_found_in_registry;
pub(crate) mod image_tag_not_pinned;
pub(crate) mod native_dependency_on_musl;
mod nightly_image_repository;
mod package_manager_mismatch;
pub(crate) mod shell_unavailable_in_stage;
mod unknown_image_tag;

pub use deprecated_image_repository::DeprecatedImageRepository;
pub use dotnet_version_out_of_support::DotnetVersionOutOfSupport;
pub use globalization_needs_icu::GlobalizationNeedsIcu;
pub use image_not_found_in_registry::ImageNotFoundInRegistry;
pub use image_tag_not_pinned::ImageTagNotPinned;
pub use native_dependency_on_musl::NativeDependencyOnMusl;
pub use nightly_image_repository::NightlyImageRepository;
pub use package_manager_mismatch::PackageManagerMismatch;
pub use shell_unavailable_in_stage::ShellUnavailableInStage;
pub use unknown_image_tag::UnknownImageTag;

use crate::rules::Rule;

/// In the order of DESIGN.md §4.1, then the live registry check.
pub static RULES: &[&dyn Rule] = &[
    &DotnetVersionOutOfSupport,
    &DeprecatedImageRepository,
    &NightlyImageRepository,
    &UnknownImageTag,
    &ImageTagNotPinned,
    &GlobalizationNeedsIcu,
    &NativeDependencyOnMusl,
    &ShellUnavailableInStage,
    &PackageManagerMismatch,
    &ImageNotFoundInRegistry,
];
