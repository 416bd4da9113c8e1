use super::common::{flag_name_span, word_sub_range};
use super::go_values::parse_go_bool;
use crate::declare_rule;
use crate::rules::suppression::did_you_mean;
use crate::rules::{Diagnostics, InstructionRule, Interest, RuleContext};
use crate::syntax::{Instruction, Keyword, Word};
use crate::text::TextRange;

declare_rule! {
/// ## What it does
/// Checks each `RUN --mount=` specification the way BuildKit parses it: the `type` is `bind`,
/// `cache`, `tmpfs`, `secret` or `ssh`; every field is a key the type accepts; `mode`, `uid`,
/// `gid`, `sharing`, `ro`/`rw`/`required` have valid values; `bind`, `cache` and `tmpfs`
/// mounts have a `target`; a secret mount has no `from` and not both `source` and `id`.
///
/// ## Why is this bad?
/// BuildKit refuses the instruction ("unexpected key 'dest' in 'dest=/root/.nuget'",
/// "unsupported mount type \"cahce\""). A cache mount without a target cannot be mounted.
///
/// ## Example
/// ```dockerfile
/// RUN --mount=type=cahce,dest=/root/.nuget/packages dotnet restore
/// ```
///
/// ## Use instead
/// ```dockerfile
/// RUN --mount=type=cache,id=nuget,target=/root/.nuget/packages dotnet restore
/// ```
///
/// ## Fix safety
/// No automatic fix.
    InvalidMount {
        severity: Error,
        origin: Validation,
        summary: "A RUN --mount specification that BuildKit rejects.",
        per_instruction: true,
    }
}

const MOUNT_TYPES: &[&str] = &["bind", "cache", "tmpfs", "secret", "ssh"];
const ALL_KEYS: &[&str] = &[
    "type",
    "from",
    "source",
    "src",
    "target",
    "dst",
    "destination",
    "readonly",
    "ro",
    "readwrite",
    "rw",
    "id",
    "sharing",
    "required",
    "mode",
    "uid",
    "gid",
    "size",
    "env",
];

/// One `key=value` field of the specification, with its byte span in the flag value.
struct Field<'a> {
    /// Lower case; borrowed when written so, as nearly every key is.
    key: std::borrow::Cow<'a, str>,
    value: Option<&'a str>,
    text: &'a str,
    start: usize,
    end: usize,
    value_start: usize,
}

impl InstructionRule for InvalidMount {
    fn interest(&self) -> Interest {
        Interest::with_triggers(&[Keyword::Run])
    }

    fn check_instruction(
        &self,
        ctx: &RuleContext,
        _: usize,
        inst: &Instruction,
        out: &mut Diagnostics,
    ) {
        for flag in inst.flags.iter().filter(|f| f.name == "mount") {
            let Some(value) = &flag.value else {
                // InvalidFlagValue reports `--mount` without a value.
                continue;
            };
            if value.text.trim().is_empty() {
                out.report(
                    &Self::META,
                    flag_name_span(flag),
                    "empty --mount specification: expected fields such as type=cache,target=/path",
                );
                continue;
            }
            for (range, message) in check_spec(ctx.text, value) {
                out.report(&Self::META, range, message);
            }
        }
    }
}

fn split_fields(text: &str) -> Vec<Field<'_>> {
    let mut fields = Vec::new();
    let mut start = 0;
    let mut in_quotes = false;
    for (i, c) in text
        .char_indices()
        .chain(std::iter::once((text.len(), ',')))
    {
        if c == '"' {
            in_quotes = !in_quotes;
        } else if c == ',' && !in_quotes {
            let raw = &text[start..i];
            let (key, value, value_start) = match raw.split_once('=') {
                Some((k, v)) => (k, Some(v), start + k.len() + 1),
                None => (raw, None, i),
            };
            let key = key.trim();
            let key = if key.bytes().any(|b| b.is_ascii_uppercase()) {
                std::borrow::Cow::Owned(key.to_ascii_lowercase())
            } else {
                std::borrow::Cow::Borrowed(key)
            };
            fields.push(Field {
                key,
                value,
                text: raw,
                start,
                end: i,
                value_start,
            });
            start = i + 1;
        }
    }
    fields
}

