use crate::declare_rule;
use crate::rules::{Diagnostics, RuleContext};

declare_rule! {
/// ## What it does
/// Checks that `COPY` and `ADD` do not name a file of the build context that
/// `.dockerignore` excludes. Experimental in BuildKit, so off by default: enable it with
/// `# check=experimental=CopyIgnoredFile` or in `dockside.toml`.
///
/// Not computed yet: it needs the build context and its `.dockerignore`, which the context
/// module provides. The rule is declared so that its name is known to suppressions,
/// configuration and `dockside explain`; it reports nothing for now.
///
/// ## Why is this bad?
/// Excluded files are not sent to the builder, so the build fails with "not found", or a
/// wildcard silently copies fewer files than intended. In .NET solutions this typically
/// hits `**/bin` and `**/obj` exclusions, or a `*.json` pattern that drops
/// `appsettings.json`.
///
/// ## Example
/// With a `.dockerignore` containing `**/appsettings.Development.json`:
/// ```dockerfile
/// COPY src/Api/appsettings.Development.json /app/
/// ```
///
/// ## Use instead
/// ```dockerfile
/// COPY src/Api/appsettings.json /app/
/// ```
///
/// ## Fix safety
/// No automatic fix: either the COPY or the `.dockerignore` is wrong.
///
/// ## References
/// - BuildKit's `linter/ruleset.go` (`RuleCopyIgnoredFile`)
    CopyIgnoredFile {
        severity: Warning,
        origin: BuildKit,
        summary: "Attempting to Copy file that is excluded by .dockerignore.",
        default_enabled: false,
    }
}

impl CopyIgnoredFile {
    fn run(_ctx: &RuleContext, _out: &mut Diagnostics) {
        // Needs the build context and .dockerignore (context module); see the rule's docs.
    }
}
