//! Checks over the whole BuildKit rule set.

use super::RULES;
use crate::analysis::analyze;
use crate::rules::test_support::test_env;
use crate::rules::Origin;

const GOOD: &str = include_str!("../../../../tests/data/good.Dockerfile");

#[test]
fn every_buildkit_check_is_declared_with_its_docs_link() {
    let names: Vec<&str> = RULES.iter().map(|r| r.meta().name).collect();
    assert_eq!(
        names,
        [
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
        ]
    );
    for rule in RULES {
        let meta = rule.meta();
        assert_eq!(meta.origin, Origin::BuildKit);
        for section in [
            "## What it does",
            "## Why is this bad?",
            "## Example",
            "## Use instead",
            "## Fix safety",
        ] {
            assert!(meta.docs.contains(section), "{} lacks {section}", meta.name);
        }
    }
    let url = |name: &str| {
        RULES
            .iter()
            .map(|r| r.meta())
            .find(|m| m.name == name)
            .map(|m| m.docs_url())
    };
    assert_eq!(
        url("JSONArgsRecommended").as_deref(),
        Some("https://docs.docker.com/go/dockerfile/rule/json-args-recommended/")
    );
    assert_eq!(
        url("FromPlatformFlagConstDisallowed").as_deref(),
        Some("https://docs.docker.com/go/dockerfile/rule/from-platform-flag-const-disallowed/")
    );
    let experimental: Vec<&str> = RULES
        .iter()
        .map(|r| r.meta())
        .filter(|m| !m.default_enabled)
        .map(|m| m.name)
        .collect();
    assert_eq!(
        experimental,
        ["CopyIgnoredFile", "InvalidDefinitionDescription"]
    );
}

#[test]
fn the_good_dockerfile_passes_every_check() {
    // Experimental checks too: they are off by default.
    assert!(GOOD.contains("# check=error=true\n"));
    let text = GOOD.replace(
        "# check=error=true\n",
        "# check=error=true;experimental=all\n",
    );
    let analysis = analyze(&text, &test_env());
    let findings: Vec<String> = analysis
        .diagnostics
        .iter()
        .filter(|d| RULES.iter().any(|r| r.meta().name == d.code))
        .map(|d| format!("{} {}", d.code, d.message))
        .collect();
    assert_eq!(findings, Vec::<String>::new());
}
