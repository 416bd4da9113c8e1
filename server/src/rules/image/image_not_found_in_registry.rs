use crate::analysis::AnalysisEnv;
use crate::declare_rule;
use crate::images::registry::{format_utc, RegistryLookup, RemoteAbsence, RemoteLookup};
use crate::images::ImageRef;
use crate::model::{BaseImage, Model};
use crate::rules::suppression::did_you_mean;
use crate::rules::{Diagnostics, RuleContext};
use crate::syntax::Word;
use crate::text::TextRange;

declare_rule! {
/// ## What it does
/// With registry look-ups on (`registry.enabled = true` in `dockside.toml` or the editor
/// settings), reports a `FROM` image whose tag or digest its registry says does not exist,
/// with the tags the repository does have. It uses the answers Dockside already has (cached
/// for `registry.cache-ttl`, a day by default, at most an hour for a missing tag) and never
/// waits for the network: the editor looks the images up in the background and checks the
/// file again when an answer arrives. Images written with variables that have no value are
/// not looked up. `dockside check` makes no look-ups, so it does not report this.
///
/// ## Why is this bad?
/// The build stops when it pulls the image: `manifest unknown` or `not found`. A typo in a tag
/// (`lastest` for `latest`, `1.10` for `1.1.0`) or a tag that was never pushed shows only then, often in CI.
///
/// ## Example
/// ```dockerfile
/// FROM registry.example.com/team/base:lastest
/// ```
///
/// ## Use instead
/// ```dockerfile
/// FROM registry.example.com/team/base:latest
/// ```
///
/// ## Fix safety
/// No automatic fix.
    ImageNotFoundInRegistry {
        severity: Warning,
        origin: Image,
        summary: "A FROM image whose tag or digest its registry says does not exist.",
    }
}

impl ImageNotFoundInRegistry {
    fn run(ctx: &RuleContext, out: &mut Diagnostics) {
        if let Some(registry) = registry_of(ctx.env) {
            report_missing(ctx.model, registry, out);
        }
    }
}

/// The registry answers analysis may read: none with look-ups off.
fn registry_of(env: &AnalysisEnv) -> Option<&dyn RegistryLookup> {
    env.registry.as_deref()
}

/// Reports every stage base image the cached answers say is missing.
pub fn report_missing(model: &Model, registry: &dyn RegistryLookup, out: &mut Diagnostics) {
    for stage in &model.stages {
        let BaseImage::Image { word, resolved } = &stage.base else {
            continue;
        };
        if !resolved.is_complete() {
            continue;
        }
        let reference = ImageRef::parse_expanded(&resolved.text, &word.text, false);
        if let Some(RemoteLookup::NotFound(absence)) = registry.cached(&reference) {
            out.report(
                &ImageNotFoundInRegistry::META,
                missing_part_range(word, &reference, &absence),
                not_found_message(&reference, &absence),
            );
        }
    }
}

/// "`localhost:5000/team/app:lastest` does not exist: registry localhost:5000 has no tag
/// `lastest` in team/app (tags: 1.0, latest); did you mean `latest`? (as of 2026-11-26 10:00 UTC)"
pub fn not_found_message(reference: &ImageRef, absence: &RemoteAbsence) -> String {
    let suggestion = absence
        .tag
        .as_deref()
        .filter(|_| absence.digest.is_none())
        .and_then(|tag| {
            let near = did_you_mean(tag, absence.known_tags.iter().map(String::as_str))?;
            // Another version number is another image, not the fix of a typo.
            (!is_version_number(tag) || !is_version_number(near)).then_some(near)
        })
        .map(|tag| format!("; did you mean `{tag}`?"))
        .unwrap_or_default();
    format!(
        "`{}` does not exist: {}{suggestion} (as of {})",
        reference.written().unwrap_or(reference.text()),
        absence.describe(),
        format_utc(absence.checked_at)
    )
}

fn is_version_number(tag: &str) -> bool {
    tag.bytes().all(|b| b.is_ascii_digit() || b == b'.')
}

