use super::packages::{is_truthy, pip_install};
use super::runs::runs_using;
use crate::declare_rule;
use crate::rules::{Diagnostics, RuleContext};

declare_rule! {
/// ## What it does
/// Checks that `pip install` has `--no-cache-dir`, unless `PIP_NO_CACHE_DIR` is set to a
/// true value (by ENV, or in the RUN itself) or a cache mount covers pip's cache
/// (`/root/.cache/pip`).
///
/// ## Why is this bad?
/// pip keeps every downloaded wheel in its cache directory. In an image nothing ever reads
/// that cache again, and it often doubles the size of the installed packages.
///
/// ## Example
/// ```dockerfile
/// RUN pip install --requirement requirements.txt
/// ```
///
/// ## Use instead
/// ```dockerfile
/// RUN pip install --no-cache-dir --requirement requirements.txt
/// ```
///
/// ## Fix safety
/// No automatic fix.
///
/// ## References
/// - [hadolint DL3042](https://github.com/hadolint/hadolint/wiki/DL3042)
    PipNoCacheDir {
        severity: Warning,
        origin: Hadolint,
        summary: "`pip install` without `--no-cache-dir` leaves pip's download cache in the image.",
        hadolint: "DL3042",
    }
}

const SWITCH: &str = "PIP_NO_CACHE_DIR";

impl PipNoCacheDir {
    fn run(ctx: &RuleContext, out: &mut Diagnostics) {
        for run in runs_using(ctx, |name| {
            name.starts_with("pip") || name.starts_with("python")
        }) {
            // Only `pip install` is reported.
            if !run.commands().any(|c| pip_install(&c).is_some()) {
                continue;
            }
            if run.mounts_cache_over("/root/.cache/pip") {
                continue;
            }
            let set_by_env = run.stage.is_some_and(|stage| {
                ctx.model
                    .scope_at(stage, run.index)
                    .iter()
                    .rev()
                    .find(|(name, _)| name == SWITCH)
                    .and_then(|(_, value)| value.as_deref())
                    .is_some_and(is_truthy)
            });
            // `PIP_NO_CACHE_DIR=1 pip install ...` or `export PIP_NO_CACHE_DIR=1`.
            let set_in_run = run.commands().any(|c| {
                let exported = if c.is("export") { c.args() } else { &[] };
                c.assignments().iter().chain(exported).any(|w| {
                    w.text
                        .split_once('=')
                        .is_some_and(|(k, v)| k == SWITCH && is_truthy(v))
                })
            });
            if set_by_env || set_in_run {
                continue;
            }
            for command in run.commands() {
                let Some(install) = pip_install(&command) else {
                    continue;
                };
                if command.has_arg("--no-cache-dir") {
                    continue;
                }
                out.report(
                    &Self::META,
                    command.program().range.cover(install.range),
                    "Avoid use of cache directory with pip. Use `pip install --no-cache-dir <package>`.",
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::check_rule;

    #[test]
    fn reports_pip_install_without_the_switch() {
        assert_eq!(
            check_rule(
                "PipNoCacheDir",
                "FROM python:3.12\nRUN pip install -r requirements.txt && python3 -m pip install --upgrade pip\n"
            ),
            [
                "2:5-2:16 Avoid use of cache directory with pip. Use `pip install --no-cache-dir <package>`.",
                "2:40-2:62 Avoid use of cache directory with pip. Use `pip install --no-cache-dir <package>`.",
            ]
        );
    }

    #[test]
    fn silent_when_the_cache_is_off() {
        assert!(check_rule(
            "PipNoCacheDir",
            "FROM python:3.12\nRUN pip3 install --no-cache-dir flask\nRUN PIP_NO_CACHE_DIR=1 pip install x\n\
             RUN --mount=type=cache,target=/root/.cache pip install y\nRUN pipx install z && pip download w\n\
             ENV PIP_NO_CACHE_DIR=true\nRUN pip install v\n"
        )
        .is_empty());
    }
}
