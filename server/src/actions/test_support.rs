//! Tests for actions, as rust-analyzer's assists do: `check_action(name, before, after)` where
//! `before` marks the cursor with `$0` (or a selection with two `$0`), and
//! `check_not_applicable(name, before)`.
//!
//! Every `check_action*` also checks the invariants every action promises: the result has no
//! new syntax error, applying the action again at the same place changes nothing, a quick fix
//! removes (one of) the diagnostics it fixes, edits fall on character boundaries without
//! overlapping, and the same action on the CRLF version of `before` gives the CRLF version of
//! `after`.

use std::path::Path;

use super::{code_actions, ActionContext, CodeAction, Trigger};
use crate::analysis::{analyze, AnalysisEnv};
use crate::context::SolutionSnapshot;
use crate::dotnet::{paths, Workspace, WorkspaceOptions};
use crate::ide::apply_edits;
use crate::rules::test_support::test_env;
use crate::text::TextRange;

const CURSOR: &str = "$0";

/// Removes the `$0` marker(s): the text and the cursor or selection.
pub fn extract_cursor(marked: &str) -> (String, TextRange) {
    let first = marked
        .find(CURSOR)
        .unwrap_or_else(|| panic!("the test text needs a `$0` cursor:\n{marked}"));
    let mut text = marked.to_string();
    text.replace_range(first..first + CURSOR.len(), "");
    match text.find(CURSOR) {
        Some(second) => {
            text.replace_range(second..second + CURSOR.len(), "");
            (text, TextRange::new(first, second))
        }
        None => (text, TextRange::empty(first)),
    }
}

/// The actions named `name` offered at `range` of `text`.
pub fn offered(env: &AnalysisEnv, name: &str, text: &str, range: TextRange) -> Vec<CodeAction> {
    let analysis = analyze(text, env);
    let ctx = ActionContext {
        analysis: &analysis,
        env,
        range,
        trigger: Trigger::Editor,
    };
    assert!(
        super::find_action(name).is_some(),
        "no action is named {name}"
    );
    code_actions(&ctx)
        .into_iter()
        .filter(|a| a.action == name)
        .collect()
}

/// Applies the one action `name` offers at the cursor and checks the result is `after`.
pub fn check_action(name: &str, before: &str, after: &str) -> CodeAction {
    check_action_with(&test_env(), name, None, before, after)
}

/// The same, choosing among several offers by exact title.
pub fn check_action_titled(name: &str, title: &str, before: &str, after: &str) -> CodeAction {
    check_action_with(&test_env(), name, Some(title), before, after)
}

/// The same in `env` (for instance with a solution from [`solution_env`]).
pub fn check_action_with(
    env: &AnalysisEnv,
    name: &str,
    title: Option<&str>,
    before: &str,
    after: &str,
) -> CodeAction {
    let action = check_once(env, name, title, before, after);
    if !before.contains('\r') {
        let crlf = |s: &str| s.replace('\n', "\r\n");
        let on_crlf = check_once(env, name, Some(&action.title), &crlf(before), &crlf(after));
        assert_eq!(
            on_crlf.title, action.title,
            "{name}: the title differs on CRLF"
        );
    }
    action
}

fn check_once(
    env: &AnalysisEnv,
    name: &str,
    title: Option<&str>,
    before: &str,
    after: &str,
) -> CodeAction {
    let (text, range) = extract_cursor(before);
    let actions = offered(env, name, &text, range);
    let action = match title {
        Some(title) => actions
            .iter()
            .find(|a| a.title == title)
            .cloned()
            .unwrap_or_else(|| {
                panic!(
                    "{name}: no offer titled {title:?}; offered: {:?}",
                    titles(&actions)
                )
            }),
        None => {
            assert_eq!(
                actions.len(),
                1,
                "{name}: expected one offer at the cursor, got {:?}",
                titles(&actions)
            );
            actions[0].clone()
        }
    };
    assert_edits_well_formed(name, &text, &action);
    let result = apply_edits(&text, &action.edits);
    assert_eq!(
        result, after,
        "{name}: the result differs\n--- got ---\n{result}\n--- expected ---\n{after}"
    );

    let before_analysis = analyze(&text, env);
    let after_analysis = analyze(&result, env);
    assert!(
        after_analysis.tree.errors.len() <= before_analysis.tree.errors.len(),
        "{name}: the result has new syntax errors: {:?}",
        after_analysis.tree.errors
    );
    if let Some(fixed) = &action.fixes {
        let count = |a: &crate::analysis::Analysis| {
            a.diagnostics
                .iter()
                .filter(|d| d.code == fixed.code)
                .count()
        };
        assert!(
            count(&after_analysis) < count(&before_analysis),
            "{name}: {} is still reported after the fix:\n{result}",
            fixed.code
        );
    }

    let cursor = map_offset(range.start(), &action);
    let again = offered(env, name, &result, TextRange::empty(cursor));
    for offer in again.iter().filter(|a| a.title == action.title) {
        assert_eq!(
            apply_edits(&result, &offer.edits),
            result,
            "{name}: applying {:?} a second time changes the text",
            action.title
        );
    }
    action
}

