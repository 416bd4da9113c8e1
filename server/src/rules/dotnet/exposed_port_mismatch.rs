use super::final_image::{listening_ports, ListeningPort};
use super::published::{final_image_instructions, published_app};
use crate::declare_rule;
use crate::images::RepoKind;
use crate::model::unquote;
use crate::rules::{Diagnostics, RuleContext};
use crate::syntax::{Args, Keyword, Word};

declare_rule! {
/// ## What it does
/// Checks that the ports the final image EXPOSEs include the port the ASP.NET Core app
/// listens on: 8080 on the .NET 8+ images (their `ASPNETCORE_HTTP_PORTS`), 80 before, or
/// what the final image's ENV sets (`ASPNETCORE_URLS`, `ASPNETCORE_HTTP_PORTS`,
/// `HTTP_PORTS`, and the HTTPS forms). Only judged for ASP.NET Core apps (or, without the
/// solution, `aspnet` images), and only when no EXPOSEd TCP port matches: extra ports such
/// as the Visual Studio template's 8081 are fine.
///
/// ## Why is this bad?
/// EXPOSE documents the port and is what `docker run -P`, Compose and many platforms use to
/// route traffic. `EXPOSE 80` on a .NET 8 image, whose app listens on 8080, sends every
/// request to a port nobody listens on: the container runs and answers nothing.
///
/// ## Example
/// ```dockerfile
/// FROM mcr.microsoft.com/dotnet/aspnet:10.0
/// EXPOSE 80
/// ```
///
/// ## Use instead
/// ```dockerfile
/// FROM mcr.microsoft.com/dotnet/aspnet:10.0
/// EXPOSE 8080
/// ```
///
/// ## Fix safety
/// The AlignListeningPort quick fix EXPOSEs the port the app listens on (safe: EXPOSE only
/// documents it), or makes the app listen on the EXPOSEd port when the Dockerfile's ENV sets
/// a port below 1024 (unsafe: clients and probes use the old port).
///
/// ## References
/// - [Default ASP.NET Core port changed from 80 to 8080](https://learn.microsoft.com/dotnet/core/compatibility/containers/8.0/aspnet-port)
    ExposedPortMismatch {
        severity: Warning,
        origin: Dotnet,
        summary: "EXPOSE differs from the port the app listens on.",
        fixable: true,
    }
}

/// A TCP port or port range of an EXPOSE, with its word.
struct Exposed {
    word: Word,
    low: u16,
    high: u16,
}

fn exposed_ports(ctx: &RuleContext, final_stage: usize) -> Option<Vec<Exposed>> {
    let mut out = Vec::new();
    for (stage, idx) in final_image_instructions(ctx.model, final_stage) {
        let Some(inst) = ctx.tree.instructions.get(idx) else {
            continue;
        };
        if inst.keyword != Keyword::Expose {
            continue;
        }
        let Args::Words(words) = &inst.args else {
            continue;
        };
        for word in words {
            let expanded = ctx.model.expand_at(stage, idx, &word.text);
            if !expanded.is_complete() {
                return None;
            }
            let text = unquote(&expanded.text);
            let (ports, protocol) = text.split_once('/').unwrap_or((&text, "tcp"));
            if !protocol.eq_ignore_ascii_case("tcp") {
                continue;
            }
            let (low, high) = ports.split_once('-').unwrap_or((ports, ports));
            let (Ok(low), Ok(high)) = (low.parse::<u16>(), high.parse::<u16>()) else {
                // Malformed ports are ExposeInvalidFormat's and InvalidPort's findings.
                continue;
            };
            out.push(Exposed {
                word: word.clone(),
                low,
                high,
            });
        }
    }
    Some(out)
}

fn describe(ports: &[ListeningPort]) -> String {
    let numbers: Vec<String> = ports.iter().map(|p| p.port.to_string()).collect();
    let mut sources: Vec<String> = Vec::new();
    for p in ports {
        let described = p.source.describe();
        if !sources.contains(&described) {
            sources.push(described);
        }
    }
    format!("{} ({})", numbers.join(" and "), sources.join(", "))
}

