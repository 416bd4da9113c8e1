use super::final_image::{listening_ports, run_as, PortSource, RunAs};
use super::published::published_app;
use crate::declare_rule;
use crate::images::RepoKind;
use crate::rules::{Diagnostics, RuleContext};
use crate::text::TextRange;

declare_rule! {
/// ## What it does
/// Checks that an app running as a non-root user (a USER other than root, or the default
/// user of a chiseled or distroless image) is not configured to listen on a port below
/// 1024: through `ASPNETCORE_URLS`/`DOTNET_URLS` or `ASPNETCORE_HTTP_PORTS`/`HTTP_PORTS`
/// (and their HTTPS forms) in the final image, or through the image's default (port 80
/// before .NET 8).
///
/// ## Why is this bad?
/// Binding a port below 1024 needs root or the `CAP_NET_BIND_SERVICE` capability. Kestrel
/// fails at start with "Permission denied" wherever the container runtime does not lower
/// `net.ipv4.ip_unprivileged_port_start` (Kubernetes, Podman and most hosted platforms by
/// default; Docker Engine 20.10+ does lower it). This is why .NET 8 moved the default port of
/// its images from 80 to 8080.
///
/// ## Example
/// ```dockerfile
/// FROM mcr.microsoft.com/dotnet/aspnet:10.0
/// USER $APP_UID
/// ENV ASPNETCORE_HTTP_PORTS=80
/// ```
///
/// ## Use instead
/// ```dockerfile
/// FROM mcr.microsoft.com/dotnet/aspnet:10.0
/// USER $APP_UID
/// ENV ASPNETCORE_HTTP_PORTS=8080
/// ```
///
/// ## Fix safety
/// The AlignListeningPort quick fix moves the app to 8080 (8443 for 443) in the ENV and the
/// EXPOSEs. Unsafe: clients, port mappings and probes use the old port.
///
/// ## References
/// - [Default ASP.NET Core port changed from 80 to 8080](https://learn.microsoft.com/dotnet/core/compatibility/containers/8.0/aspnet-port)
    PrivilegedPortAsNonRoot {
        severity: Error,
        origin: Dotnet,
        summary: "A non-root app is configured to listen on a port below 1024.",
        fixable: true,
    }
}

pub(crate) fn unprivileged_alternative(port: u16) -> u16 {
    if port == 443 {
        8443
    } else {
        8080
    }
}

impl PrivilegedPortAsNonRoot {
    fn run(ctx: &RuleContext, out: &mut Diagnostics) {
        let Some(app) = published_app(ctx) else {
            return;
        };
        let image = app.runtime.as_ref();
        let RunAs::NonRoot { user, name } = run_as(ctx, app.final_stage, image) else {
            return;
        };
        let Some(ports) = listening_ports(ctx, app.final_stage, image) else {
            return;
        };
        let who = match &user {
            Some(_) => format!("the non-root user {name}"),
            None => format!(
                "the image's non-root user {}",
                name.split(" (").next().unwrap_or(&name)
            ),
        };
        let mut reported: Vec<TextRange> = Vec::new();
        for listening in ports.iter().filter(|p| p.port < 1024) {
            let port = listening.port;
            match &listening.source {
                PortSource::Env {
                    name,
                    value,
                    value_range,
                } => {
                    if reported.contains(value_range) {
                        continue;
                    }
                    reported.push(*value_range);
                    out.report(
                        &Self::META,
                        *value_range,
                        format!(
                            "{name}={value}: the app runs as {who} and cannot bind port {port} (ports below 1024 need root); use {}",
                            unprivileged_alternative(port)
                        ),
                    );
                }
                PortSource::Image {
                    setting,
                    image: image_name,
                } => {
                    let web = match app.project {
                        Some(project) => project.is_web(),
                        None => image.and_then(|i| i.kind()) == Some(RepoKind::Aspnet),
                    };
                    let Some((_, word)) = &user else { continue };
                    if !web || reported.contains(&word.range) {
                        continue;
                    }
                    reported.push(word.range);
                    out.report(
                        &Self::META,
                        word.range,
                        format!(
                            "USER {} cannot bind port {port}, which the app listens on ({setting} set by {image_name}; ports below 1024 need root): set ASPNETCORE_URLS=http://+:{}",
                            word.text,
                            unprivileged_alternative(port)
                        ),
                    );
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::dotnet::test_support::check_rule_in_solution;
    use crate::rules::test_support::check_rule;

    #[test]
    fn reports_port_80_for_app_uid() {
        assert_eq!(
            check_rule_in_solution("PrivilegedPortAsNonRoot", "misconfigured-web", "Dockerfile"),
            ["12:27-12:29 ASPNETCORE_HTTP_PORTS=80: the app runs as the non-root user $APP_UID and cannot bind port 80 (ports below 1024 need root); use 8080"]
        );
    }

    #[test]
    fn urls_chiseled_defaults_and_old_images() {
        assert_eq!(
            check_rule(
                "PrivilegedPortAsNonRoot",
                "FROM mcr.microsoft.com/dotnet/aspnet:10.0-noble-chiseled\nENV ASPNETCORE_URLS=\"http://+:8080;https://+:443\"\n"
            ),
            ["2:21-2:50 ASPNETCORE_URLS=http://+:8080;https://+:443: the app runs as the image's non-root user app and cannot bind port 443 (ports below 1024 need root); use 8443"]
        );
        assert_eq!(
            check_rule(
                "PrivilegedPortAsNonRoot",
                "FROM mcr.microsoft.com/dotnet/aspnet:7.0\nRUN adduser --disabled-password --gecos '' web\nUSER web\n"
            ),
            ["3:6-3:9 USER web cannot bind port 80, which the app listens on (ASPNETCORE_URLS=http://+:80 set by mcr.microsoft.com/dotnet/aspnet:7.0; ports below 1024 need root): set ASPNETCORE_URLS=http://+:8080"]
        );
    }

    #[test]
    fn silent_for_root_and_high_ports() {
        for text in [
            "FROM mcr.microsoft.com/dotnet/aspnet:10.0\nENV ASPNETCORE_URLS=http://+:80\n",
            "FROM mcr.microsoft.com/dotnet/aspnet:10.0\nUSER $APP_UID\nENV ASPNETCORE_HTTP_PORTS=5000\n",
            "FROM mcr.microsoft.com/dotnet/aspnet:10.0\nUSER $APP_UID\n",
            "FROM mcr.microsoft.com/dotnet/aspnet:10.0\nUSER root\nENV HTTP_PORTS=80\n",
        ] {
            assert!(check_rule("PrivilegedPortAsNonRoot", text).is_empty(), "{text}");
        }
        for (fixture, dockerfile) in [
            ("good", "Dockerfile"),
            ("naive-single-stage", "Dockerfile"),
            ("vs-template", "src/Api/Dockerfile"),
        ] {
            assert!(
                check_rule_in_solution("PrivilegedPortAsNonRoot", fixture, dockerfile).is_empty(),
                "{fixture}"
            );
        }
        let good = include_str!("../../../../tests/data/good.Dockerfile");
        assert!(check_rule("PrivilegedPortAsNonRoot", good).is_empty());
    }
}
