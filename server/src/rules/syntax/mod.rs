//! Syntax errors: what BuildKit's parser refuses. The parser records them; these rules
//! report them.

mod duplicate_directive;
mod invalid_escape_directive;
mod invalid_key_value;
mod invalid_utf8;
mod json_not_string_array;
mod line_too_long;
mod no_instructions;
mod nul_byte;
mod unterminated_heredoc;

pub use duplicate_directive::DuplicateDirective;
pub use invalid_escape_directive::InvalidEscapeDirective;
pub use invalid_key_value::InvalidKeyValue;
pub use invalid_utf8::InvalidUtf8;
pub use json_not_string_array::JsonNotStringArray;
pub use line_too_long::LineTooLong;
pub use no_instructions::NoInstructions;
pub use nul_byte::NulByte;
pub use unterminated_heredoc::UnterminatedHeredoc;

use crate::rules::{Diagnostics, Rule, RuleContext, RuleMeta};
use crate::syntax::SyntaxErrorKind;

pub static RULES: &[&dyn Rule] = &[
    &UnterminatedHeredoc,
    &InvalidKeyValue,
    &JsonNotStringArray,
    &InvalidEscapeDirective,
    &DuplicateDirective,
    &NoInstructions,
    &LineTooLong,
    &NulByte,
    &InvalidUtf8,
];

fn report_syntax_errors(
    ctx: &RuleContext,
    out: &mut Diagnostics,
    kind: SyntaxErrorKind,
    meta: &'static RuleMeta,
) {
    for error in ctx.tree.errors.iter().filter(|e| e.kind == kind) {
        out.report(meta, error.range, error.message.clone());
    }
}
