use super::common::{flag_kind, flag_name_span, is_healthcheck_none, uses_labs_syntax, FlagKind};
use super::go_values::{parse_go_duration, parse_int32_error};
use super::reference::check_image_reference;
use crate::declare_rule;
use crate::rules::suppression::did_you_mean;
use crate::rules::{Diagnostics, InstructionRule, Interest, RuleContext};
use crate::syntax::{Flag, Instruction, Keyword};

declare_rule! {
/// ## What it does
/// Checks the values of known flags the way BuildKit reads them:
/// - a flag that needs a value has one (`--from`, not `--from` alone);
/// - `--link`, `--parents`, `--keep-git-dir`, `--unpack` are `true` or `false`;
/// - `RUN --network` is `default`, `none` or `host`; `RUN --security` is `sandbox` or `insecure`;
/// - `--chmod` is an octal mode up to `07777` (or a symbolic mode such as `u+x`);
/// - `ADD --checksum` is a digest such as `sha256:<64 hex digits>`;
/// - `FROM --platform` is a known `os/arch[/variant]`;
/// - `COPY --from` is a stage name, a stage index or a valid image reference;
/// - `HEALTHCHECK` durations are Go durations (`30s`, `1m30s`) of at least 1ms, and
///   `--retries` is a non-negative integer.
///
/// `--mount` specifications are checked by `InvalidMount`. Values with `$` variables are
/// left alone where BuildKit expands them; HEALTHCHECK flags are never expanded.
///
/// ## Why is this bad?
/// BuildKit refuses the instruction, with messages such as "time: missing unit in duration
/// \"30\"" or "expecting boolean value for flag link, not: yes".
///
/// ## Example
/// ```dockerfile
/// HEALTHCHECK --interval=30 --retries=three CMD curl -f http://localhost:8080/healthz
/// COPY --link=yes --from=build /app/publish .
/// ```
///
/// ## Use instead
/// ```dockerfile
/// HEALTHCHECK --interval=30s --retries=3 CMD curl -f http://localhost:8080/healthz
/// COPY --link --from=build /app/publish .
/// ```
///
/// ## Fix safety
/// No automatic fix.
    InvalidFlagValue {
        severity: Error,
        origin: Validation,
        summary: "A flag value that BuildKit rejects.",
        per_instruction: true,
    }
}

impl InstructionRule for InvalidFlagValue {
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
        if is_healthcheck_none(inst) {
            return;
        }
        for flag in &inst.flags {
            let Some(kind) = flag_kind(inst.keyword, labs, &flag.name) else {
                continue;
            };
            if let Some(message) = problem(inst.keyword, kind, flag) {
                let range = match &flag.value {
                    Some(v) if !v.text.is_empty() => v.range,
                    _ => flag_name_span(flag),
                };
                out.report(&Self::META, range, message);
            }
        }
    }
}

fn problem(keyword: Keyword, kind: FlagKind, flag: &Flag) -> Option<String> {
    let name = flag.name.as_str();
    let value = match (&flag.value, kind) {
        (None, FlagKind::Bool) => return None,
        (None, _) => return Some(format!("missing a value on flag: --{name}")),
        (Some(v), FlagKind::Bool) if v.text.is_empty() => {
            return Some(format!("missing a value on flag: --{name}"))
        }
        (Some(v), _) => v.text.as_str(),
    };
    if kind == FlagKind::Bool {
        let lower = value.to_ascii_lowercase();
        return (lower != "true" && lower != "false").then(|| {
            format!("expecting boolean value for flag --{name}, not: {value} (use true or false)")
        });
    }
    if keyword == Keyword::Healthcheck {
        return healthcheck_problem(name, value);
    }
    // BuildKit expands variables in the remaining flags before it reads them.
    if value.contains('$') {
        return None;
    }
    match (keyword, name) {
        (Keyword::Run, "network") => one_of("network mode", value, &["default", "none", "host"]),
        (Keyword::Run, "security") => one_of("security mode", value, &["sandbox", "insecure"]),
        (Keyword::Copy | Keyword::Add, "chmod") => (!valid_chmod(value)).then(|| {
            format!(
                "invalid chmod parameter {value}: use an octal mode such as 755 (at most 07777) or a symbolic mode such as u+x"
            )
        }),
        (Keyword::Add, "checksum") => (!valid_checksum(value)).then(|| {
            format!(
                "invalid checksum digest format {value}: expected `sha256:` followed by 64 hexadecimal digits (or a git commit hash)"
            )
        }),
        (Keyword::From, "platform") => platform_problem(value),
        (Keyword::Copy, "from") => from_problem(value),
        _ => None,
    }
}

