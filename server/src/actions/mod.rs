//! Code actions: refactorings and quick fixes, one action per file.
//!
//! Each file declares its action with [`declare_action!`](crate::declare_action), whose doc
//! comment shows the Dockerfile before and after. Actions are plain functions from an
//! [`ActionContext`] (the analysis, its environment and the selection) to [`CodeAction`]s
//! with byte-range edits; the LSP layer converts them, and `dockside check --fix` applies the
//! safe quick fixes through [`fix_all`].

mod action;
pub mod add_non_root_user;
pub mod add_nuget_cache_mount;
pub mod add_restore_runtime;
pub mod align_images_with_target_framework;
pub mod align_listening_port;
pub mod convert_to_exec_form;
pub mod convert_to_multi_stage;
pub mod create_dockerignore;
pub mod docs;
pub(crate) mod dotnet_support;
pub mod enable_cross_platform_build;
pub mod fix_casing;
pub mod fix_stage_reference;
pub mod generate_dockerfile;
pub(crate) mod image_support;
pub mod move_secret_to_build_secret;
pub mod pin_image_tag;
pub mod replace_maintainer_with_label;
pub mod split_restore_stage;
pub mod suppress_rule;
pub mod switch_base_image;
#[cfg(test)]
pub(crate) mod test_support;
pub mod use_copy_instead_of_add;
pub mod use_key_equals_value;

pub use action::{
    line_break_of, Action, ActionContext, ActionKind, ActionMeta, CodeAction, FileChange, Safety,
    Trigger,
};

use crate::analysis::{analyze, AnalysisEnv};
use crate::ide::{apply_edits, TextEdit};
use crate::text::TextRange;

/// Every action, quick fixes first, so editors list the fix for the diagnostic under the
/// cursor before the refactorings; [`suppress_rule::SuppressRule`] comes last.
pub static ACTIONS: &[&dyn Action] = &[
    &convert_to_exec_form::ConvertToExecForm,
    &add_nuget_cache_mount::AddNugetCacheMount,
    &add_restore_runtime::AddRestoreRuntime,
    &move_secret_to_build_secret::MoveSecretToBuildSecret,
    &split_restore_stage::SplitRestoreStage,
    // Project actions: quick fixes, then the refactorings.
    &create_dockerignore::CreateDockerignore,
    &fix_casing::FixCasing,
    &fix_stage_reference::FixStageReference,
    &replace_maintainer_with_label::ReplaceMaintainerWithLabel,
    &use_copy_instead_of_add::UseCopyInsteadOfAdd,
    &use_key_equals_value::UseKeyEqualsValue,
    &convert_to_multi_stage::ConvertToMultiStage,
    &generate_dockerfile::GenerateDockerfile,
    &add_non_root_user::AddNonRootUser,
    &align_images_with_target_framework::AlignImagesWithTargetFramework,
    &align_listening_port::AlignListeningPort,
    &pin_image_tag::PinImageTag,
    &enable_cross_platform_build::EnableCrossPlatformBuild,
    &switch_base_image::SwitchBaseImage,
    &suppress_rule::SuppressRule,
];

pub fn find_action(name: &str) -> Option<&'static dyn Action> {
    ACTIONS
        .iter()
        .copied()
        .find(|a| a.meta().name.eq_ignore_ascii_case(name))
}

/// The actions offered for `ctx`, in [`ACTIONS`] order. An action that proposes no edit
/// (a bug) is dropped rather than shown as a no-op.
pub fn code_actions(ctx: &ActionContext) -> Vec<CodeAction> {
    let mut out = Vec::new();
    for action in ACTIONS {
        let start = out.len();
        action.collect(ctx, &mut out);
        let mut fresh: Vec<CodeAction> = out.drain(start..).collect();
        fresh.retain(|a| !a.edits.is_empty() || !a.files.is_empty());
        out.extend(fresh);
    }
    out
}

/// What `dockside check --fix` did to one file.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FixOutcome {
    pub text: String,
    /// The rule codes fixed, one entry per fix applied.
    pub fixed: Vec<&'static str>,
}

