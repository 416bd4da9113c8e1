use super::image_support::{
    insert_before, literal_tcp_port, move_privileged_ports, rewrite_port_value,
};
use super::{ActionContext, CodeAction};
use crate::declare_action;
use crate::ide::TextEdit;
use crate::rules::dotnet::final_image::{listening_ports, ListeningPort, PortSource};
use crate::rules::dotnet::published::published_app;
use crate::rules::RuleContext;

declare_action! {
/// Makes the port the app listens on and the port the image EXPOSEs agree. The quick fix of
///
/// - `ExposedPortMismatch`: EXPOSE the port the app listens on (`EXPOSE 80` -> `EXPOSE 8080`
///   on a .NET 8+ image); or, when the Dockerfile's own ENV sets the listening port and the
///   EXPOSEd port is 1024 or above, make the app listen on the EXPOSEd port instead
///   (preferred when the ENV's port is below 1024, which a non-root app cannot bind);
/// - `PrivilegedPortAsNonRoot`: move the app from ports below 1024 to 8080 (8443 for 443),
///   in the ENV that sets it (or a new `ENV ASPNETCORE_URLS` over the image's port 80 of
///   .NET 7 and earlier) and in the EXPOSEs of those ports.
///
/// ## Before
/// ```dockerfile
/// FROM mcr.microsoft.com/dotnet/aspnet:10.0
/// EXPOSE 80$0
/// ```
///
/// ## After
/// ```dockerfile
/// FROM mcr.microsoft.com/dotnet/aspnet:10.0
/// EXPOSE 8080
/// ```
///
/// ## Fix safety
/// Changing an EXPOSE is safe: it only documents the port. Changing the port the app listens
/// on is unsafe: clients, port mappings and health probes use the old one.
    AlignListeningPort { expensive: false }
}

impl AlignListeningPort {
    fn run(ctx: &ActionContext, out: &mut Vec<CodeAction>) {
        let exposed: Vec<_> = ctx.diagnostics("ExposedPortMismatch").collect();
        let privileged: Vec<_> = ctx.diagnostics("PrivilegedPortAsNonRoot").collect();
        if exposed.is_empty() && privileged.is_empty() {
            return;
        }
        let rctx = ctx.rule_context();
        let Some(app) = published_app(&rctx) else {
            return;
        };
        let final_stage = app.final_stage;
        let image = app.runtime.as_ref();
        if !exposed.is_empty() {
            if let Some(listening) = listening_ports(&rctx, final_stage, image) {
                let mismatched = mismatched_words(ctx, &exposed);
                for diagnostic in &exposed {
                    let Some(position) = mismatched
                        .iter()
                        .position(|(range, _, _)| *range == diagnostic.range)
                    else {
                        continue;
                    };
                    let (_, exposed_port, suffix) = &mismatched[position];
                    let listen_fix =
                        listen_on_exposed(&rctx, &listening, *exposed_port).map(|edit| {
                            CodeAction::quick_fix(
                                &Self::META,
                                diagnostic,
                                format!(
                                    "Listen on {exposed_port}, the EXPOSEd port, instead of {}",
                                    listening.first().map_or(0, |l| l.port)
                                ),
                                vec![edit],
                            )
                            .unsafe_fix()
                        });
                    let listens_privileged = listening.first().is_some_and(|l| l.port < 1024);
                    // The n-th mismatched EXPOSE takes the n-th listening port, so fixing
                    // `EXPOSE 80 443` does not expose one port twice.
                    let expose_fix = listening.get(position).map(|port| {
                        CodeAction::quick_fix(
                            &Self::META,
                            diagnostic,
                            format!("Expose {}, the port the app listens on", port.port),
                            vec![TextEdit::replace(
                                diagnostic.range,
                                format!("{}{suffix}", port.port),
                            )],
                        )
                    });
                    match (listen_fix, expose_fix) {
                        (Some(listen), expose) if listens_privileged => {
                            out.push(listen.preferred());
                            out.extend(expose);
                        }
                        (listen, Some(expose)) => {
                            out.push(expose.preferred());
                            out.extend(listen);
                        }
                        (listen, None) => out.extend(listen),
                    }
                }
            }
        }
        for diagnostic in privileged {
            let Some(ports) = move_privileged_ports(&rctx, final_stage, image) else {
                continue;
            };
            if ports.moved.is_empty() {
                continue;
            }
            let mut edits = ports.edits.clone();
            if let Some(env) = &ports.new_env {
                let Some((index, _)) = ctx.instruction_containing(diagnostic.range.start()) else {
                    continue;
                };
                edits.extend(insert_before(ctx, index, std::slice::from_ref(env)));
            }
            edits.sort_by_key(|e| e.range.start());
            out.push(
                CodeAction::quick_fix(
                    &Self::META,
                    diagnostic,
                    format!("Move the app from {}", ports.describe()),
                    edits,
                )
                .preferred()
                .unsafe_fix(),
            );
        }
    }
}