fn check_spec(source: &str, word: &Word) -> Vec<(TextRange, String)> {
    let fields = split_fields(&word.text);
    let span = |s: usize, e: usize| word_sub_range(source, word, s, e);
    let mut problems = Vec::new();
    let mut mount_type: Option<&str> = Some("bind");
    let mut type_field = None;
    for f in &fields {
        if f.key == "type" {
            if let Some(v) = f.value {
                if v.contains('$') {
                    mount_type = None;
                } else if let Some(known) = MOUNT_TYPES
                    .iter()
                    .copied()
                    .find(|t| t.eq_ignore_ascii_case(v))
                {
                    mount_type = Some(known);
                } else {
                    let hint = did_you_mean(v, MOUNT_TYPES.iter().copied())
                        .map(|s| format!(" (did you mean {s}?)"))
                        .unwrap_or_else(|| {
                            format!(" (expected one of: {})", MOUNT_TYPES.join(", "))
                        });
                    problems.push((
                        span(f.value_start, f.end),
                        format!("unsupported mount type \"{v}\"{hint}"),
                    ));
                    return problems;
                }
                type_field = Some(f);
            }
        }
    }
    let ty = mount_type;
    let is = |t: &str| ty == Some(t);
    let has = |k: &str| {
        fields
            .iter()
            .any(|f| f.key == k && f.value.is_some_and(|v| !v.is_empty()))
    };
    for f in &fields {
        let key: &str = &f.key;
        let field_range = || span(f.start, f.end);
        let value_range = || span(f.value_start, f.end);
        let Some(value) = f.value else {
            match key {
                "readonly" | "ro" | "readwrite" | "rw" => {}
                "required" if ty.is_none() || is("secret") || is("ssh") => {}
                "required" => problems.push((
                    field_range(),
                    format!(
                        "unexpected key 'required' for mount type '{}'",
                        ty.unwrap_or("")
                    ),
                )),
                _ => problems.push((
                    field_range(),
                    format!("invalid field '{}' must be a key=value pair", f.text),
                )),
            }
            continue;
        };
        if value.contains('$') && key != "from" {
            continue;
        }
        let type_only = |allowed: &[&str]| -> Option<String> {
            match ty {
                Some(t) if !allowed.contains(&t) => {
                    Some(format!("unexpected key '{key}' for mount type '{t}'"))
                }
                _ => None,
            }
        };
        let problem: Option<(TextRange, String)> = match key {
            "type" | "source" | "src" | "target" | "dst" | "destination" | "id" => None,
            "from" if value.contains('$') => Some((
                value_range(),
                "'from' doesn't support variable expansion, define alias stage instead".into(),
            )),
            "from" => {
                is("secret").then(|| (field_range(), "secret mount should not have a from".into()))
            }
            "readonly" | "ro" | "readwrite" | "rw" => parse_go_bool(value)
                .is_none()
                .then(|| (value_range(), format!("invalid value for {key}: {value}"))),
            "required" => type_only(&["secret", "ssh"])
                .map(|m| (field_range(), m))
                .or_else(|| {
                    parse_go_bool(value)
                        .is_none()
                        .then(|| (value_range(), format!("invalid value for {key}: {value}")))
                }),
            "sharing" => {
                if !["shared", "private", "locked"].contains(&value.to_ascii_lowercase().as_str()) {
                    Some((value_range(), format!("unsupported sharing value \"{value}\" (expected shared, private or locked)")))
                } else if ty.is_some() && !is("cache") {
                    Some((
                        field_range(),
                        format!("invalid cache sharing set for {} mount", ty.unwrap_or("")),
                    ))
                } else {
                    None
                }
            }
            "mode" | "uid" | "gid" => {
                let radix = if key == "mode" { 8 } else { 10 };
                if u32::from_str_radix(value, radix).is_err() || value.starts_with('+') {
                    Some((value_range(), format!("invalid value {value} for {key}")))
                } else if ty.is_some() && !(is("secret") || is("ssh") || is("cache")) {
                    Some((
                        field_range(),
                        format!("{key} not allowed for \"{}\" type mounts", ty.unwrap_or("")),
                    ))
                } else {
                    None
                }
            }
            "size" => type_only(&["tmpfs"])
                .map(|m| (field_range(), m))
                .or_else(|| {
                    (!valid_size(value)).then(|| {
                        (
                            value_range(),
                            format!(
                                "invalid size value {value}: expected a size such as 64m or 1g"
                            ),
                        )
                    })
                }),
            "env" => type_only(&["secret"]).map(|m| (field_range(), m)),
            _ => {
                let hint = did_you_mean(key, ALL_KEYS.iter().copied())
                    .map(|s| format!(" (did you mean {s}?)"))
                    .unwrap_or_default();
                Some((
                    span(f.start, f.start + f.key.len()),
                    format!("unexpected key '{key}' in '{}'{hint}", f.text),
                ))
            }
        };
        problems.extend(problem);
    }
    if !problems.is_empty() {
        return problems;
    }
    let at_type = type_field.map_or(word.range, |f| span(f.start, f.end));
    if (is("bind") || is("cache") || is("tmpfs"))
        && !(has("target") || has("dst") || has("destination"))
    {
        problems.push((
            at_type,
            format!(
                "a {} mount needs a target: add target=/path",
                ty.unwrap_or("")
            ),
        ));
    }
    if is("secret") {
        if !(has("source")
            || has("src")
            || has("target")
            || has("dst")
            || has("destination")
            || has("id"))
        {
            problems.push((
                at_type,
                "invalid secret mount. one of source, target required".into(),
            ));
        } else if (has("source") || has("src")) && has("id") {
            problems.push((at_type, "both source and id can't be set".into()));
        }
    }
    problems
}

