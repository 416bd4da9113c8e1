use super::*;

fn image() -> RemoteImage {
    RemoteImage {
        registry: "localhost:5000".into(),
        repository: "team/app".into(),
        tag: Some("1.0".into()),
        digest: format!("sha256:{}", "a".repeat(64)),
        media_type: "application/vnd.oci.image.index.v1+json".into(),
        platforms: vec![
            RemotePlatform {
                os: "linux".into(),
                architecture: "amd64".into(),
                variant: None,
                os_version: None,
                digest: format!("sha256:{}", "b".repeat(64)),
                compressed_bytes: 3 * 1024 * 1024 + 512 * 1024,
                layers: 2,
            },
            RemotePlatform {
                os: "linux".into(),
                architecture: "arm64".into(),
                variant: Some("v8".into()),
                os_version: None,
                digest: format!("sha256:{}", "c".repeat(64)),
                compressed_bytes: 1024 * 1024,
                layers: 1,
            },
        ],
        tags: Some(vec!["1.0".into(), "latest".into()]),
        tags_truncated: false,
        fetched_at: 1_795_000_000,
    }
}

#[test]
fn hover_lines_show_the_architecture_size_platforms_digest_and_time() {
    assert_eq!(
        remote_hover_lines(&image(), Arch::Arm64v8),
        format!(
            "**1.0 MB** compressed for `linux/arm64/v8` (registry, as of 2026-11-18 11:06 UTC)\n\n\
             Platforms: `linux/amd64` 3.5 MB · `linux/arm64/v8` 1.0 MB\n\n\
             Digest: `sha256:{}`\n",
            "a".repeat(64)
        )
    );
    let hover = remote_hover_lines(&image(), Arch::Arm32v7);
    assert!(
        hover.starts_with("No `arm32v7` platform in the registry (as of 2026-11-18 11:06 UTC)\n\n"),
        "{hover}"
    );
}

#[test]
fn pinning_uses_the_top_level_digest() {
    let lookup = RemoteLookup::Found(image());
    let digest = format!("sha256:{}", "a".repeat(64));
    assert_eq!(pin_digest(&lookup), Some(digest.as_str()));
    assert_eq!(
        image().pinned_reference(),
        format!("localhost:5000/team/app:1.0@{digest}")
    );
}

#[test]
fn keys_normalise_references() {
    let key = |text: &str| lookup_key(&ImageRef::parse(text));
    assert_eq!(
        key("ubuntu").as_deref(),
        Some("docker.io/library/ubuntu:latest")
    );
    assert_eq!(
        key("localhost:5000/team/app:1.0").as_deref(),
        Some("localhost:5000/team/app:1.0")
    );
    let digest = format!("sha256:{}", "e".repeat(64));
    assert_eq!(
        key(&format!("app:1@{digest}")),
        Some(format!("docker.io/library/app@{digest}"))
    );
    assert_eq!(key("app:${V}"), None);
    assert_eq!(key("scratch"), None);
}

#[test]
fn absence_descriptions() {
    let mut absence = RemoteAbsence {
        registry: "localhost:5000".into(),
        repository: "team/app".into(),
        tag: Some("99".into()),
        digest: None,
        repository_exists: true,
        known_tags: (1..=12).map(|n| n.to_string()).collect(),
        checked_at: 0,
    };
    assert_eq!(
        absence.describe(),
        "registry localhost:5000 has no tag `99` in team/app (tags: 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, ...)"
    );
    absence.repository_exists = false;
    assert_eq!(
        absence.describe(),
        "registry localhost:5000 has no repository team/app"
    );
}

#[test]
fn lookups_serialise_for_the_cache() {
    let lookup = RemoteLookup::Found(image());
    let json = serde_json::to_string(&lookup).expect("encode");
    assert!(json.starts_with("{\"outcome\":\"found\","), "{json}");
    assert_eq!(
        serde_json::from_str::<RemoteLookup>(&json).ok(),
        Some(lookup)
    );
}

#[test]
fn the_service_exists_only_when_look_ups_are_enabled() {
    let mut config = crate::config::Config::default();
    assert!(!config.registry_enabled, "off by default");
    assert!(RegistryService::for_config(&config).is_none());
    config.registry_enabled = true;
    assert!(RegistryService::for_config(&config).is_some());
}

#[test]
fn digests_and_tags_from_cached_answers() {
    use super::test_support::{found, missing, CachedAnswers};
    let answers = CachedAnswers::new([
        found(
            "localhost:5000/team/app:1.0",
            Vec::new(),
            &["1.0", "latest"],
        ),
        missing("localhost:5000/team/app:9.9", true, &["1.0", "latest"]),
        missing("localhost:5000/team/gone:1", false, &[]),
    ]);
    let reference = |text: &str| crate::images::ImageRef::parse(text);
    assert_eq!(
        answers.cached_digest(&reference("localhost:5000/team/app:1.0")),
        Some(format!("sha256:{}", "c".repeat(64)))
    );
    assert_eq!(
        answers.cached_digest(&reference("localhost:5000/team/app:9.9")),
        None
    );
    assert_eq!(
        answers.cached_digest(&reference("localhost:5000/team/app:2.0")),
        None
    );
    let tags = |text: &str| answers.cached_tags(&reference(text));
    assert_eq!(
        tags("localhost:5000/team/app:1.0"),
        Some(vec!["1.0".to_string(), "latest".to_string()])
    );
    assert_eq!(
        tags("localhost:5000/team/app:9.9"),
        Some(vec!["1.0".to_string(), "latest".to_string()])
    );
    assert_eq!(tags("localhost:5000/team/gone:1"), None);
    // Another tag of the repository, the repository alone: the newest answer about it.
    assert_eq!(
        tags("localhost:5000/team/app:3"),
        Some(vec!["1.0".to_string(), "latest".to_string()])
    );
    assert_eq!(
        tags("localhost:5000/team/app"),
        Some(vec!["1.0".to_string(), "latest".to_string()])
    );
    assert_eq!(tags("localhost:5000/team/ap"), None);
    assert_eq!(tags("localhost:5000/team/app/sub"), None);
}
