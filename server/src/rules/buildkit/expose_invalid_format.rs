use super::support::{for_each_exposed_port, walk_stages};
use crate::declare_rule;
use crate::rules::{Diagnostics, RuleContext};
use crate::syntax::Keyword;

declare_rule! {
/// ## What it does
/// Checks that `EXPOSE` names container ports only, without an IP address or a host port
/// (`EXPOSE 127.0.0.1:8080:8080`, `EXPOSE 80:8080`). BuildKit warns that this will become
/// an error.
///
/// ## Why is this bad?
/// `EXPOSE` documents which ports the container listens on; it never publishes them. Host
/// ports and addresses are chosen when the container runs (`docker run -p 80:8080`,
/// Compose `ports:`), so writing them here suggests a mapping that does not happen.
///
/// ## Example
/// ```dockerfile
/// EXPOSE 80:8080
/// ```
///
/// ## Use instead
/// ```dockerfile
/// EXPOSE 8080
/// ```
///
/// ## Fix safety
/// No automatic fix yet. Keeping only the container port does not change the image's
/// metadata.
///
/// ## References
/// - BuildKit's `linter/ruleset.go` (`RuleExposeInvalidFormat`)
    ExposeInvalidFormat {
        severity: Warning,
        origin: BuildKit,
        summary: "IP address and host-port mapping should not be used in EXPOSE instruction. This will become an error in a future release.",
    }
}

impl ExposeInvalidFormat {
    fn run(ctx: &RuleContext, out: &mut Diagnostics) {
        walk_stages(ctx, &[Keyword::Expose], |_, _, inst, state| {
            if inst.keyword != Keyword::Expose {
                return;
            }
            for_each_exposed_port(inst, state, |port| {
                if port.has_ip_or_host_port {
                    out.report(
                        &Self::META,
                        port.range,
                        format!(
                            "EXPOSE instruction should not define an IP address or host-port mapping, found '{}'",
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
    fn reports_addresses_and_host_ports() {
        assert_eq!(
            check_rule(
                "ExposeInvalidFormat",
                "FROM alpine\nEXPOSE 127.0.0.1:80:80 8080:8080/udp [::1]:443:443\n"
            ),
            [
                "2:8-2:23 EXPOSE instruction should not define an IP address or host-port mapping, found '127.0.0.1:80:80'",
                "2:24-2:37 EXPOSE instruction should not define an IP address or host-port mapping, found '8080:8080/udp'",
                "2:38-2:51 EXPOSE instruction should not define an IP address or host-port mapping, found '[::1]:443:443'",
            ]
        );
    }

    #[test]
    fn stops_at_the_first_port_the_builder_rejects() {
        assert_eq!(
            check_rule(
                "ExposeInvalidFormat",
                "FROM alpine\nEXPOSE 1:80/bogus 2:81\n"
            ),
            Vec::<String>::new()
        );
        assert_eq!(
            check_rule("ExposeInvalidFormat", "FROM alpine\nEXPOSE 1:99999 2:81\n"),
            ["2:8-2:15 EXPOSE instruction should not define an IP address or host-port mapping, found '1:99999'"]
        );
    }

    #[test]
    fn accepts_container_ports() {
        assert!(check_rule(
            "ExposeInvalidFormat",
            "FROM mcr.microsoft.com/dotnet/aspnet:10.0\nEXPOSE 8080 8081/tcp 9000-9010/udp\n"
        )
        .is_empty());
    }
}
