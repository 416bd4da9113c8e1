//! Rules of origin `buildkit`: BuildKit's build checks (`docker build --check`), computed
//! natively with BuildKit's names, conditions and messages. One rule per file; `support`
//! holds what they share (BuildKit's variable lexer, its dispatch replay, image references).

mod consistent_instruction_casing;
mod copy_ignored_file;
mod duplicate_stage_name;
mod expose_invalid_format;
mod expose_proto_casing;
mod from_as_casing;
mod from_platform_flag_const_disallowed;
mod invalid_base_image_platform;
mod invalid_default_arg_in_from;
mod invalid_definition_description;
mod json_args_recommended;
mod legacy_key_value_format;
mod maintainer_deprecated;
mod multiple_instructions_disallowed;
mod no_empty_continuation;
mod redundant_target_platform;
mod reserved_stage_name;
mod secrets_used_in_arg_or_env;
mod stage_name_casing;
pub(crate) mod support;
mod undefined_arg_in_from;
mod undefined_var;
mod workdir_relative_path;

pub use consistent_instruction_casing::ConsistentInstructionCasing;
pub use copy_ignored_file::CopyIgnoredFile;
pub use duplicate_stage_name::DuplicateStageName;
pub use expose_invalid_format::ExposeInvalidFormat;
pub use expose_proto_casing::ExposeProtoCasing;
pub use from_as_casing::FromAsCasing;
pub use from_platform_flag_const_disallowed::FromPlatformFlagConstDisallowed;
pub use invalid_base_image_platform::InvalidBaseImagePlatform;
pub use invalid_default_arg_in_from::InvalidDefaultArgInFrom;
pub use invalid_definition_description::InvalidDefinitionDescription;
pub use json_args_recommended::JSONArgsRecommended;
pub use legacy_key_value_format::LegacyKeyValueFormat;
pub use maintainer_deprecated::MaintainerDeprecated;
pub use multiple_instructions_disallowed::MultipleInstructionsDisallowed;
pub use no_empty_continuation::NoEmptyContinuation;
pub use redundant_target_platform::RedundantTargetPlatform;
pub use reserved_stage_name::ReservedStageName;
pub use secrets_used_in_arg_or_env::SecretsUsedInArgOrEnv;
pub use stage_name_casing::StageNameCasing;
pub use undefined_arg_in_from::UndefinedArgInFrom;
pub use undefined_var::UndefinedVar;
pub use workdir_relative_path::WorkdirRelativePath;

use crate::rules::Rule;

/// BuildKit's checks, in the order of its rule set (`linter/ruleset.go`).
pub static RULES: &[&dyn Rule] = &[
    &StageNameCasing,
    &FromAsCasing,
    &NoEmptyContinuation,
    &ConsistentInstructionCasing,
    &DuplicateStageName,
    &ReservedStageName,
    &JSONArgsRecommended,
    &MaintainerDeprecated,
    &UndefinedArgInFrom,
    &WorkdirRelativePath,
    &UndefinedVar,
    &MultipleInstructionsDisallowed,
    &LegacyKeyValueFormat,
    &InvalidBaseImagePlatform,
    &RedundantTargetPlatform,
    &SecretsUsedInArgOrEnv,
    &InvalidDefaultArgInFrom,
    &FromPlatformFlagConstDisallowed,
    &CopyIgnoredFile,
    &InvalidDefinitionDescription,
    &ExposeProtoCasing,
    &ExposeInvalidFormat,
];

/// The index of the first instruction BuildKit dispatches: the instructions of stages come
/// after the first FROM.
fn first_stage_instruction(ctx: &crate::rules::RuleContext) -> usize {
    ctx.model
        .stages
        .first()
        .map_or(ctx.tree.instructions.len(), |s| s.from)
}

#[cfg(test)]
mod tests;
