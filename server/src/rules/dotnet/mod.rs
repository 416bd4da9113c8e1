//! Rules of origin `dotnet`, one per file.

pub mod restore_model;
#[cfg(test)]
pub(crate) mod test_support;

mod build_context_mismatch;
mod copy_source_missing;
mod dead_dockerignore;
mod dockerignore_missing_build_outputs;
mod missing_dockerignore;
mod nuget_credentials_in_image;
mod project_file_unreadable;
mod restore_cache_busted;
mod restore_missing_msbuild_input;
mod restore_missing_project;
mod restore_target_mismatch;
mod secret_file_in_image;
mod source_in_final_image;

pub use build_context_mismatch::BuildContextMismatch;
pub use copy_source_missing::CopySourceMissing;
pub use dead_dockerignore::DeadDockerignore;
pub use dockerignore_missing_build_outputs::DockerignoreMissingBuildOutputs;
pub use missing_dockerignore::MissingDockerignore;
pub use nuget_credentials_in_image::NugetCredentialsInImage;
pub use project_file_unreadable::ProjectFileUnreadable;
pub use restore_cache_busted::RestoreCacheBusted;
pub use restore_missing_msbuild_input::RestoreMissingMsbuildInput;
pub use restore_missing_project::RestoreMissingProject;
pub use restore_target_mismatch::RestoreTargetMismatch;
pub use secret_file_in_image::SecretFileInImage;
pub use source_in_final_image::SourceInFinalImage;

use crate::rules::Rule;

pub static RULES: &[&dyn Rule] = &[
    &RestoreCacheBusted,
    &RestoreMissingProject,
    &RestoreMissingMsbuildInput,
    &RestoreTargetMismatch,
    &CopySourceMissing,
    &MissingDockerignore,
    &DockerignoreMissingBuildOutputs,
    &DeadDockerignore,
    &BuildContextMismatch,
    &NugetCredentialsInImage,
    &SecretFileInImage,
    &SourceInFinalImage,
    &ProjectFileUnreadable,
];
