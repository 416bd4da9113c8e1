use super::{ActionContext, CodeAction};
use crate::declare_action;
use crate::ide::navigation::rename;
use crate::ide::TextEdit;

declare_action! {
/// Fixes the case of a word, the quick fix of the four casing rules:
///
/// - `FromAsCasing`: `AS` takes the case of its `FROM` (`FROM x as y` becomes `FROM x AS y`);
/// - `StageNameCasing`: the stage name is lower-cased, with every `--from=`, `FROM <stage>`
///   and `--mount=from=` that names it;
/// - `ConsistentInstructionCasing`: the instruction takes the case of the file's majority;
/// - `ExposeProtoCasing`: the protocol of an `EXPOSE` port is lower-cased.
///
/// One action for the four: they are the same edit of a word's case, and `dockside check
/// --fix` fixes a whole file's casing in one pass.
///
/// ## Before
/// ```dockerfile
/// FROM mcr.microsoft.com/dotnet/sdk:10.0 as$0 build
/// ```
///
/// ## After
/// ```dockerfile
/// FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
/// ```
///
/// ## Fix safety
/// Safe: instruction keywords, `AS`, stage names and protocols are all case-insensitive to
/// BuildKit.
    FixCasing { expensive: false }
}

impl FixCasing {
    fn run(ctx: &ActionContext, out: &mut Vec<CodeAction>) {
        let text = ctx.text();
        let word = |range: crate::text::TextRange| text.get(range.as_range());
        for diagnostic in ctx.diagnostics("FromAsCasing") {
            let (Some(written), Some((_, from))) = (
                word(diagnostic.range),
                ctx.instruction_containing(diagnostic.range.start()),
            ) else {
                continue;
            };
            let Some(from_keyword) = word(from.keyword_range) else {
                continue;
            };
            let fixed = if from_keyword == from_keyword.to_ascii_lowercase() {
                "as"
            } else {
                "AS"
            };
            out.push(replacement(diagnostic, written, fixed, diagnostic.range));
        }
        for diagnostic in ctx.diagnostics("ConsistentInstructionCasing") {
            let Some(written) = word(diagnostic.range) else {
                continue;
            };
            let fixed = if diagnostic.message.ends_with("(lowercase)") {
                written.to_ascii_lowercase()
            } else {
                written.to_ascii_uppercase()
            };
            out.push(replacement(diagnostic, written, &fixed, diagnostic.range));
        }
        for diagnostic in ctx.diagnostics("ExposeProtoCasing") {
            let Some(written) = word(diagnostic.range) else {
                continue;
            };
            // Only the protocol: the port may be a variable, whose name is case-sensitive.
            let Some(slash) = written.rfind('/') else {
                continue;
            };
            let (port, proto) = written.split_at(slash);
            let fixed = format!("{port}{}", proto.to_ascii_lowercase());
            out.push(replacement(diagnostic, written, &fixed, diagnostic.range));
        }
        for diagnostic in ctx.diagnostics("StageNameCasing") {
            let Some(written) = word(diagnostic.range) else {
                continue;
            };
            let lower = written.to_ascii_lowercase();
            let Ok(edits) = rename(ctx.analysis, diagnostic.range.start(), &lower) else {
                continue;
            };
            out.push(
                CodeAction::quick_fix(
                    &Self::META,
                    diagnostic,
                    format!("Rename stage `{written}` to `{lower}`"),
                    edits,
                )
                .preferred(),
            );
        }
    }
}

fn replacement(
    diagnostic: &crate::analysis::Diagnostic,
    written: &str,
    fixed: &str,
    range: crate::text::TextRange,
) -> CodeAction {
    CodeAction::quick_fix(
        &FixCasing::META,
        diagnostic,
        format!("Change `{written}` to `{fixed}`"),
        vec![TextEdit::replace(range, fixed)],
    )
    .preferred()
}

#[cfg(test)]
mod tests {
    use crate::actions::fix_all;
    use crate::actions::test_support::{check_action, check_action_titled, check_not_applicable};
    use crate::rules::test_support::test_env;

    const NAME: &str = "FixCasing";

    #[test]
    fn as_takes_the_case_of_from() {
        let action = check_action(
            NAME,
            "FROM mcr.microsoft.com/dotnet/sdk:10.0 as$0 build\n",
            "FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build\n",
        );
        assert_eq!(action.title, "Change `as` to `AS`");
        assert!(action.preferred);
        check_action(
            NAME,
            "from alpine:3.20 $0AS build\nrun true\n",
            "from alpine:3.20 as build\nrun true\n",
        );
    }

    #[test]
    fn stage_name_is_lowercased_with_its_references() {
        let action = check_action(
            NAME,
            "FROM mcr.microsoft.com/dotnet/sdk:10.0 AS $0BuildEnv\nRUN dotnet publish -o /out\nFROM BuildEnv AS test\nFROM mcr.microsoft.com/dotnet/aspnet:10.0\nCOPY --from=BUILDENV /out .\n",
            "FROM mcr.microsoft.com/dotnet/sdk:10.0 AS buildenv\nRUN dotnet publish -o /out\nFROM buildenv AS test\nFROM mcr.microsoft.com/dotnet/aspnet:10.0\nCOPY --from=buildenv /out .\n",
        );
        assert_eq!(action.title, "Rename stage `BuildEnv` to `buildenv`");
    }

    #[test]
    fn instruction_takes_the_majority_case() {
        let action = check_action(
            NAME,
            "FROM alpine:3.20\nWORKDIR /app\n$0copy . .\nRUN true\n",
            "FROM alpine:3.20\nWORKDIR /app\nCOPY . .\nRUN true\n",
        );
        assert_eq!(action.title, "Change `copy` to `COPY`");
        check_action(
            NAME,
            "from alpine:3.20\nworkdir /app\n$0Copy . .\n",
            "from alpine:3.20\nworkdir /app\ncopy . .\n",
        );
    }

    #[test]
    fn expose_protocol_is_lowercased_but_not_the_variable() {
        let action = check_action_titled(
            NAME,
            "Change `443/Udp` to `443/udp`",
            "FROM alpine:3.20\nEXPOSE 8080/TCP $0443/Udp\n",
            "FROM alpine:3.20\nEXPOSE 8080/TCP 443/udp\n",
        );
        assert_eq!(action.title, "Change `443/Udp` to `443/udp`");
        check_action(
            NAME,
            "FROM alpine:3.20\nARG Port=80\nEXPOSE $0${Port}/TCP\n",
            "FROM alpine:3.20\nARG Port=80\nEXPOSE ${Port}/tcp\n",
        );
    }

    #[test]
    fn fix_all_fixes_every_casing_at_once() {
        let outcome = fix_all(
            "FROM alpine:3.20 as Build\nrun true\nWORKDIR /app\nEXPOSE 80/TCP\nFROM Build\nCOPY . .\n",
            &test_env(),
            false,
        );
        assert_eq!(
            outcome.text,
            "FROM alpine:3.20 AS build\nRUN true\nWORKDIR /app\nEXPOSE 80/tcp\nFROM build\nCOPY . .\n"
        );
    }

    #[test]
    fn not_offered_on_consistent_files() {
        check_not_applicable(NAME, "FROM alpine:3.20 AS $0build\nRUN true\n");
        check_not_applicable(NAME, "from alpine:3.20 as $0build\nrun true\n");
    }
}
