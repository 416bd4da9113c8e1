use crate::declare_rule;
use crate::rules::{Diagnostics, InstructionRule, Interest, RuleContext};
use crate::syntax::{Args, Instruction, Keyword};

declare_rule! {
/// ## What it does
/// Checks that an `ONBUILD` trigger is not `ONBUILD`, `FROM` or `MAINTAINER`.
///
/// ## Why is this bad?
/// BuildKit stops the build: "Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed" and
/// "FROM isn't allowed as an ONBUILD trigger".
///
/// ## Example
/// ```dockerfile
/// ONBUILD FROM mcr.microsoft.com/dotnet/aspnet:10.0
/// ```
///
/// ## Use instead
/// ```dockerfile
/// ONBUILD COPY . /src
/// ```
///
/// ## Fix safety
/// No automatic fix.
    InvalidOnbuildTrigger {
        severity: Error,
        origin: Validation,
        summary: "ONBUILD triggers ONBUILD, FROM or MAINTAINER.",
        hadolint: "DL3043",
        per_instruction: true,
    }
}

impl InstructionRule for InvalidOnbuildTrigger {
    fn interest(&self) -> Interest {
        Interest::with_triggers(&[Keyword::Onbuild])
    }

    fn check_instruction(
        &self,
        _: &RuleContext,
        _: usize,
        inst: &Instruction,
        out: &mut Diagnostics,
    ) {
        let (Keyword::Onbuild, Args::OnBuild(trigger)) = (inst.keyword, &inst.args) else {
            return;
        };
        let message = match trigger.keyword {
            Keyword::Onbuild => "Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed".to_string(),
            Keyword::From | Keyword::Maintainer => format!(
                "{} isn't allowed as an ONBUILD trigger",
                trigger.keyword.as_str()
            ),
            _ => return,
        };
        out.report(&Self::META, trigger.keyword_range, message);
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::check_rule;

    #[test]
    fn reports_forbidden_triggers() {
        assert_eq!(
            check_rule(
                "InvalidOnbuildTrigger",
                "FROM alpine\nONBUILD ONBUILD RUN x\nONBUILD from alpine\nONBUILD MAINTAINER me\n"
            ),
            [
                "2:9-2:16 Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed",
                "3:9-3:13 FROM isn't allowed as an ONBUILD trigger",
                "4:9-4:19 MAINTAINER isn't allowed as an ONBUILD trigger",
            ]
        );
    }

    #[test]
    fn silent_on_allowed_triggers() {
        assert!(check_rule(
            "InvalidOnbuildTrigger",
            "FROM alpine\nONBUILD COPY . /src\nONBUILD RUN dotnet restore\n"
        )
        .is_empty());
    }
}