impl ExposedPortMismatch {
    fn run(ctx: &RuleContext, out: &mut Diagnostics) {
        let Some(app) = published_app(ctx) else {
            return;
        };
        let image = app.runtime.as_ref();
        let web = match app.project {
            Some(project) => project.is_web(),
            None => image.and_then(|i| i.kind()) == Some(RepoKind::Aspnet),
        };
        if !web {
            return;
        }
        let Some(exposed) = exposed_ports(ctx, app.final_stage) else {
            return;
        };
        if exposed.is_empty() {
            return;
        }
        let Some(listening) = listening_ports(ctx, app.final_stage, image) else {
            return;
        };
        if listening.is_empty()
            || exposed
                .iter()
                .any(|e| listening.iter().any(|l| (e.low..=e.high).contains(&l.port)))
        {
            return;
        }
        let listens = describe(&listening);
        for e in &exposed {
            out.report(
                &Self::META,
                e.word.range,
                format!("EXPOSE {}, but the app listens on {listens}", e.word.text),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::dotnet::test_support::check_rule_in_solution;
    use crate::rules::test_support::check_rule;

    #[test]
    fn reports_an_expose_the_env_contradicts() {
        assert_eq!(
            check_rule_in_solution("ExposedPortMismatch", "misconfigured-web", "Dockerfile"),
            ["13:8-13:12 EXPOSE 8080, but the app listens on 80 (ENV ASPNETCORE_HTTP_PORTS=80)"]
        );
    }

    #[test]
    fn image_defaults_before_and_after_dotnet_8() {
        assert_eq!(
            check_rule(
                "ExposedPortMismatch",
                "FROM mcr.microsoft.com/dotnet/aspnet:8.0\nEXPOSE 80\nEXPOSE 443/tcp 5000/udp\n"
            ),
            [
                "2:8-2:10 EXPOSE 80, but the app listens on 8080 (ASPNETCORE_HTTP_PORTS=8080 set by mcr.microsoft.com/dotnet/aspnet:8.0)",
                "3:8-3:15 EXPOSE 443/tcp, but the app listens on 8080 (ASPNETCORE_HTTP_PORTS=8080 set by mcr.microsoft.com/dotnet/aspnet:8.0)"
            ]
        );
        assert_eq!(
            check_rule(
                "ExposedPortMismatch",
                "FROM mcr.microsoft.com/dotnet/aspnet:6.0\nEXPOSE 8080\n"
            ),
            ["2:8-2:12 EXPOSE 8080, but the app listens on 80 (ASPNETCORE_URLS=http://+:80 set by mcr.microsoft.com/dotnet/aspnet:6.0)"]
        );
        assert_eq!(
            check_rule(
                "ExposedPortMismatch",
                "FROM mcr.microsoft.com/dotnet/aspnet:10.0\nENV ASPNETCORE_HTTPS_PORTS=8443\nEXPOSE 80\n"
            ),
            ["3:8-3:10 EXPOSE 80, but the app listens on 8080 and 8443 (ASPNETCORE_HTTP_PORTS=8080 set by mcr.microsoft.com/dotnet/aspnet:10.0, ENV ASPNETCORE_HTTPS_PORTS=8443)"]
        );
    }

    #[test]
    fn silent_when_one_exposed_port_matches() {
        for text in [
            "FROM mcr.microsoft.com/dotnet/aspnet:10.0\nEXPOSE 8080 8081\n",
            "FROM mcr.microsoft.com/dotnet/aspnet:10.0\nENV ASPNETCORE_URLS=http://+:5000\nEXPOSE 5000\n",
            "FROM mcr.microsoft.com/dotnet/aspnet:10.0\nEXPOSE 8000-9000\n",
            "FROM mcr.microsoft.com/dotnet/runtime:10.0\nEXPOSE 80\n",
            "FROM mcr.microsoft.com/dotnet/aspnet:10.0\nARG PORT\nEXPOSE $PORT\n",
            "FROM mcr.microsoft.com/dotnet/aspnet:10.0\n",
        ] {
            assert!(check_rule("ExposedPortMismatch", text).is_empty(), "{text}");
        }
        for (fixture, dockerfile) in [
            ("good", "Dockerfile"),
            ("naive-single-stage", "Dockerfile"),
            ("vs-template", "src/Api/Dockerfile"),
            ("compose-app", "src/Api/Dockerfile"),
        ] {
            assert!(
                check_rule_in_solution("ExposedPortMismatch", fixture, dockerfile).is_empty(),
                "{fixture}"
            );
        }
        let good = include_str!("../../../../tests/data/good.Dockerfile");
        assert!(check_rule("ExposedPortMismatch", good).is_empty());
    }
}