/// The reported EXPOSE words in source order: range, port and protocol suffix.
fn mismatched_words(
    ctx: &ActionContext,
    reported: &[&crate::analysis::Diagnostic],
) -> Vec<(crate::text::TextRange, u16, String)> {
    let mut words: Vec<_> = reported
        .iter()
        .filter_map(|d| {
            let (_, inst) = ctx.instruction_containing(d.range.start())?;
            let word = inst.arg_words().into_iter().find(|w| w.range == d.range)?;
            let (port, suffix) = literal_tcp_port(ctx.text(), word)?;
            Some((d.range, port, suffix.to_string()))
        })
        .collect();
    words.sort_by_key(|(range, _, _)| range.start());
    words
}

/// Rewrites the ENV that sets the (single) listening port to `exposed`, when the
/// Dockerfile sets it and a non-root app may bind `exposed`.
fn listen_on_exposed(
    rctx: &RuleContext,
    listening: &[ListeningPort],
    exposed: u16,
) -> Option<TextEdit> {
    if exposed < 1024 {
        return None;
    }
    let [ListeningPort {
        port,
        source: PortSource::Env {
            name, value_range, ..
        },
    }] = listening
    else {
        return None;
    };
    let raw = rctx.text.get(value_range.as_range())?;
    let new_value = rewrite_port_value(name, raw, |p| if p == *port { exposed } else { p })?;
    Some(TextEdit::replace(*value_range, new_value))
}

#[cfg(test)]
mod tests {
    use crate::actions::test_support::{
        check_action, check_action_titled, check_action_with, check_not_applicable, offered_titles,
        solution_env,
    };
    use crate::actions::Safety;
    use crate::rules::dotnet::test_support::fixture_dir;
    use crate::rules::test_support::test_env;

    const NAME: &str = "AlignListeningPort";

    #[test]
    fn exposes_the_port_of_a_dotnet_8_image() {
        let action = check_action(
            NAME,
            "FROM mcr.microsoft.com/dotnet/aspnet:8.0\nEXPOSE 80$0\n",
            "FROM mcr.microsoft.com/dotnet/aspnet:8.0\nEXPOSE 8080\n",
        );
        assert_eq!(action.title, "Expose 8080, the port the app listens on");
        assert_eq!(action.safety, Safety::Safe);
        assert!(action.preferred);
    }

    #[test]
    fn several_mismatched_ports_take_the_listening_ports_in_order() {
        let text = "FROM mcr.microsoft.com/dotnet/aspnet:10.0\nENV ASPNETCORE_HTTPS_PORTS=8443\nEXPOSE 80 443/tcp$0\n";
        assert_eq!(
            offered_titles(&test_env(), NAME, text),
            [
                "Expose 8080, the port the app listens on",
                "Expose 8443, the port the app listens on"
            ]
        );
        check_action_titled(
            NAME,
            "Expose 8443, the port the app listens on",
            text,
            "FROM mcr.microsoft.com/dotnet/aspnet:10.0\nENV ASPNETCORE_HTTPS_PORTS=8443\nEXPOSE 80 8443/tcp\n",
        );
    }

    #[test]
    fn env_on_a_privileged_port_prefers_listening_on_the_exposed_one() {
        let root = fixture_dir("misconfigured-web");
        let env = solution_env(&root, "Dockerfile");
        let text = std::fs::read_to_string(root.join("Dockerfile")).expect("fixture Dockerfile");
        let before = text.replace("EXPOSE 8080", "EXPOSE 8080$0");
        assert_eq!(
            offered_titles(&env, NAME, &before),
            [
                "Listen on 8080, the EXPOSEd port, instead of 80",
                "Expose 80, the port the app listens on",
            ]
        );
        let action = check_action_with(
            &env,
            NAME,
            Some("Listen on 8080, the EXPOSEd port, instead of 80"),
            &before,
            &text.replace("ASPNETCORE_HTTP_PORTS=80", "ASPNETCORE_HTTP_PORTS=8080"),
        );
        assert!(action.preferred);
        assert_eq!(action.safety, Safety::Unsafe);
    }

    #[test]
    fn moves_a_non_root_app_off_privileged_ports() {
        let action = check_action_titled(
            NAME,
            "Move the app from ports 80 and 443 to 8080 and 8443",
            "FROM mcr.microsoft.com/dotnet/aspnet:10.0-noble-chiseled\nENV ASPNETCORE_URLS=\"http://+:80;https://+:443\"$0\nEXPOSE 80 443\n",
            "FROM mcr.microsoft.com/dotnet/aspnet:10.0-noble-chiseled\nENV ASPNETCORE_URLS=\"http://+:8080;https://+:8443\"\nEXPOSE 8080 8443\n",
        );
        assert!(action.preferred);
        check_action(
            NAME,
            "FROM mcr.microsoft.com/dotnet/aspnet:7.0\nRUN adduser --disabled-password --gecos '' web\n# drop root\nUSER web$0\n",
            "FROM mcr.microsoft.com/dotnet/aspnet:7.0\nRUN adduser --disabled-password --gecos '' web\nENV ASPNETCORE_URLS=http://+:8080\n# drop root\nUSER web\n",
        );
    }

    #[test]
    fn not_offered_without_a_finding() {
        check_not_applicable(
            NAME,
            "FROM mcr.microsoft.com/dotnet/aspnet:10.0\nEXPOSE 8080$0\n",
        );
        check_not_applicable(
            NAME,
            "FROM mcr.microsoft.com/dotnet/aspnet:10.0\nARG P\nEXPOSE $P$0\n",
        );
    }
}