/// `units.RAMInBytes`: a number with an optional b/k/m/g/t/p suffix (and optional `b`/`ib`).
fn valid_size(value: &str) -> bool {
    let lower = value.to_ascii_lowercase();
    let digits_end = lower
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(lower.len());
    let (number, suffix) = lower.split_at(digits_end);
    let suffix = suffix.trim();
    !number.is_empty()
        && number.parse::<f64>().is_ok()
        && matches!(
            suffix,
            "" | "b"
                | "k"
                | "kb"
                | "kib"
                | "m"
                | "mb"
                | "mib"
                | "g"
                | "gb"
                | "gib"
                | "t"
                | "tb"
                | "tib"
                | "p"
                | "pb"
                | "pib"
        )
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::check_rule;

    #[test]
    fn reports_bad_specifications() {
        let text = "FROM alpine\n\
                    RUN --mount=type=cahce,target=/x true\n\
                    RUN --mount=type=cache,dest=/root/.nuget true\n\
                    RUN --mount=type=bind,required,target=/x true\n\
                    RUN --mount=type=cache,sharing=everyone,mode=999,target=/x true\n\
                    RUN --mount=type=bind,source=. true\n\
                    RUN --mount=type=secret,id=a,from=build true\n\
                    RUN --mount=type=tmpfs,target=/t,size=lots,uid=1 true\n\
                    RUN --mount=type=secret,id=a,src=b true\n\
                    RUN --mount=type=cache,from=$STAGE,target=/x true\n\
                    RUN --mount= true\n";
        assert_eq!(
            check_rule("InvalidMount", text),
            [
                "2:18-2:23 unsupported mount type \"cahce\" (did you mean cache?)",
                "3:24-3:28 unexpected key 'dest' in 'dest=/root/.nuget' (did you mean dst?)",
                "4:23-4:31 unexpected key 'required' for mount type 'bind'",
                "5:32-5:40 unsupported sharing value \"everyone\" (expected shared, private or locked)",
                "5:46-5:49 invalid value 999 for mode",
                "6:13-6:22 a bind mount needs a target: add target=/path",
                "7:30-7:40 secret mount should not have a from",
                "8:39-8:43 invalid size value lots: expected a size such as 64m or 1g",
                "8:44-8:49 uid not allowed for \"tmpfs\" type mounts",
                "9:13-9:24 both source and id can't be set",
                "10:29-10:35 'from' doesn't support variable expansion, define alias stage instead",
                "11:5-11:12 empty --mount specification: expected fields such as type=cache,target=/path",
            ]
        );
    }

    #[test]
    fn silent_on_valid_specifications() {
        let text = "FROM alpine AS build\n\
                    RUN --mount=type=cache,id=nuget,target=/root/.nuget/packages,sharing=locked true\n\
                    RUN --mount=type=secret,id=nuget_config,target=/root/.nuget/NuGet/NuGet.Config,required=true,mode=0444 true\n\
                    RUN --mount=type=secret,id=token,env=NUGET_TOKEN true\n\
                    RUN --mount=type=bind,from=build,source=/app,target=/app,rw true\n\
                    RUN --mount=type=ssh,required true\n\
                    RUN --mount=type=tmpfs,target=/tmp,size=64m true\n\
                    RUN --mount=target=/src,ro true\n\
                    RUN --mount=type=$T,target=$DIR true\n";
        assert!(check_rule("InvalidMount", text).is_empty());
    }
}
