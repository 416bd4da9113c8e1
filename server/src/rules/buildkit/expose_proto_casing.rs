use super::support::{for_each_exposed_port, is_lower, walk_stages};
use crate::declare_rule;
use crate::rules::{Diagnostics, RuleContext};
use crate::syntax::Keyword;

declare_rule! {
/// ## What it does
/// Checks that the protocol of an `EXPOSE` port is lower case: `8080/tcp`, not `8080/TCP`.
///
/// ## Why is this bad?
/// The protocol is case-insensitive for the builder, but upper case is inconsistent with
/// how images and tools record ports (`8080/tcp`).
///
/// ## Example
/// ```dockerfile
/// EXPOSE 8080/TCP
/// ```
///
/// ## Use instead
/// ```dockerfile
/// EXPOSE 8080/tcp
/// ```
///
/// ## Fix safety
/// The quick fix (action `FixCasing`) lower-cases the protocol; it is safe.
///
/// ## References
/// - BuildKit's `linter/ruleset.go` (`RuleExposeProtoCasing`)
    ExposeProtoCasing {
        severity: Warning,
        origin: BuildKit,
        summary: "Protocol in EXPOSE instruction should be lowercase.",
        fixable: true,
    }
}

impl ExposeProtoCasing {
    fn run(ctx: &RuleContext, out: &mut Diagnostics) {
        walk_stages(ctx, &[Keyword::Expose], |_, _, inst, state| {
            if inst.keyword != Keyword::Expose {
                return;
            }
            for_each_exposed_port(inst, state, |port| {
                if !is_lower(port.proto) {
                    out.report(
                        &Self::META,
                        port.range,
                        format!(
                            "Defined protocol '{}' in EXPOSE instruction should be lowercase",
                            port.raw
                        ),
                    );
                }
            });
        });
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::check_rule;

    #[test]
    fn reports_upper_case_protocols() {
        assert_eq!(
            check_rule(
                "ExposeProtoCasing",
                "FROM alpine\nARG PORTS=\"53/UDP 80/tcp\"\nEXPOSE 8080/TCP $PORTS 81/Tcp\n"
            ),
            [
                "3:8-3:16 Defined protocol '8080/TCP' in EXPOSE instruction should be lowercase",
                "3:17-3:23 Defined protocol '53/UDP' in EXPOSE instruction should be lowercase",
                "3:24-3:30 Defined protocol '81/Tcp' in EXPOSE instruction should be lowercase",
            ]
        );
    }

    #[test]
    fn accepts_lower_case_and_unknown_values() {
        assert!(check_rule(
            "ExposeProtoCasing",
            "FROM mcr.microsoft.com/dotnet/aspnet:10.0\nARG PORT\nEXPOSE 8080 8081/udp $PORT $ASPNETCORE_HTTP_PORTS\n"
        )
        .is_empty());
    }
}
