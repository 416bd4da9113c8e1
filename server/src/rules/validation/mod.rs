//! Rules of origin `validation`: what the Docker builder rejects (or silently misreads) when
//! it runs an instruction, at parity with rcjsuen's dockerfile-utils validator and with
//! BuildKit's messages. One rule per file; the helpers are shared.

mod common;
mod go_values;
mod json_like;
mod reference;

mod blank_name;
mod directive_casing;
mod duplicate_flag;
mod exec_form_variable_not_expanded;
mod extra_arguments;
mod instruction_before_from;
mod invalid_check_directive;
mod invalid_flag_value;
mod invalid_healthcheck;
mod invalid_image_reference;
mod invalid_mount;
mod invalid_onbuild_trigger;
mod invalid_port;
mod invalid_signal;
mod invalid_stage_name;
mod invalid_variable_substitution;
mod malformed_exec_form;
mod misplaced_directive;
mod missing_arguments;
mod no_build_stage;
mod shell_requires_json;
mod stage_self_reference;
mod undefined_stage;
mod unknown_flag;
mod unknown_instruction;
mod unterminated_quote;

pub use blank_name::BlankName;
pub use directive_casing::DirectiveCasing;
pub use duplicate_flag::DuplicateFlag;
pub use exec_form_variable_not_expanded::ExecFormVariableNotExpanded;
pub use extra_arguments::ExtraArguments;
pub use instruction_before_from::InstructionBeforeFrom;
pub use invalid_check_directive::InvalidCheckDirective;
pub use invalid_flag_value::InvalidFlagValue;
pub use invalid_healthcheck::InvalidHealthcheck;
pub use invalid_image_reference::InvalidImageReference;
pub use invalid_mount::InvalidMount;
pub use invalid_onbuild_trigger::InvalidOnbuildTrigger;
pub use invalid_port::InvalidPort;
pub use invalid_signal::InvalidSignal;
pub use invalid_stage_name::InvalidStageName;
pub use invalid_variable_substitution::InvalidVariableSubstitution;
pub use malformed_exec_form::MalformedExecForm;
pub use misplaced_directive::MisplacedDirective;
pub use missing_arguments::MissingArguments;
pub use no_build_stage::NoBuildStage;
pub use shell_requires_json::ShellRequiresJson;
pub use stage_self_reference::StageSelfReference;
pub use undefined_stage::UndefinedStage;
pub use unknown_flag::UnknownFlag;
pub use unknown_instruction::UnknownInstruction;
pub use unterminated_quote::UnterminatedQuote;

use crate::rules::Rule;

pub static RULES: &[&dyn Rule] = &[
    &UnknownInstruction,
    &InstructionBeforeFrom,
    &NoBuildStage,
    &MissingArguments,
    &ExtraArguments,
    &BlankName,
    &UnknownFlag,
    &DuplicateFlag,
    &InvalidFlagValue,
    &InvalidMount,
    &InvalidStageName,
    &InvalidImageReference,
    &UndefinedStage,
    &StageSelfReference,
    &InvalidPort,
    &InvalidSignal,
    &InvalidHealthcheck,
    &InvalidOnbuildTrigger,
    &ShellRequiresJson,
    &MalformedExecForm,
    &ExecFormVariableNotExpanded,
    &UnterminatedQuote,
    &InvalidVariableSubstitution,
    &MisplacedDirective,
    &InvalidCheckDirective,
    &DirectiveCasing,
];

#[cfg(test)]
mod tests {
    use super::RULES;
    use crate::analysis::analyze;
    use crate::rules::test_support::test_env;

    const GOOD: &str = include_str!("../../../../tests/data/good.Dockerfile");

    #[test]
    fn no_validation_rule_fires_on_the_good_fixture() {
        let analysis = analyze(GOOD, &test_env());
        let names: Vec<&str> = RULES.iter().map(|r| r.meta().name).collect();
        let found: Vec<String> = analysis
            .diagnostics
            .iter()
            .filter(|d| names.contains(&d.code))
            .map(|d| format!("{} {}", d.code, d.message))
            .collect();
        assert_eq!(found, Vec::<String>::new());
    }

    /// Real-world shapes: Visual Studio's template, dotnet-docker's sample, a Windows image
    /// with the backtick escape and PowerShell, heredocs, secrets and ONBUILD.
    const REALISTIC: &[(&str, &str)] = &[
        (
            "visual-studio",
            include_str!("testdata/visual-studio.Dockerfile"),
        ),
        (
            "dotnet-docker-alpine",
            include_str!("testdata/dotnet-docker-alpine.Dockerfile"),
        ),
        (
            "windows-nanoserver",
            include_str!("testdata/windows-nanoserver.Dockerfile"),
        ),
        (
            "heredocs-secrets-onbuild",
            include_str!("testdata/heredocs-secrets-onbuild.Dockerfile"),
        ),
    ];

    #[test]
    fn no_validation_rule_fires_on_realistic_dockerfiles() {
        let names: Vec<&str> = RULES.iter().map(|r| r.meta().name).collect();
        for (name, text) in REALISTIC {
            let analysis = analyze(text, &test_env());
            let found: Vec<String> = analysis
                .diagnostics
                .iter()
                .filter(|d| names.contains(&d.code))
                .map(|d| format!("{} {}", d.code, d.message))
                .collect();
            assert_eq!(found, Vec::<String>::new(), "{name}");
        }
    }

    #[test]
    fn rule_docs_have_every_section() {
        for rule in RULES {
            let meta = rule.meta();
            for section in [
                "## What it does",
                "## Why is this bad?",
                "## Example",
                "## Use instead",
                "## Fix safety",
            ] {
                assert!(meta.docs.contains(section), "{} lacks {section}", meta.name);
            }
        }
    }
}