/// The tag (or digest) when the registry knows the repository and the image was written
/// without variables; otherwise the whole image word.
fn missing_part_range(word: &Word, reference: &ImageRef, absence: &RemoteAbsence) -> TextRange {
    let written_as_parsed = reference.written().is_none() && word.text.len() == word.range.len();
    let part = match (&absence.digest, absence.repository_exists) {
        (Some(_), true) => reference.digest_range(),
        (None, true) => reference.tag_range(),
        (_, false) => None,
    };
    match part {
        Some(part) if written_as_parsed => TextRange::new(
            word.range.start() + part.start(),
            word.range.start() + part.end(),
        ),
        _ => word.range,
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;
    use crate::analysis::analyze;
    use crate::images::registry::test_support::{self, missing, CachedAnswers};
    use crate::rules::test_support::test_env;
    use crate::text::Encoding;

    type Answers = CachedAnswers;

    fn found(reference: &str) -> (String, RemoteLookup) {
        test_support::found(reference, Vec::new(), &["1.0"])
    }

    fn diagnostics(text: &str, answers: &Answers) -> Vec<String> {
        let analysis = analyze(text, &test_env());
        let mut out = Diagnostics::default();
        report_missing(&analysis.model, answers, &mut out);
        out.items
            .iter()
            .map(|d| {
                let start = analysis
                    .line_index
                    .line_col(text, d.range.start(), Encoding::Utf8);
                let end = analysis
                    .line_index
                    .line_col(text, d.range.end(), Encoding::Utf8);
                assert_eq!(d.code, "ImageNotFoundInRegistry");
                assert_eq!(d.severity, crate::analysis::Severity::Warning);
                format!(
                    "{}:{}-{}:{} {}",
                    start.line + 1,
                    start.col + 1,
                    end.line + 1,
                    end.col + 1,
                    d.message
                )
            })
            .collect()
    }

    #[test]
    fn missing_tag_is_reported_on_the_tag_with_a_suggestion() {
        let answers = CachedAnswers(HashMap::from([
            missing(
                "localhost:5000/team/app:lastest",
                true,
                &["1.0", "1.1.0", "latest"],
            ),
            missing(
                "localhost:5000/team/app:1.10",
                true,
                &["1.0", "1.1.0", "latest"],
            ),
            found("localhost:5000/team/app:1.0"),
        ]));
        assert_eq!(
            diagnostics(
                "FROM localhost:5000/team/app:1.0 AS ok\nFROM localhost:5000/team/app:lastest\nFROM localhost:5000/team/app:1.10\n",
                &answers
            ),
            [
                "2:30-2:37 `localhost:5000/team/app:lastest` does not exist: registry localhost:5000 has no tag `lastest` in team/app (tags: 1.0, 1.1.0, latest); did you mean `latest`? (as of 2026-11-18 11:06 UTC)",
                // Another version is not offered as the fix of a typo.
                "3:30-3:34 `localhost:5000/team/app:1.10` does not exist: registry localhost:5000 has no tag `1.10` in team/app (tags: 1.0, 1.1.0, latest) (as of 2026-11-18 11:06 UTC)",
            ]
        );
    }

    #[test]
    fn missing_repository_is_reported_on_the_whole_image() {
        let answers = CachedAnswers(HashMap::from([missing(
            "localhost:5000/team/gone",
            false,
            &[],
        )]));
        assert_eq!(
            diagnostics("FROM localhost:5000/team/gone\n", &answers),
            ["1:6-1:30 `localhost:5000/team/gone` does not exist: registry localhost:5000 has no repository team/gone (as of 2026-11-18 11:06 UTC)"]
        );
    }

    #[test]
    fn images_from_arguments_are_looked_up_by_their_value() {
        let answers = CachedAnswers(HashMap::from([missing(
            "localhost:5000/team/app:2.0",
            true,
            &["1.0"],
        )]));
        assert_eq!(
            diagnostics("ARG V=2.0\nFROM localhost:5000/team/app:$V\n", &answers),
            ["2:6-2:32 `localhost:5000/team/app:$V` does not exist: registry localhost:5000 has no tag `2.0` in team/app (tags: 1.0) (as of 2026-11-18 11:06 UTC)"]
        );
        // Without a value nothing is looked up, so nothing is reported.
        assert!(diagnostics("ARG V\nFROM localhost:5000/team/app:$V\n", &answers).is_empty());
    }

    #[test]
    fn found_unknown_and_stage_bases_are_silent() {
        let answers = CachedAnswers(HashMap::from([found("localhost:5000/team/app:1.0")]));
        assert!(diagnostics(
            "FROM localhost:5000/team/app:1.0 AS base\nFROM base\nFROM scratch\nFROM localhost:5000/other:1\n",
            &answers
        )
        .is_empty());
    }

    #[test]
    fn missing_digest_is_reported_on_the_digest() {
        let digest = format!("sha256:{}", "d".repeat(64));
        let reference = format!("localhost:5000/team/app:1.0@{digest}");
        let answers = CachedAnswers(HashMap::from([missing(&reference, true, &["1.0"])]));
        let text = format!("FROM {reference}\n");
        assert_eq!(
            diagnostics(&text, &answers),
            [format!("1:34-1:105 `{reference}` does not exist: registry localhost:5000 has no manifest {digest} in team/app (tags: 1.0) (as of 2026-11-18 11:06 UTC)")]
        );
    }

    #[test]
    fn analysis_reads_the_answers_of_its_environment() {
        let text = "FROM localhost:5000/team/app:lastest\n";
        let codes = |env: &AnalysisEnv| -> Vec<(&'static str, String)> {
            analyze(text, env)
                .diagnostics
                .into_iter()
                .filter(|d| d.code == "ImageNotFoundInRegistry")
                .map(|d| (d.code, text[d.range.as_range()].to_string()))
                .collect()
        };
        // Look-ups off: no answers, nothing reported.
        assert_eq!(codes(&test_env()), []);
        let env = AnalysisEnv {
            registry: Some(CachedAnswers::new([missing(
                "localhost:5000/team/app:lastest",
                true,
                &["latest"],
            )])),
            ..test_env()
        };
        assert_eq!(
            codes(&env),
            [("ImageNotFoundInRegistry", "lastest".to_string())]
        );
    }

    #[test]
    fn the_rule_is_registered_as_a_warning_of_origin_image() {
        let meta = crate::rules::find_rule("ImageNotFoundInRegistry")
            .expect("registered")
            .meta();
        assert_eq!(meta.severity, crate::analysis::Severity::Warning);
        assert_eq!(meta.origin, crate::rules::Origin::Image);
    }
}
