//! Rules of origin `dotnet`, one per file.

use crate::rules::Rule;

pub(crate) mod final_image;
pub mod published;
#[cfg(test)]
pub(crate) mod test_support;

mod debug_configuration;
mod double_compile;
mod entrypoint_assembly_mismatch;
mod exposed_port_mismatch;
mod framework_dependent_on_runtime_deps;
mod global_json_sdk_mismatch;
mod privileged_port_as_non_root;
mod publish_output_mismatch;
mod runs_as_root;
mod runtime_older_than_target_framework;
mod sdk_image_in_final_stage;
mod sdk_older_than_target_framework;
mod self_contained_on_shared_runtime_image;
mod wrong_runtime_image_kind;

pub use debug_configuration::DebugConfiguration;
pub use double_compile::DoubleCompile;
pub use entrypoint_assembly_mismatch::EntrypointAssemblyMismatch;
pub use exposed_port_mismatch::ExposedPortMismatch;
pub use framework_dependent_on_runtime_deps::FrameworkDependentOnRuntimeDeps;
pub use global_json_sdk_mismatch::GlobalJsonSdkMismatch;
pub use privileged_port_as_non_root::PrivilegedPortAsNonRoot;
pub use publish_output_mismatch::PublishOutputMismatch;
pub use runs_as_root::RunsAsRoot;
pub use runtime_older_than_target_framework::RuntimeOlderThanTargetFramework;
pub use sdk_image_in_final_stage::SdkImageInFinalStage;
pub use sdk_older_than_target_framework::SdkOlderThanTargetFramework;
pub use self_contained_on_shared_runtime_image::SelfContainedOnSharedRuntimeImage;
pub use wrong_runtime_image_kind::WrongRuntimeImageKind;

pub static RULES: &[&dyn Rule] = &[
    &SdkImageInFinalStage,
    &SdkOlderThanTargetFramework,
    &RuntimeOlderThanTargetFramework,
    &GlobalJsonSdkMismatch,
    &WrongRuntimeImageKind,
    &SelfContainedOnSharedRuntimeImage,
    &FrameworkDependentOnRuntimeDeps,
    &DoubleCompile,
    &DebugConfiguration,
    &PublishOutputMismatch,
    &EntrypointAssemblyMismatch,
    &RunsAsRoot,
    &PrivilegedPortAsNonRoot,
    &ExposedPortMismatch,
];
