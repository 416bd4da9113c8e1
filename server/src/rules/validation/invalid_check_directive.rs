use crate::analysis::Severity;
use crate::declare_rule;
use crate::rules::suppression::did_you_mean;
use crate::rules::{Diagnostics, RuleContext};
use crate::text::TextRange;

use super::go_values::parse_go_bool;

declare_rule! {
/// ## What it does
/// Checks BuildKit's `# check=` directive: options are `skip=`, `error=` and `experimental=`
/// separated by `;`, `error` is `true` or `false`, and the names after `skip=` and
/// `experimental=` are BuildKit checks (or `all`).
///
/// ## Why is this bad?
/// BuildKit refuses the build for an invalid option ("invalid check option"), and silently
/// ignores an unknown check name, so a typo in `skip=` leaves the check on. Dockside's own
/// rules are not BuildKit checks: suppress them with `# dockside ignore=`.
///
/// ## Example
/// ```dockerfile
/// # check=skip=JsonArgsRecomended;errors=true
/// ```
///
/// ## Use instead
/// ```dockerfile
/// # check=skip=JSONArgsRecommended;error=true
/// ```
///
/// ## Fix safety
/// No automatic fix.
    InvalidCheckDirective {
        severity: Error,
        origin: Validation,
        summary: "A `# check=` directive with an invalid option or an unknown check name.",
    }
}

/// BuildKit's build checks: the names `# check=skip=` understands.
const BUILDKIT_CHECKS: &[&str] = &[
    "StageNameCasing",
    "FromAsCasing",
    "NoEmptyContinuation",
    "ConsistentInstructionCasing",
    "DuplicateStageName",
    "ReservedStageName",
    "JSONArgsRecommended",
    "MaintainerDeprecated",
    "UndefinedArgInFrom",
    "WorkdirRelativePath",
    "UndefinedVar",
    "MultipleInstructionsDisallowed",
    "LegacyKeyValueFormat",
    "InvalidBaseImagePlatform",
    "RedundantTargetPlatform",
    "SecretsUsedInArgOrEnv",
    "InvalidDefaultArgInFrom",
    "FromPlatformFlagConstDisallowed",
    "CopyIgnoredFile",
    "InvalidDefinitionDescription",
    "ExposeProtoCasing",
    "ExposeInvalidFormat",
];

impl InvalidCheckDirective {
    fn run(ctx: &RuleContext, out: &mut Diagnostics) {
        for directive in ctx.tree.directives.iter().filter(|d| d.name == "check") {
            let base = directive.value_range.start();
            let value = directive.value.as_str();
            // BuildKit: strings.SplitN(value, ";", 3).
            let mut offset = 0;
            let parts: Vec<&str> = value.splitn(3, ';').collect();
            for part in parts {
                let part_start = base + offset;
                offset += part.len() + 1;
                let part_range = TextRange::new(part_start, part_start + part.len());
                let Some((key, names)) = part.split_once('=') else {
                    if !part.trim().is_empty() {
                        out.report(
                            &Self::META,
                            part_range,
                            format!("invalid check option \"{part}\": expected skip=, error= or experimental="),
                        );
                    }
                    continue;
                };
                let names_start = part_start + key.len() + 1;
                match key.trim() {
                    "skip" | "experimental" => {
                        check_names(out, names, names_start);
                    }
                    "error" => {
                        if parse_go_bool(names.trim()).is_none() {
                            out.report(
                                &Self::META,
                                TextRange::new(names_start, names_start + names.len()),
                                format!("failed to parse check option \"{part}\": error= takes true or false"),
                            );
                        }
                    }
                    other => {
                        let hint =
                            did_you_mean(other, ["skip", "error", "experimental"].into_iter())
                                .map(|s| format!(" (did you mean {s}?)"))
                                .unwrap_or_default();
                        let key_start = part_start + (key.len() - key.trim_start().len());
                        out.report(
                            &Self::META,
                            TextRange::new(key_start, key_start + other.len()),
                            format!("invalid check option \"{other}\"{hint}"),
                        );
                    }
                }
            }
        }
    }
}

fn check_names(out: &mut Diagnostics, names: &str, start: usize) {
    if names.trim() == "all" {
        return;
    }
    let mut offset = 0;
    for raw in names.split(',') {
        let raw_start = start + offset;
        offset += raw.len() + 1;
        let name = raw.trim();
        if name.is_empty() || BUILDKIT_CHECKS.contains(&name) {
            continue;
        }
        let name_start = raw_start + (raw.len() - raw.trim_start().len());
        let range = TextRange::new(name_start, name_start + name.len());
        let message = if let Some(exact) = BUILDKIT_CHECKS
            .iter()
            .find(|c| c.eq_ignore_ascii_case(name))
        {
            format!("check names are case-sensitive: write `{exact}`, BuildKit ignores `{name}`")
        } else if crate::rules::find_rule(name).is_some() {
            format!("`{name}` is not a BuildKit check, so `# check=` does not affect it; use `# dockside ignore={name}`")
        } else {
            let hint = did_you_mean(name, BUILDKIT_CHECKS.iter().copied())
                .map(|s| format!(" (did you mean {s}?)"))
                .unwrap_or_default();
            format!("unknown BuildKit check `{name}`: BuildKit ignores it{hint}")
        };
        out.report_with(
            &InvalidCheckDirective::META,
            Severity::Warning,
            range,
            message,
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::check_rule;

    #[test]
    fn reports_bad_options_and_names() {
        assert_eq!(
            check_rule(
                "InvalidCheckDirective",
                "# check=skip=JsonArgsRecommended,StageNameCasng,UnknownFlag;errors=true;error=maybe\nFROM alpine\n"
            ),
            [
                "1:14-1:33 check names are case-sensitive: write `JSONArgsRecommended`, BuildKit ignores `JsonArgsRecommended`",
                "1:34-1:48 unknown BuildKit check `StageNameCasng`: BuildKit ignores it (did you mean StageNameCasing?)",
                "1:49-1:60 `UnknownFlag` is not a BuildKit check, so `# check=` does not affect it; use `# dockside ignore=UnknownFlag`",
                "1:61-1:67 invalid check option \"errors\" (did you mean error?)",
                "1:79-1:84 failed to parse check option \"error=maybe\": error= takes true or false",
            ]
        );
        assert_eq!(
            check_rule("InvalidCheckDirective", "# check=error=maybe\nFROM alpine\n"),
            ["1:15-1:20 failed to parse check option \"error=maybe\": error= takes true or false"]
        );
    }

    #[test]
    fn silent_on_valid_directives() {
        for text in [
            "# check=skip=all;error=true\nFROM alpine\n",
            "# check=skip=JSONArgsRecommended, StageNameCasing;experimental=InvalidDefinitionDescription\nFROM alpine\n",
            "# check=error=false\nFROM alpine\n",
        ] {
            assert!(check_rule("InvalidCheckDirective", text).is_empty(), "{text}");
        }
    }
}
