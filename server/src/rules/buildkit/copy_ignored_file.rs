use crate::context::dockerignore::go_clean;
use crate::context::{Dockerignore, DockerignoreSource, MatchedPattern};
use crate::declare_rule;
use crate::rules::{Diagnostics, RuleContext};
use crate::syntax::Keyword;

declare_rule! {
/// ## What it does
/// Checks that `COPY` and `ADD` do not name a file of the build context that
/// `.dockerignore` excludes, as BuildKit's check does: each source (after variable
/// substitution, cleaned) is matched against the ignore patterns, including its parent
/// directories; a wildcard source is matched as written. The message adds which line of
/// which ignore file excludes it.
///
/// Like BuildKit, nothing is reported when the ignore file has `!` exception patterns
/// (a directory may be excluded while files inside it are re-included, which cannot be
/// decided from the source path alone), and a copy of the whole context (`COPY . .`) is
/// reported only when a pattern excludes everything (`*`, `**`).
///
/// BuildKit runs this check only with `--check` and marks it experimental; Dockside knows
/// the build context and its `.dockerignore`, so it is on by default. It is silent when the
/// Dockerfile is analysed without its solution.
///
/// ## Why is this bad?
/// Excluded files are not sent to the builder, so the build fails with "not found", or a
/// wildcard silently copies fewer files than intended. In .NET solutions this typically
/// hits `**/bin` and `**/obj` exclusions, or a `*.json` pattern that drops
/// `appsettings.json`.
///
/// ## Example
/// With a `.dockerignore` containing `**/appsettings.*.json`:
/// ```dockerfile
/// COPY src/Api/appsettings.Production.json /app/
/// ```
///
/// ## Use instead
/// Narrow the pattern (`**/appsettings.Development.json`), or stop copying the file.
///
/// ## Fix safety
/// No automatic fix: either the COPY or the `.dockerignore` is wrong.
///
/// ## References
/// - BuildKit's `linter/ruleset.go` (`RuleCopyIgnoredFile`) and
///   `dockerfile2llb/convert.go` (`validateCopySourcePath`)
    CopyIgnoredFile {
        severity: Warning,
        origin: BuildKit,
        summary: "Attempting to Copy file that is excluded by .dockerignore.",
    }
}

/// A pattern that excludes the whole context: BuildKit matches `.` against each pattern,
/// which only a single-component wildcard such as `*` or `**` does.
fn excludes_everything(ignore: &Dockerignore) -> Option<MatchedPattern> {
    ignore
        .patterns()
        .iter()
        .filter(|p| !p.exclusion && !p.cleaned.contains('/'))
        .find(|p| {
            globset::GlobBuilder::new(&p.cleaned.replace("**", "*"))
                .literal_separator(true)
                .backslash_escape(true)
                .build()
                .is_ok_and(|g| g.compile_matcher().is_match("."))
        })
        .map(|p| MatchedPattern {
            line: p.line,
            range: p.range,
            pattern: p.text.clone(),
            matched_path: ".".to_string(),
        })
}

