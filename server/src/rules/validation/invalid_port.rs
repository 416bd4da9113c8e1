use super::common::word_sub_range;
use crate::declare_rule;
use crate::rules::{Diagnostics, InstructionRule, Interest, RuleContext};
use crate::syntax::{Args, Instruction, Keyword};

declare_rule! {
/// ## What it does
/// Checks each `EXPOSE` port: a number from 0 to 65535 or a range `8000-8010` (low to high),
/// optionally followed by `/tcp`, `/udp` or `/sctp`. Words with variables are skipped.
///
/// ## Why is this bad?
/// BuildKit stops the build with "invalid containerPort" or "invalid proto". (Host-port
/// mappings such as `80:8080` are BuildKit's `ExposeInvalidFormat`, upper-case protocols
/// its `ExposeProtoCasing`.)
///
/// ## Example
/// ```dockerfile
/// EXPOSE 80800
/// EXPOSE 8080/http
/// ```
///
/// ## Use instead
/// ```dockerfile
/// EXPOSE 8080
/// EXPOSE 8080/tcp
/// ```
///
/// ## Fix safety
/// No automatic fix.
    InvalidPort {
        severity: Error,
        origin: Validation,
        summary: "An EXPOSE port or protocol that Docker rejects.",
        hadolint: "DL3011",
        per_instruction: true,
    }
}

impl InstructionRule for InvalidPort {
    fn interest(&self) -> Interest {
        Interest::with_triggers(&[Keyword::Expose])
    }

    fn check_instruction(
        &self,
        ctx: &RuleContext,
        _: usize,
        inst: &Instruction,
        out: &mut Diagnostics,
    ) {
        let (Keyword::Expose, Args::Words(words)) = (inst.keyword, &inst.args) else {
            return;
        };
        for word in words {
            let text = word.text.as_str();
            if text.contains('$') {
                continue;
            }
            // go-connections' ParsePortSpec: [ip:][hostPort:]containerPort[/proto].
            let container_start = text.rfind(':').map_or(0, |i| i + 1);
            let container = &text[container_start..];
            let (port, proto) = match container.split_once('/') {
                Some((p, rest)) => (p, Some(rest.split('/').next().unwrap_or(""))),
                None => (container, None),
            };
            let port_end = container_start + port.len();
            if port.is_empty() {
                out.report(
                    &Self::META,
                    word.range,
                    format!("no port specified: {text}<empty>"),
                );
                continue;
            }
            if let Some(why) = port_problem(port) {
                out.report(
                    &Self::META,
                    word_sub_range(ctx.text, word, container_start, port_end),
                    format!("invalid containerPort: {port} ({why})"),
                );
            }
            if let Some(proto) = proto.filter(|p| !p.is_empty()) {
                let lower = proto.to_ascii_lowercase();
                if !matches!(lower.as_str(), "tcp" | "udp" | "sctp") {
                    let start = port_end + 1;
                    out.report(
                        &Self::META,
                        word_sub_range(ctx.text, word, start, start + proto.len()),
                        format!("invalid proto: {proto} (expected tcp, udp or sctp)"),
                    );
                }
            }
        }
    }
}

fn port_problem(port: &str) -> Option<&'static str> {
    let parse = |s: &str| {
        if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
            return Err("not a number");
        }
        s.parse::<u16>().map_err(|_| "ports are 0-65535")
    };
    match port.split_once('-') {
        None => parse(port).err(),
        Some((low, high)) => match (parse(low), parse(high)) {
            (Err(e), _) | (_, Err(e)) => Some(e),
            (Ok(l), Ok(h)) if h < l => Some("the range must go from low to high"),
            _ => None,
        },
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::check_rule;

    #[test]
    fn reports_bad_ports_and_protocols() {
        assert_eq!(
            check_rule(
                "InvalidPort",
                "FROM alpine\nEXPOSE 80800 http 8080/http 9000-8000 80:abc /udp\n"
            ),
            [
                "2:8-2:13 invalid containerPort: 80800 (ports are 0-65535)",
                "2:14-2:18 invalid containerPort: http (not a number)",
                "2:24-2:28 invalid proto: http (expected tcp, udp or sctp)",
                "2:29-2:38 invalid containerPort: 9000-8000 (the range must go from low to high)",
                "2:42-2:45 invalid containerPort: abc (not a number)",
                "2:46-2:50 no port specified: /udp<empty>",
            ]
        );
    }

    #[test]
    fn silent_on_valid_ports() {
        assert!(check_rule(
            "InvalidPort",
            "FROM alpine\nEXPOSE 8080 8081/tcp 53/UDP 3868/sctp 8000-8010 $PORT ${P:-80}/tcp 80:8080\n"
        )
        .is_empty());
    }
}