fn one_of(what: &str, value: &str, allowed: &[&str]) -> Option<String> {
    if allowed.contains(&value) {
        return None;
    }
    let hint = did_you_mean(value, allowed.iter().copied())
        .map(|s| format!(" (did you mean {s}?)"))
        .unwrap_or_else(|| format!(" (expected one of: {})", allowed.join(", ")));
    Some(format!("unsupported {what} \"{value}\"{hint}"))
}

fn healthcheck_problem(name: &str, value: &str) -> Option<String> {
    if value.is_empty() {
        // BuildKit treats an empty value as "not set".
        return None;
    }
    if name == "retries" {
        if let Some(error) = parse_int32_error(value) {
            return Some(error);
        }
        return value
            .parse::<i64>()
            .ok()
            .filter(|&n| n < 0)
            .map(|n| format!("--retries cannot be negative ({n})"));
    }
    let note = if value.contains('$') {
        " (HEALTHCHECK flags are not expanded)"
    } else {
        ""
    };
    match parse_go_duration(value) {
        Err(error) => Some(format!("{error}{note}")),
        Ok(0) => None,
        Ok(d) if d < 1_000_000 => Some(format!("Interval \"{name}\" cannot be less than 1ms")),
        Ok(_) => None,
    }
}

/// Octal up to 07777, or symbolic clauses such as `u+x,go-w`.
fn valid_chmod(value: &str) -> bool {
    if !value.is_empty() && value.bytes().all(|b| (b'0'..=b'7').contains(&b)) {
        return u32::from_str_radix(value, 8).is_ok_and(|m| m <= 0o7777);
    }
    !value.is_empty()
        && value.split(',').all(|clause| {
            let who_len = clause.bytes().take_while(|b| b"ugoa".contains(b)).count();
            let rest = &clause[who_len..];
            !rest.is_empty()
                && rest.starts_with(['+', '-', '='])
                && rest.bytes().all(|b| b"+-=rwxXstugo".contains(&b))
        })
}

fn valid_checksum(value: &str) -> bool {
    let hex = |s: &str, lens: &[usize]| {
        lens.contains(&s.len()) && s.bytes().all(|b| b.is_ascii_hexdigit())
    };
    match value.split_once(':') {
        Some(("sha256", h)) => hex(h, &[64]),
        Some(("sha384", h)) => hex(h, &[96]),
        Some(("sha512", h)) => hex(h, &[128]),
        Some(_) => false,
        // A git commit for `ADD <git url>`.
        None => hex(value, &[40, 64]),
    }
}

const KNOWN_OS: &[&str] = &[
    "aix",
    "android",
    "darwin",
    "dragonfly",
    "freebsd",
    "hurd",
    "illumos",
    "ios",
    "js",
    "linux",
    "nacl",
    "netbsd",
    "openbsd",
    "plan9",
    "solaris",
    "wasip1",
    "windows",
    "zos",
];

const KNOWN_ARCH: &[&str] = &[
    "386",
    "amd64",
    "amd64p32",
    "arm",
    "armbe",
    "arm64",
    "arm64be",
    "loong64",
    "mips",
    "mipsle",
    "mips64",
    "mips64le",
    "mips64p32",
    "mips64p32le",
    "ppc",
    "ppc64",
    "ppc64le",
    "riscv",
    "riscv64",
    "s390",
    "s390x",
    "sparc",
    "sparc64",
    "wasm",
    // Aliases containerd normalises.
    "i386",
    "x86_64",
    "x86-64",
    "aarch64",
    "armhf",
    "armel",
];

fn platform_problem(value: &str) -> Option<String> {
    let lower = value.to_ascii_lowercase();
    let parts: Vec<&str> = lower.split('/').collect();
    let bad = |part: &str, list: &[&str], what: &str| {
        let hint = did_you_mean(part, list.iter().copied())
            .map(|s| format!(" (did you mean {s}?)"))
            .unwrap_or_default();
        Some(format!(
            "\"{value}\": unknown {what} `{part}`{hint}; platforms look like linux/amd64 or linux/arm64"
        ))
    };
    match parts.as_slice() {
        [single] => {
            if KNOWN_OS.contains(single) || KNOWN_ARCH.contains(single) {
                None
            } else {
                bad(single, KNOWN_OS, "operating system or architecture")
            }
        }
        [os, arch] | [os, arch, _] => {
            // `windows(10.0.17763)/amd64` carries an OS version.
            let os_name = os.split('(').next().unwrap_or(os);
            if !KNOWN_OS.contains(&os_name) {
                bad(os_name, KNOWN_OS, "operating system")
            } else if !KNOWN_ARCH.contains(arch) {
                bad(arch, KNOWN_ARCH, "architecture")
            } else {
                None
            }
        }
        _ => Some(format!(
            "\"{value}\": invalid platform; platforms look like linux/amd64 or linux/arm64/v8"
        )),
    }
}