impl CopyIgnoredFile {
    fn run(ctx: &RuleContext, out: &mut Diagnostics) {
        let Some(facts) = ctx.facts else {
            return;
        };
        let Some(loaded) = &facts.dockerignore else {
            return;
        };
        let ignore = &loaded.ignore;
        if ignore.patterns().iter().any(|p| p.exclusion) {
            return;
        }
        let file_name = match &loaded.source {
            DockerignoreSource::PerDockerfile(path) | DockerignoreSource::ContextRoot(path) => path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_else(|| ".dockerignore".to_string()),
        };
        for copy in &facts.copies {
            let Some(instruction) = ctx.tree.instructions.get(copy.instruction) else {
                continue;
            };
            let verb = if instruction.keyword == Keyword::Add {
                "Add"
            } else {
                "Copy"
            };
            for (word, resolution) in &copy.sources {
                if matches!(
                    resolution.outcome,
                    crate::context::SourceOutcome::Remote
                        | crate::context::SourceOutcome::Unexpanded
                ) {
                    continue;
                }
                let source = go_clean(resolution.source.trim().trim_start_matches('/'));
                let matched = if source == "." {
                    excludes_everything(ignore)
                } else {
                    ignore.is_excluded(&source)
                };
                let Some(matched) = matched else {
                    continue;
                };
                out.report(
                    &Self::META,
                    word.range,
                    format!(
                        "Attempting to {verb} file {source:?} that is excluded by .dockerignore (line {} of {file_name}: `{}`)",
                        matched.line, matched.pattern
                    ),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::dotnet::test_support::{check_rule_in_solution, check_text_in_dir, solution};

    #[test]
    fn https_cert_fixture() {
        assert_eq!(
            check_rule_in_solution("CopyIgnoredFile", "https-cert", "Dockerfile"),
            ["11:6-11:50 Attempting to Copy file \"src/Payments.Api/appsettings.Production.json\" that is excluded by .dockerignore (line 9 of .dockerignore: `**/appsettings.*.json`)"]
        );
    }

    #[test]
    fn names_the_ignore_line() {
        let dir = solution(&[
            (
                ".dockerignore",
                "# outputs\n**/bin/\n**/obj/\n**/appsettings.*.json\ncerts\n",
            ),
            ("src/Api/appsettings.json", "{}"),
            ("src/Api/appsettings.Production.json", "{}"),
            ("certs/api.pfx", ""),
            ("Dockerfile", ""),
        ]);
        let text = "FROM mcr.microsoft.com/dotnet/aspnet:8.0\nCOPY src/Api/appsettings.json src/Api/appsettings.Production.json /app/\nADD ./certs/api.pfx /https/\nCOPY src/Api/bin/Release/ /app/\nCOPY . /src\n";
        assert_eq!(
            check_text_in_dir("CopyIgnoredFile", dir.path(), "Dockerfile", text),
            [
                "2:31-2:66 Attempting to Copy file \"src/Api/appsettings.Production.json\" that is excluded by .dockerignore (line 4 of .dockerignore: `**/appsettings.*.json`)",
                "3:5-3:20 Attempting to Add file \"certs/api.pfx\" that is excluded by .dockerignore (line 5 of .dockerignore: `certs`)",
                "4:6-4:26 Attempting to Copy file \"src/Api/bin/Release\" that is excluded by .dockerignore (line 2 of .dockerignore: `**/bin/`)"
            ]
        );
    }

    #[test]
    fn whole_context_only_when_everything_is_ignored_and_never_with_exceptions() {
        let dir = solution(&[
            (".dockerignore", "*\n"),
            ("app.txt", ""),
            ("Dockerfile", ""),
        ]);
        let text = "FROM scratch\nCOPY . /src\n";
        assert_eq!(
            check_text_in_dir("CopyIgnoredFile", dir.path(), "Dockerfile", text),
            ["2:6-2:7 Attempting to Copy file \".\" that is excluded by .dockerignore (line 1 of .dockerignore: `*`)"]
        );
        std::fs::write(dir.path().join(".dockerignore"), "*\n!app.txt\n").expect("write");
        let text = "FROM scratch\nCOPY . /src\nCOPY other.txt /src/\n";
        assert_eq!(
            check_text_in_dir("CopyIgnoredFile", dir.path(), "Dockerfile", text),
            Vec::<String>::new()
        );
    }

    #[test]
    fn silent_on_fixtures_and_without_a_context() {
        for (fixture, dockerfile) in [
            ("good", "Dockerfile"),
            ("vs-template", "src/Api/Dockerfile"),
            ("compose-app", "src/Worker/Dockerfile"),
            ("microservices", "src/Services/Orders/Orders.Api/Dockerfile"),
        ] {
            assert_eq!(
                check_rule_in_solution("CopyIgnoredFile", fixture, dockerfile),
                Vec::<String>::new(),
                "{fixture}"
            );
        }
        assert_eq!(
            crate::rules::test_support::check_rule(
                "CopyIgnoredFile",
                "FROM scratch\nCOPY bin/app /app\n"
            ),
            Vec::<String>::new()
        );
    }
}
