use super::support::keyword_text;
use crate::declare_rule;
use crate::rules::{Diagnostics, RuleContext};
use crate::syntax::{Instruction, Keyword};

declare_rule! {
/// ## What it does
/// Checks for a stage with more than one `CMD`, `ENTRYPOINT` or `HEALTHCHECK`, and reports
/// every one but the last.
///
/// ## Why is this bad?
/// Only the last of these instructions takes effect; the earlier ones are dead code that
/// readers may believe in.
///
/// ## Example
/// ```dockerfile
/// FROM mcr.microsoft.com/dotnet/aspnet:10.0
/// ENTRYPOINT ["dotnet", "Old.dll"]
/// ENTRYPOINT ["dotnet", "App.dll"]
/// ```
///
/// ## Use instead
/// ```dockerfile
/// FROM mcr.microsoft.com/dotnet/aspnet:10.0
/// ENTRYPOINT ["dotnet", "App.dll"]
/// ```
///
/// ## Fix safety
/// No automatic fix yet. Deleting the ignored instruction does not change the image.
///
/// ## References
/// - BuildKit's `linter/ruleset.go` (`RuleMultipleInstructionsDisallowed`)
    MultipleInstructionsDisallowed {
        severity: Warning,
        origin: BuildKit,
        summary: "Multiple instructions of the same type should not be used in the same stage.",
        hadolint: ["DL3012", "DL4003", "DL4004"],
    }
}

impl MultipleInstructionsDisallowed {
    fn run(ctx: &RuleContext, out: &mut Diagnostics) {
        let keywords = ctx.keywords();
        for stage in &ctx.model.stages {
            let mut last: [Option<&Instruction>; 3] = [None; 3];
            for idx in stage.instructions.clone() {
                // The compact keyword list: the other instructions are not read.
                let slot = match keywords.get(idx) {
                    Some(Keyword::Cmd) => 0,
                    Some(Keyword::Entrypoint) => 1,
                    Some(Keyword::Healthcheck) => 2,
                    _ => continue,
                };
                let Some(inst) = ctx.tree.instructions.get(idx) else {
                    continue;
                };
                // BuildKit reports the earlier instruction, the one that is ignored, under the
                // name of the later one.
                if let Some(previous) = last[slot] {
                    out.report(
                        &Self::META,
                        previous.range,
                        format!(
                            "Multiple {} instructions should not be used in the same stage because only the last one will be used",
                            keyword_text(ctx, inst)
                        ),
                    );
                }
                last[slot] = Some(inst);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::check_rule;

    #[test]
    fn reports_the_ignored_instructions() {
        assert_eq!(
            check_rule(
                "MultipleInstructionsDisallowed",
                "FROM alpine\nCMD [\"a\"]\nENTRYPOINT [\"b\"]\ncmd [\"c\"]\nHEALTHCHECK NONE\nCMD [\"d\"]\n"
            ),
            [
                "2:1-2:10 Multiple cmd instructions should not be used in the same stage because only the last one will be used",
                "4:1-4:10 Multiple CMD instructions should not be used in the same stage because only the last one will be used",
            ]
        );
    }

    #[test]
    fn each_stage_has_its_own() {
        assert!(check_rule(
            "MultipleInstructionsDisallowed",
            "FROM alpine AS base\nCMD [\"a\"]\nFROM base\nCMD [\"b\"]\nONBUILD CMD [\"c\"]\n"
        )
        .is_empty());
    }
}
