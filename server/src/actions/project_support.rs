//! What the project actions (ConvertToMultiStage, CreateDockerignore, GenerateDockerfile)
//! share: the rules' view of the analysis, for the .NET helpers written against it.

use super::ActionContext;
use crate::rules::RuleContext;

/// The analysis seen as the rules see it, so actions reuse `rules::dotnet` (published app,
/// deployment, solution view) instead of re-deriving it.
pub(crate) fn rule_context<'a>(ctx: &ActionContext<'a>) -> RuleContext<'a> {
    let analysis = ctx.analysis;
    RuleContext {
        text: &analysis.text,
        tree: &analysis.tree,
        model: &analysis.model,
        env: ctx.env,
        facts: analysis.facts.as_ref(),
        hadolint_runs: Default::default(),
    }
}
