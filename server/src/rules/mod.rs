//! Rules: every diagnostic comes from a rule with a stable PascalCase name.
//!
//! One rule per file, grouped by origin: `syntax/` (what BuildKit's parser rejects),
//! `buildkit/` (BuildKit's build checks), `validation/` (what the builder rejects),
//! `hadolint/`, `dotnet/` and `image/`. Each file declares its rule with
//! [`declare_rule!`](crate::declare_rule), whose doc comment is the rule's documentation.

pub mod buildkit;
pub mod docs;
pub mod dotnet;
pub mod hadolint;
pub mod image;
mod rule;
pub mod suppression;
pub mod syntax;
#[cfg(test)]
pub(crate) mod test_support;
pub mod validation;

pub use rule::{
    check_per_instruction, kebab_case, Diagnostics, InstructionPass, InstructionRule, Interest,
    Origin, Rule, RuleContext, RuleMeta,
};
pub(crate) use rule::{KeywordCasing, SourceMarks};

use crate::analysis::Diagnostic;

static SUPPRESSION_RULES: &[&dyn Rule] = &[&suppression::UnknownRuleInSuppression];

/// Every rule Dockside knows, in documentation order.
pub fn all_rules() -> impl Iterator<Item = &'static dyn Rule> {
    syntax::RULES
        .iter()
        .chain(validation::RULES)
        .chain(buildkit::RULES)
        .chain(hadolint::RULES)
        .chain(dotnet::RULES)
        .chain(image::RULES)
        .chain(SUPPRESSION_RULES)
        .copied()
}

pub fn find_rule(name: &str) -> Option<&'static dyn Rule> {
    all_rules().find(|r| r.meta().name.eq_ignore_ascii_case(name))
}

/// Runs every enabled rule and applies in-file suppressions and BuildKit's `# check=`
/// directive. The per-instruction rules run first, together in one pass over the
/// instructions; their diagnostics are then taken in rule order like the others'.
pub fn check(ctx: &RuleContext) -> Vec<Diagnostic> {
    let suppressions = suppression::Suppressions::collect(ctx);
    let config = &ctx.env.config;
    let enabled: Vec<&dyn Rule> = all_rules()
        .filter(|rule| {
            let meta = rule.meta();
            !config.disabled.contains(&meta.name)
                && (config.rule_enabled(meta) || suppressions.experimental_enabled(meta))
                && suppressions.rule_enabled(meta)
        })
        .collect();
    let pass = InstructionPass::new(enabled.iter().filter_map(|rule| rule.per_instruction()));
    let mut per_instruction = pass.run(ctx).into_iter();
    let mut out = Diagnostics::default();
    for rule in enabled {
        let meta = rule.meta();
        let start = out.items.len();
        match rule.per_instruction() {
            Some(_) => {
                if let Some(found) = per_instruction.next() {
                    out.items.extend(found.items);
                }
            }
            None => rule.check(ctx, &mut out),
        }
        if out.items.len() == start {
            continue;
        }
        if suppressions.suppresses_instructions() {
            // Drops this rule's suppressed diagnostics, keeping the order of the others.
            let mut kept = start;
            for i in start..out.items.len() {
                if !suppressions.is_suppressed(ctx, meta, &out.items[i]) {
                    out.items.swap(kept, i);
                    kept += 1;
                }
            }
            out.items.truncate(kept);
        }
        let configured = config.severity_of(meta);
        for d in &mut out.items[start..] {
            if let Some(severity) = configured {
                d.severity = severity;
            }
            suppressions.adjust_severity(meta, d);
        }
    }
    out.items.extend(suppressions.problems);
    out.items.sort_by(|a, b| {
        (a.range.start, a.range.end, a.code).cmp(&(b.range.start, b.range.end, b.code))
    });
    out.items
}
