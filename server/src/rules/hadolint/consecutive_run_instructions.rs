use super::runs::runs;
use crate::declare_rule;
use crate::rules::{Diagnostics, RuleContext};
use crate::syntax::Keyword;

declare_rule! {
/// ## What it does
/// Checks for RUN instructions that directly follow another RUN with the same flags, when
/// both are short (at most two commands each). Comments between them do not count; any other
/// instruction does.
///
/// ## Why is this bad?
/// Each RUN makes a layer. Short consecutive RUNs are often one step split by accident:
/// merging them gives fewer layers, and files that one command creates and the next deletes
/// never reach the image. Longer RUNs are left alone: splitting them is usually deliberate,
/// to keep the cache of an expensive step.
///
/// ## Example
/// ```dockerfile
/// RUN apt-get update
/// RUN apt-get install -y --no-install-recommends curl
/// ```
///
/// ## Use instead
/// ```dockerfile
/// RUN apt-get update \
///     && apt-get install -y --no-install-recommends curl \
///     && rm -rf /var/lib/apt/lists/*
/// ```
///
/// ## Fix safety
/// No automatic fix.
///
/// ## References
/// - [hadolint DL3059](https://github.com/hadolint/hadolint/wiki/DL3059)
    ConsecutiveRunInstructions {
        severity: Info,
        origin: Hadolint,
        summary: "Short RUN instructions follow each other and could be one.",
        hadolint: "DL3059",
    }
}

/// More commands than this in either RUN: splitting was deliberate.
const MAX_COMMANDS: usize = 2;

impl ConsecutiveRunInstructions {
    fn run(ctx: &RuleContext, out: &mut Diagnostics) {
        let runs = runs(ctx);
        let mut previous: Option<(usize, Vec<&str>, usize)> = None;
        // The keywords alone tell which instructions are RUNs.
        for (index, &keyword) in ctx.keywords().iter().enumerate() {
            let Some(inst) = ctx
                .tree
                .instructions
                .get(index)
                .filter(|_| keyword == Keyword::Run)
            else {
                previous = None;
                continue;
            };
            let commands = runs
                .at_instruction(index)
                .map_or(0, |r| r.commands().count());
            let flags: Vec<&str> = inst
                .flags
                .iter()
                .map(|f| ctx.text.get(f.range.as_range()).unwrap_or(""))
                .collect();
            if let Some((prev_index, prev_flags, prev_commands)) = &previous {
                if *prev_index + 1 == index
                    && *prev_flags == flags
                    && *prev_commands <= MAX_COMMANDS
                    && commands <= MAX_COMMANDS
                {
                    out.report(
                        &Self::META,
                        inst.keyword_range,
                        "Multiple consecutive `RUN` instructions. Consider consolidation.",
                    );
                }
            }
            previous = Some((index, flags, commands));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::check_rule;

    #[test]
    fn reports_short_consecutive_runs() {
        assert_eq!(
            check_rule(
                "ConsecutiveRunInstructions",
                "FROM debian:12\nRUN apt-get update\n# then\nRUN apt-get install -y curl\nRUN a && b\n"
            ),
            [
                "4:1-4:4 Multiple consecutive `RUN` instructions. Consider consolidation.",
                "5:1-5:4 Multiple consecutive `RUN` instructions. Consider consolidation.",
            ]
        );
    }

    #[test]
    fn silent_for_long_runs_other_flags_or_other_instructions() {
        assert!(check_rule(
            "ConsecutiveRunInstructions",
            "FROM mcr.microsoft.com/dotnet/sdk:10.0\nRUN a && b && c\nRUN d\n\
             RUN --mount=type=cache,target=/root/.nuget/packages dotnet restore\nCOPY . .\nRUN dotnet build\nWORKDIR /x\nRUN e\n"
        )
        .is_empty());
    }
}
