use crate::declare_rule;
use crate::rules::{Diagnostics, RuleContext};
use crate::syntax::SyntaxErrorKind;

declare_rule! {
/// ## What it does
/// Checks that exec-form arguments (`["dotnet", "App.dll"]`) are all JSON strings.
///
/// ## Why is this bad?
/// BuildKit rejects the file: "when using JSON array syntax, arrays must be comprised of strings only". Numbers and booleans must be quoted.
///
/// ## Example
/// ```dockerfile
/// EXPOSE 8080
/// CMD ["dotnet", "App.dll", 8080]
/// ```
///
/// ## Use instead
/// ```dockerfile
/// CMD ["dotnet", "App.dll", "8080"]
/// ```
///
/// ## Fix safety
/// No automatic fix.
    JsonNotStringArray {
        severity: Error,
        origin: Syntax,
        summary: "A JSON-form argument list contains something other than strings.",
    }
}

impl JsonNotStringArray {
    fn run(ctx: &RuleContext, out: &mut Diagnostics) {
        super::report_syntax_errors(ctx, out, SyntaxErrorKind::JsonNotStringArray, &Self::META);
    }
}
