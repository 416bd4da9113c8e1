use super::common::{
    allowed_flags, flag_kind, flag_name_span, instruction_name, is_healthcheck_none,
    uses_labs_syntax,
};
use crate::declare_rule;
use crate::rules::suppression::did_you_mean;
use crate::rules::{Diagnostics, InstructionRule, Interest, RuleContext};
use crate::syntax::{Instruction, Keyword};

declare_rule! {
/// ## What it does
/// Checks that every `--flag` is one the instruction accepts:
///
/// | instruction | flags |
/// |---|---|
/// | `FROM` | `--platform` |
/// | `COPY` | `--from`, `--chown`, `--chmod`, `--link`, `--parents`, `--exclude` |
/// | `ADD` | `--chown`, `--chmod`, `--link`, `--checksum`, `--keep-git-dir`, `--exclude`, `--unpack` |
/// | `RUN` | `--mount`, `--network`, `--security` (and `--device` with the labs syntax) |
/// | `HEALTHCHECK` | `--interval`, `--timeout`, `--start-period`, `--start-interval`, `--retries` |
/// | others | none |
///
/// ## Why is this bad?
/// BuildKit stops the build with "unknown flag". Typos such as `--chwon` and flags of another
/// instruction (`ADD --from`) are the usual causes.
///
/// ## Example
/// ```dockerfile
/// COPY --chwon=app:app --from=build /app/publish .
/// ```
///
/// ## Use instead
/// ```dockerfile
/// COPY --chown=app:app --from=build /app/publish .
/// ```
///
/// ## Fix safety
/// No automatic fix.
    UnknownFlag {
        severity: Error,
        origin: Validation,
        summary: "A flag the instruction does not accept.",
        per_instruction: true,
    }
}

impl InstructionRule for UnknownFlag {
    fn interest(&self) -> Interest {
        Interest::flagged()
    }

    fn check_instruction(
        &self,
        ctx: &RuleContext,
        _: usize,
        inst: &Instruction,
        out: &mut Diagnostics,
    ) {
        let labs = uses_labs_syntax(ctx.tree);
        // BuildKit never reads the flags of HEALTHCHECK NONE (InvalidHealthcheck says so).
        if inst.flags.is_empty() || inst.keyword == Keyword::Unknown || is_healthcheck_none(inst) {
            return;
        }
        let allowed = allowed_flags(inst.keyword, labs);
        for flag in &inst.flags {
            if flag_kind(inst.keyword, labs, &flag.name).is_some() {
                continue;
            }
            let name = instruction_name(ctx.text, inst);
            let hint = if inst.keyword == Keyword::Add && flag.name == "from" {
                " (ADD cannot copy from a stage; use COPY --from)".to_string()
            } else if inst.keyword == Keyword::Run && flag.name == "device" {
                " (RUN --device needs the labs syntax: `# syntax=docker/dockerfile:1-labs`)"
                    .to_string()
            } else if allowed.is_empty() {
                format!(" ({name} takes no flags)")
            } else {
                did_you_mean(&flag.name, allowed.iter().map(|(n, _)| *n))
                    .map(|s| format!(" (did you mean --{s}?)"))
                    .unwrap_or_default()
            };
            out.report(
                &Self::META,
                flag_name_span(flag),
                format!("unknown flag: --{}{hint}", flag.name),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::check_rule;

    #[test]
    fn reports_unknown_flags_with_suggestions() {
        let text = "FROM --platfrom=linux/amd64 alpine AS build\n\
                    COPY --chwon=app:app --from=build /a /b\n\
                    ADD --from=build /a /b\n\
                    RUN --mnt=type=cache,target=/x echo\n\
                    RUN --device=x echo\n\
                    WORKDIR --force /app\n\
                    HEALTHCHECK --intervall=5s CMD true\n\
                    ONBUILD COPY --frm=build /a /b\n";
        assert_eq!(
            check_rule("UnknownFlag", text),
            [
                "1:6-1:16 unknown flag: --platfrom (did you mean --platform?)",
                "2:6-2:13 unknown flag: --chwon (did you mean --chown?)",
                "3:5-3:11 unknown flag: --from (ADD cannot copy from a stage; use COPY --from)",
                "4:5-4:10 unknown flag: --mnt (did you mean --mount?)",
                "5:5-5:13 unknown flag: --device (RUN --device needs the labs syntax: `# syntax=docker/dockerfile:1-labs`)",
                "6:9-6:16 unknown flag: --force (WORKDIR takes no flags)",
                "7:13-7:24 unknown flag: --intervall (did you mean --interval?)",
                "8:14-8:19 unknown flag: --frm (did you mean --from?)",
            ]
        );
    }

    #[test]
    fn accepts_every_documented_flag() {
        let text = "# syntax=docker/dockerfile:1-labs\n\
                    FROM --platform=$BUILDPLATFORM alpine AS build\n\
                    COPY --from=build --chown=1:1 --chmod=755 --link --parents --exclude=*.md /a /b\n\
                    ADD --chown=1 --chmod=644 --link --checksum=sha256:abc --keep-git-dir --exclude=x --unpack=true /a /b\n\
                    RUN --mount=type=cache,target=/x --network=none --security=sandbox --device=x echo\n\
                    HEALTHCHECK --interval=5s --timeout=3s --start-period=1s --start-interval=1s --retries=3 CMD true\n\
                    HEALTHCHECK --whatever NONE\n";
        assert!(check_rule("UnknownFlag", text).is_empty());
    }
}