/// Applies the quick fixes of every diagnostic that has one, the safe ones only unless
/// `unsafe_fixes`, re-analysing after each round (a fix can uncover another) until nothing
/// changes. Fixes that overlap one applied in the same round wait for the next round.
pub fn fix_all(text: &str, env: &AnalysisEnv, unsafe_fixes: bool) -> FixOutcome {
    const MAX_ROUNDS: usize = 8;
    let mut outcome = FixOutcome {
        text: text.to_string(),
        fixed: Vec::new(),
    };
    for _ in 0..MAX_ROUNDS {
        let analysis = analyze(&outcome.text, env);
        let ctx = ActionContext {
            analysis: &analysis,
            env,
            range: TextRange::new(0, analysis.text.len()),
            trigger: Trigger::FixAll,
        };
        let mut taken: Vec<TextEdit> = Vec::new();
        let mut fixed = Vec::new();
        for action in code_actions(&ctx) {
            let Some(diagnostic) = &action.fixes else {
                continue;
            };
            if action.action == suppress_rule::SuppressRule::META.name
                || (action.safety == Safety::Unsafe && !unsafe_fixes)
                || !action.files.is_empty()
                || action
                    .edits
                    .iter()
                    .any(|e| taken.iter().any(|t| overlaps(t.range, e.range)))
            {
                continue;
            }
            fixed.push(diagnostic.code);
            taken.extend(action.edits);
        }
        if taken.is_empty() {
            break;
        }
        let next = apply_edits(&outcome.text, &taken);
        if next == outcome.text {
            break;
        }
        outcome.text = next;
        outcome.fixed.extend(fixed);
    }
    outcome
}