fn from_problem(value: &str) -> Option<String> {
    if value.is_empty() || value.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    // Bare names are stages (UndefinedStage checks them); anything else is an image.
    let looks_like_image = value.contains(['/', ':', '.', '@']);
    let starts_ok = value.as_bytes()[0].is_ascii_alphanumeric();
    if !looks_like_image && starts_ok {
        return None;
    }
    check_image_reference(value)
        .err()
        .map(|why| format!("invalid from flag value {value}: invalid reference format: {why}"))
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::check_rule;

    #[test]
    fn reports_bad_values() {
        let text = "FROM --platform=linux/amd65 alpine AS build\n\
                    COPY --link=yes --from --chmod=999 /a /b\n\
                    COPY --from=-build --parents= /a /b\n\
                    ADD --checksum=md5:abc --keep-git-dir=no /a /b\n\
                    RUN --network=hots --security=unsafe echo\n\
                    HEALTHCHECK --interval=30 --timeout=5sec --start-period=0.5ms --retries=three CMD true\n\
                    HEALTHCHECK --retries=-1 --start-interval=$X CMD true\n\
                    COPY --from=MyRegistry.io/App:1 /a /b\n";
        assert_eq!(
            check_rule("InvalidFlagValue", text),
            [
                "1:17-1:28 \"linux/amd65\": unknown architecture `amd65` (did you mean amd64?); platforms look like linux/amd64 or linux/arm64",
                "2:13-2:16 expecting boolean value for flag --link, not: yes (use true or false)",
                "2:17-2:23 missing a value on flag: --from",
                "2:32-2:35 invalid chmod parameter 999: use an octal mode such as 755 (at most 07777) or a symbolic mode such as u+x",
                "3:13-3:19 invalid from flag value -build: invalid reference format: `-build` is not a valid repository name component (lower-case letters and digits, separated by `.`, `_`, `__` or `-`)",
                "3:20-3:29 missing a value on flag: --parents",
                "4:16-4:23 invalid checksum digest format md5:abc: expected `sha256:` followed by 64 hexadecimal digits (or a git commit hash)",
                "4:39-4:41 expecting boolean value for flag --keep-git-dir, not: no (use true or false)",
                "5:15-5:19 unsupported network mode \"hots\" (did you mean host?)",
                "5:31-5:37 unsupported security mode \"unsafe\" (expected one of: sandbox, insecure)",
                "6:24-6:26 time: missing unit in duration \"30\"",
                "6:37-6:41 time: unknown unit \"sec\" in duration \"5sec\"",
                "6:57-6:62 Interval \"start-period\" cannot be less than 1ms",
                "6:73-6:78 strconv.ParseInt: parsing \"three\": invalid syntax",
                "7:23-7:25 --retries cannot be negative (-1)",
                "7:43-7:45 time: invalid duration \"$X\" (HEALTHCHECK flags are not expanded)",
                "8:13-8:32 invalid from flag value MyRegistry.io/App:1: invalid reference format: repository name (App) must be lowercase",
            ]
        );
    }

    #[test]
    fn silent_on_valid_values() {
        let text = "ARG PLATFORM=linux/arm64\n\
                    FROM --platform=$BUILDPLATFORM alpine AS build\n\
                    FROM --platform=linux/arm64/v8 alpine\n\
                    COPY --link --link=false --from=build --chmod=0755 --chown=app:app /a /b\n\
                    COPY --chmod=u+x,go-w --from=0 --from=mcr.microsoft.com/dotnet/sdk:10.0 /a /b\n\
                    ADD --checksum=sha256:24454f830cdb571e2c4ad15481119c43b3cafd48dd869a9b2945d1036d1dc68d https://x/y /z\n\
                    RUN --network=none --security=insecure --network=$NET echo\n\
                    HEALTHCHECK --interval=1m30s --timeout=0 --start-period=5s --start-interval=500ms --retries=0 CMD true\n";
        assert!(check_rule("InvalidFlagValue", text).is_empty());
    }
}
