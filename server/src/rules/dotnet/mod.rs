//! Rules of origin `dotnet`, one per file.

pub(crate) mod final_image;
pub mod published;
pub mod restore_model;
#[cfg(test)]
pub(crate) mod test_support;

mod build_context_mismatch;
mod copy_source_missing;
mod dead_dockerignore;
mod debug_configuration;
mod dockerignore_missing_build_outputs;
mod double_compile;
mod entrypoint_assembly_mismatch;
mod exposed_port_mismatch;
mod framework_dependent_on_runtime_deps;
mod global_json_sdk_mismatch;
mod missing_dockerignore;
pub(crate) mod nuget_credentials_in_image;
pub(crate) mod privileged_port_as_non_root;
mod project_file_unreadable;
mod publish_output_mismatch;
mod restore_cache_busted;
mod restore_missing_msbuild_input;
mod restore_missing_project;
mod restore_target_mismatch;
mod runs_as_root;
mod runtime_older_than_target_framework;
mod sdk_image_in_final_stage;
mod sdk_older_than_target_framework;
mod secret_file_in_image;
mod self_contained_on_shared_runtime_image;
mod source_in_final_image;
mod wrong_runtime_image_kind;

pub use build_context_mismatch::BuildContextMismatch;
pub use copy_source_missing::CopySourceMissing;
pub use dead_dockerignore::DeadDockerignore;
pub use debug_configuration::DebugConfiguration;
pub use dockerignore_missing_build_outputs::DockerignoreMissingBuildOutputs;
pub use double_compile::DoubleCompile;
pub use entrypoint_assembly_mismatch::EntrypointAssemblyMismatch;
pub use exposed_port_mismatch::ExposedPortMismatch;
pub use framework_dependent_on_runtime_deps::FrameworkDependentOnRuntimeDeps;
pub use global_json_sdk_mismatch::GlobalJsonSdkMismatch;
pub use missing_dockerignore::MissingDockerignore;
pub use nuget_credentials_in_image::NugetCredentialsInImage;
pub use privileged_port_as_non_root::PrivilegedPortAsNonRoot;
pub use project_file_unreadable::ProjectFileUnreadable;
pub use publish_output_mismatch::PublishOutputMismatch;
pub use restore_cache_busted::RestoreCacheBusted;
pub use restore_missing_msbuild_input::RestoreMissingMsbuildInput;
pub use restore_missing_project::RestoreMissingProject;
pub use restore_target_mismatch::RestoreTargetMismatch;
pub use runs_as_root::RunsAsRoot;
pub use runtime_older_than_target_framework::RuntimeOlderThanTargetFramework;
pub use sdk_image_in_final_stage::SdkImageInFinalStage;
pub use sdk_older_than_target_framework::SdkOlderThanTargetFramework;
pub use secret_file_in_image::SecretFileInImage;
pub use self_contained_on_shared_runtime_image::SelfContainedOnSharedRuntimeImage;
pub use source_in_final_image::SourceInFinalImage;
pub use wrong_runtime_image_kind::WrongRuntimeImageKind;

use crate::rules::Rule;

/// In DESIGN.md §4.1's order.
pub static RULES: &[&dyn Rule] = &[
    &SdkImageInFinalStage,
    &SdkOlderThanTargetFramework,
    &RuntimeOlderThanTargetFramework,
    &GlobalJsonSdkMismatch,
    &WrongRuntimeImageKind,
    &SelfContainedOnSharedRuntimeImage,
    &FrameworkDependentOnRuntimeDeps,
    &RestoreCacheBusted,
    &RestoreMissingProject,
    &RestoreMissingMsbuildInput,
    &RestoreTargetMismatch,
    &DoubleCompile,
    &DebugConfiguration,
    &PublishOutputMismatch,
    &EntrypointAssemblyMismatch,
    &CopySourceMissing,
    &MissingDockerignore,
    &DockerignoreMissingBuildOutputs,
    &DeadDockerignore,
    &BuildContextMismatch,
    &RunsAsRoot,
    &PrivilegedPortAsNonRoot,
    &ExposedPortMismatch,
    &NugetCredentialsInImage,
    &SecretFileInImage,
    &SourceInFinalImage,
    &ProjectFileUnreadable,
];