/// Two edits conflict when they overlap, or insert at the same place (their order would be
/// arbitrary).
fn overlaps(a: TextRange, b: TextRange) -> bool {
    if a.is_empty() || b.is_empty() {
        return a.start() <= b.end() && b.start() <= a.end();
    }
    a.start() < b.end() && b.start() < a.end()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn action_names_are_unique_and_documented() {
        let mut names: Vec<&str> = ACTIONS.iter().map(|a| a.meta().name).collect();
        names.sort();
        let count = names.len();
        names.dedup();
        assert_eq!(names.len(), count, "duplicate action names");
        for action in ACTIONS {
            let docs = action.meta().docs;
            assert!(
                docs.contains("## Before") && docs.contains("## After"),
                "{} needs `## Before` and `## After` in its doc comment",
                action.meta().name
            );
        }
    }

    /// The invariants of issue 5 over real and generated inputs: every action offered at
    /// every instruction of every fixture Dockerfile (with its solution) and of a generated
    /// 300-line Dockerfile keeps the file parsing, removes the diagnostic it fixes, puts its
    /// edits on character boundaries, changes nothing when applied again, and does the same
    /// on the CRLF version of the file.
    #[test]
    fn every_offer_on_every_fixture_keeps_the_invariants() {
        use crate::actions::test_support::solution_env;
        let fixtures = crate::rules::dotnet::test_support::fixture_dir("");
        let mut inputs: Vec<(AnalysisEnv, String, String)> = Vec::new();
        for file in crate::cli::discover::discover(std::slice::from_ref(&fixtures)).files {
            let Some(root) = file
                .strip_prefix(&fixtures)
                .ok()
                .and_then(|rel| rel.components().next())
                .map(|first| fixtures.join(first))
            else {
                continue;
            };
            let relative = file
                .strip_prefix(&root)
                .expect("inside its fixture")
                .to_string_lossy()
                .replace('\\', "/");
            let text = std::fs::read_to_string(&file).expect("fixture Dockerfile");
            inputs.push((solution_env(&root, &relative), relative, text));
        }
        inputs.push((
            crate::rules::test_support::test_env(),
            "generated".to_string(),
            crate::bench_support::generated_dockerfile(300),
        ));
        let mut checked = 0;
        for (env, name, text) in &inputs {
            checked += check_every_offer(env, name, text);
            let crlf = text.replace('\n', "\r\n");
            check_every_offer(env, name, &crlf);
        }
        assert!(checked >= 50, "only {checked} offers on the fixtures");
    }

    fn check_every_offer(env: &AnalysisEnv, name: &str, text: &str) -> usize {
        let analysis = analyze(text, env);
        let mut checked = 0;
        for inst in &analysis.tree.instructions {
            let range = TextRange::empty(inst.range.start());
            let ctx = ActionContext {
                analysis: &analysis,
                env,
                range,
                trigger: Trigger::Editor,
            };
            for action in code_actions(&ctx) {
                checked += 1;
                let what = format!("{name}: {} ({})", action.title, action.action);
                for edit in &action.edits {
                    assert!(
                        text.is_char_boundary(edit.range.start())
                            && text.is_char_boundary(edit.range.end()),
                        "{what}: edit off character boundaries"
                    );
                    if text.contains('\r') {
                        assert!(
                            !edit.new_text.replace("\r\n", "").contains('\n'),
                            "{what}: a bare line feed in a CRLF file: {:?}",
                            edit.new_text
                        );
                    }
                }
                let result = apply_edits(text, &action.edits);
                let again = analyze(&result, env);
                assert!(
                    again.tree.errors.len() <= analysis.tree.errors.len(),
                    "{what} breaks the syntax:\n{result}"
                );
                if let Some(fixed) = &action.fixes {
                    // Edits of other files (a new .dockerignore) are checked by their action's
                    // own tests, on disk.
                    if action.action != suppress_rule::SuppressRule::META.name
                        && action.files.is_empty()
                    {
                        let count = |a: &crate::analysis::Analysis| {
                            a.diagnostics
                                .iter()
                                .filter(|d| d.code == fixed.code)
                                .count()
                        };
                        assert!(
                            count(&again) < count(&analysis),
                            "{what} leaves {}:\n{result}",
                            fixed.code
                        );
                    }
                }
                let shift: isize = action
                    .edits
                    .iter()
                    .filter(|e| e.range.end() <= range.start())
                    .map(|e| e.new_text.len() as isize - e.range.len() as isize)
                    .sum();
                let cursor = (range.start() as isize + shift).max(0) as usize;
                let ctx = ActionContext {
                    analysis: &again,
                    env,
                    range: TextRange::empty(cursor.min(result.len())),
                    trigger: Trigger::Editor,
                };
                for offer in code_actions(&ctx)
                    .into_iter()
                    .filter(|o| o.action == action.action && o.title == action.title)
                {
                    assert_eq!(
                        apply_edits(&result, &offer.edits),
                        result,
                        "{what}: applying it again changes the text"
                    );
                }
            }
        }
        checked
    }

    #[test]
    fn fix_all_applies_safe_fixes_and_leaves_the_rest() {
        let env = crate::rules::test_support::test_env();
        // The second CMD needs a shell; the ENTRYPOINT would turn the CMD into its arguments.
        let text = "FROM alpine:3.20\nCMD dotnet App.dll\nFROM alpine:3.20\nCMD echo $HOME\nFROM alpine:3.20\nENTRYPOINT ./app\nCMD [\"-v\"]\n";
        let outcome = fix_all(text, &env, false);
        assert_eq!(
            outcome.text,
            "FROM alpine:3.20\nCMD [\"dotnet\", \"App.dll\"]\nFROM alpine:3.20\nCMD echo $HOME\nFROM alpine:3.20\nENTRYPOINT ./app\nCMD [\"-v\"]\n"
        );
        assert_eq!(outcome.fixed, vec!["JSONArgsRecommended"]);
        let outcome = fix_all(text, &env, true);
        assert!(
            outcome.text.contains("ENTRYPOINT [\"./app\"]"),
            "{}",
            outcome.text
        );
        assert_eq!(outcome.fixed.len(), 2);
    }
}