/// Checks that `name` offers nothing at the cursor.
pub fn check_not_applicable(name: &str, before: &str) {
    check_not_applicable_with(&test_env(), name, before);
}

pub fn check_not_applicable_with(env: &AnalysisEnv, name: &str, before: &str) {
    let (text, range) = extract_cursor(before);
    let actions = offered(env, name, &text, range);
    assert!(
        actions.is_empty(),
        "{name}: expected no offer, got {:?}",
        titles(&actions)
    );
}

/// The titles of every offer of `name` at the cursor, in order.
pub fn offered_titles(env: &AnalysisEnv, name: &str, before: &str) -> Vec<String> {
    let (text, range) = extract_cursor(before);
    offered(env, name, &text, range)
        .into_iter()
        .map(|a| a.title)
        .collect()
}

/// An environment whose Dockerfile is `dockerfile_rel` of the solution at `root` (indexed
/// as the CLI and the language server do).
pub fn solution_env(root: &Path, dockerfile_rel: &str) -> AnalysisEnv {
    let root = paths::normalize(root);
    AnalysisEnv {
        path: Some(root.join(dockerfile_rel)),
        solution: Some(SolutionSnapshot::new(Workspace::index(
            &root,
            WorkspaceOptions::default(),
        ))),
        ..test_env()
    }
}

fn titles(actions: &[CodeAction]) -> Vec<&str> {
    actions.iter().map(|a| a.title.as_str()).collect()
}

fn assert_edits_well_formed(name: &str, text: &str, action: &CodeAction) {
    let mut ranges: Vec<TextRange> = action.edits.iter().map(|e| e.range).collect();
    ranges.sort_by_key(|r| (r.start(), r.end()));
    for r in &ranges {
        assert!(
            r.end() <= text.len()
                && text.is_char_boundary(r.start())
                && text.is_char_boundary(r.end()),
            "{name}: edit {r:?} is not on character boundaries"
        );
    }
    for pair in ranges.windows(2) {
        assert!(
            pair[0].end() <= pair[1].start() && !(pair[0].is_empty() && pair[0] == pair[1]),
            "{name}: edits {:?} and {:?} overlap",
            pair[0],
            pair[1]
        );
    }
    let whole = TextRange::new(0, text.len());
    assert!(
        text.lines().count() < 4 || !ranges.contains(&whole),
        "{name}: replaces the whole document instead of the lines it changes"
    );
}

/// Where `offset` of the text before the edits is after them.
fn map_offset(offset: usize, action: &CodeAction) -> usize {
    let mut shift: isize = 0;
    for edit in &action.edits {
        if edit.range.end() <= offset {
            shift += edit.new_text.len() as isize - edit.range.len() as isize;
        }
    }
    (offset as isize + shift).max(0) as usize
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursor_and_selection_markers() {
        assert_eq!(
            extract_cursor("FROM a$0\n"),
            ("FROM a\n".to_string(), TextRange::empty(6))
        );
        assert_eq!(
            extract_cursor("$0FROM a$0\n"),
            ("FROM a\n".to_string(), TextRange::new(0, 6))
        );
    }

    #[test]
    fn solution_env_indexes_the_fixture() {
        let root = crate::rules::dotnet::test_support::fixture_dir("vs-template");
        let env = solution_env(&root, "src/Api/Dockerfile");
        let workspace = &env.solution.as_ref().expect("a solution").workspace;
        assert!(workspace.projects().count() >= 2);
        assert_eq!(
            offered_titles(&env, "ConvertToExecForm", "FROM a$0\n"),
            Vec::<String>::new()
        );
    }
}
