//! Catalog-wide tests: the embedded data, lookups, facts, sizes and alternatives, with exact values.

use super::catalog::{Arch, Catalog};
use super::facts::{
    Deprecation, DotnetVersion, ImageFacts, Libc, OsFamily, PackageManager, RepoKind,
};
use super::lookup::{ImageMatch, KnownImage, TagKind};
use super::reference::ImageRef;

fn catalog() -> &'static Catalog {
    Catalog::embedded()
}

fn lookup(text: &str) -> ImageMatch<'static> {
    catalog().lookup(&ImageRef::parse(text))
}

fn known(text: &str) -> KnownImage<'static> {
    match lookup(text) {
        ImageMatch::Known(known) => known,
        other => panic!("{text}: expected a known image, got {other:?}"),
    }
}

fn facts(text: &str) -> ImageFacts {
    match lookup(text).facts(catalog()) {
        Some(facts) => facts,
        None => panic!("{text}: no facts"),
    }
}

const MCR: &str = "mcr.microsoft.com/dotnet";

#[test]
fn embedded_catalog_parses_completely() {
    let parsed = Catalog::load_embedded();
    let parsed = match parsed {
        Ok(catalog) => catalog,
        Err(error) => panic!("{error}"),
    };
    assert_eq!(parsed.snapshot, "2026-08");
    assert_eq!(parsed.snapshot, super::CATALOG_SNAPSHOT);
    assert_eq!(parsed.source_date, super::CATALOG_SOURCE_DATE);
    assert_eq!(parsed.source_date, "2026-08-21");
    assert_eq!(parsed.images.len(), 262);
    assert_eq!(parsed.repositories.len(), 7);
    assert_eq!(parsed.lifecycles.len(), 11);
    assert_eq!(parsed.retired.len(), 155);
    assert_eq!(parsed.deprecated.len(), 6);
    assert_eq!(parsed.removed.len(), 1);
    let platforms: usize = parsed.images.iter().map(|image| image.sizes.len()).sum();
    assert_eq!(platforms, 601);
    assert_eq!(catalog().images.len(), 262);
}

#[test]
fn every_documented_tag_resolves_to_its_own_image() {
    let catalog = catalog();
    for image in &catalog.images {
        let repo = catalog.repository_of(image).map(|repo| repo.image_name());
        let Some(repo) = repo else {
            panic!("image without repository: {image:?}");
        };
        assert!(
            !image.tags.is_empty(),
            "{repo} {} has no tags",
            image.variant
        );
        for tag in &image.tags {
            let found = known(&format!("{repo}:{tag}"));
            assert!(std::ptr::eq(found.image, image), "{repo}:{tag}");
            assert_eq!(found.arch, None);
            assert!(!found.undocumented);
        }
        for base in &image.arch_tag_bases {
            for arch in image.architectures() {
                let tag = format!("{base}-{}", arch.tag_suffix());
                let found = known(&format!("{repo}:{tag}"));
                assert!(std::ptr::eq(found.image, image), "{repo}:{tag}");
                assert_eq!(found.arch, Some(arch), "{repo}:{tag}");
            }
        }
    }
}

#[test]
fn aspnet_default_tag_facts() {
    let found = known(&format!("{MCR}/aspnet:10.0"));
    assert_eq!(found.image.variant, "noble");
    assert_eq!(found.image.product_version, "10.0.11");
    assert_eq!(found.tag_kind, TagKind::Floating);
    assert_eq!(
        facts(&format!("{MCR}/aspnet:10.0")),
        ImageFacts {
            repo_kind: RepoKind::Aspnet,
            dotnet_version: Some(DotnetVersion::new(10, 0)),
            os_family: Some(OsFamily::Ubuntu),
            libc: Some(Libc::Glibc),
            has_shell: Some(true),
            package_manager: Some(PackageManager::Apt),
            non_root_by_default: Some(false),
            default_port: Some(8080),
            has_icu: Some(true),
            has_tzdata: Some(true),
            globalization_invariant: Some(false),
            distroless: Some(false),
            is_nightly: false,
            is_preview: false,
            deprecation: None,
            support_end: Some("2028-11-14"),
            from_catalog: true,
        }
    );
}

#[test]
fn chiseled_runtime_deps_facts() {
    let facts = facts(&format!("{MCR}/runtime-deps:10.0-noble-chiseled"));
    assert_eq!(facts.repo_kind, RepoKind::RuntimeDeps);
    assert_eq!(facts.has_shell, Some(false));
    assert_eq!(facts.package_manager, Some(PackageManager::None));
    assert_eq!(facts.non_root_by_default, Some(true));
    assert_eq!(facts.has_icu, Some(false));
    assert_eq!(facts.has_tzdata, Some(false));
    assert_eq!(facts.globalization_invariant, Some(true));
    assert_eq!(facts.distroless, Some(true));
    let extra = self::facts(&format!("{MCR}/runtime-deps:10.0-noble-chiseled-extra"));
    assert_eq!(
        (extra.has_icu, extra.globalization_invariant),
        (Some(true), Some(false))
    );
}

#[test]
fn os_families_libc_and_package_managers() {
    let cases = [
        (
            "aspnet:10.0-alpine",
            OsFamily::Alpine,
            Some(Libc::Musl),
            PackageManager::Apk,
        ),
        (
            "sdk:9.0",
            OsFamily::Debian,
            Some(Libc::Glibc),
            PackageManager::Apt,
        ),
        (
            "sdk:8.0-azurelinux3.0",
            OsFamily::AzureLinux,
            Some(Libc::Glibc),
            PackageManager::Tdnf,
        ),
        (
            "sdk:11.0-preview-azurelinux4.0",
            OsFamily::AzureLinux,
            Some(Libc::Glibc),
            PackageManager::Dnf,
        ),
        (
            "runtime:8.0-azurelinux3.0-distroless",
            OsFamily::AzureLinux,
            Some(Libc::Glibc),
            PackageManager::None,
        ),
        (
            "aspnet:10.0-nanoserver-ltsc2022",
            OsFamily::Windows,
            None,
            PackageManager::None,
        ),
    ];
    for (tag, family, libc, package_manager) in cases {
        let facts = facts(&format!("{MCR}/{tag}"));
        assert_eq!(facts.os_family, Some(family), "{tag}");
        assert_eq!(facts.libc, libc, "{tag}");
        assert_eq!(facts.package_manager, Some(package_manager), "{tag}");
    }
    let nano = facts(&format!("{MCR}/aspnet:10.0-nanoserver-ltsc2022"));
    assert_eq!(
        (nano.has_shell, nano.non_root_by_default, nano.has_icu),
        (Some(true), Some(true), None)
    );
    let core = facts(&format!("{MCR}/sdk:10.0-windowsservercore-ltsc2025"));
    assert_eq!(core.non_root_by_default, Some(false));
}

#[test]
fn tag_kinds() {
    let kind = |text: &str| known(&format!("{MCR}/{text}")).tag_kind;
    assert_eq!(kind("aspnet"), TagKind::ImplicitLatest);
    assert_eq!(kind("aspnet:latest"), TagKind::Latest);
    assert_eq!(kind("aspnet:10.0-alpine"), TagKind::Floating);
    assert_eq!(kind("aspnet:11.0-preview"), TagKind::Floating);
    assert_eq!(kind("aspnet:10.0.11-noble"), TagKind::Fixed);
    assert_eq!(kind("sdk:10.0.400"), TagKind::Fixed);
    assert_eq!(kind("monitor:10"), TagKind::Major);
    assert_eq!(kind("aspnet:8.0.30-1"), TagKind::Fixed);
    assert_eq!(
        kind("aspnet:10.0.5-noble-chiseled"),
        TagKind::FixedOtherVersion {
            version: "10.0.5".to_string()
        }
    );
    assert_eq!(
        kind("sdk:10.0.100-alpine3.24"),
        TagKind::FixedOtherVersion {
            version: "10.0.100".to_string()
        }
    );
    assert_eq!(
        kind("runtime:11.0.0-preview.5-alpine3.24"),
        TagKind::FixedOtherVersion {
            version: "11.0.0-preview.5".to_string()
        }
    );
    let arm = known(&format!("{MCR}/aspnet:10.0.5-noble-chiseled-arm64v8"));
    assert_eq!(
        (arm.image.variant, arm.arch),
        ("noble-chiseled", Some(Arch::Arm64v8))
    );
    let with_digest = known(&format!(
        "{MCR}/sdk:10.0@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
    ));
    assert_eq!(with_digest.image.variant, "noble");
    assert!(with_digest.digest.is_some());
}

#[test]
fn unknown_tags_get_did_you_mean_suggestions() {
    let suggestions = |text: &str| match lookup(&format!("{MCR}/{text}")) {
        ImageMatch::UnknownTag(unknown) => unknown.suggestions,
        other => panic!("{text}: expected unknown tag, got {other:?}"),
    };
    assert_eq!(suggestions("aspnet:10.0-alpin"), ["10.0-alpine"]);
    assert_eq!(
        suggestions("aspnet:10.0-noble-chisled"),
        ["10.0-noble-chiseled"]
    );
    assert_eq!(
        suggestions("aspnet:10.0.11-noble-chisled"),
        ["10.0.11-noble-chiseled"]
    );
    assert_eq!(suggestions("aspnet:10.0.11-nobel"), ["10.0.11-noble"]);
    assert_eq!(suggestions("sdk:10.0.11"), ["10.0.400"]);
    assert_eq!(
        suggestions("sdk:10.0.11-alpine3.24"),
        ["10.0.400-alpine3.24", "10.0.400-alpine3.23"]
    );
    assert_eq!(suggestions("aspnet:10"), ["10.0"]);
    assert_eq!(
        suggestions("aspnet:11.0-alpine"),
        [
            "11.0-preview-alpine",
            "11.0-preview-alpine-extra",
            "11.0-preview-alpine-composite"
        ]
    );
    assert_eq!(
        suggestions("runtime:10.0-chiseled"),
        [
            "10.0-noble-chiseled",
            "10.0-resolute-chiseled",
            "10.0-noble-chiseled-extra"
        ]
    );
    assert_eq!(
        suggestions("aspnet:10.0-arm64"),
        [
            "10.0-noble-arm64v8",
            "10.0-alpine-arm64v8",
            "10.0-resolute-arm64v8"
        ]
    );
    assert_eq!(suggestions("aspnet:stable"), Vec::<String>::new());
    match lookup(&format!("{MCR}/sdk:10.0-chiseled")) {
        ImageMatch::UnknownTag(unknown) => {
            assert_eq!(unknown.dotnet_version, Some(DotnetVersion::new(10, 0)));
            assert!(unknown
                .note
                .is_some_and(|note| note.starts_with("SDK images have no chiseled")));
        }
        other => panic!("{other:?}"),
    }
    match lookup(&format!("{MCR}/aspnet:12.0")) {
        ImageMatch::UnknownTag(unknown) => assert_eq!(unknown.dotnet_version, None),
        other => panic!("{other:?}"),
    }
}

#[test]
fn retired_variants_and_versions() {
    match lookup(&format!("{MCR}/aspnet:8.0-alpine3.20")) {
        ImageMatch::Retired(retired) => {
            assert_eq!(retired.replacement.as_deref(), Some("8.0-alpine"));
            assert_eq!(
                retired.retired_variant.map(|v| (v.first_seen, v.last_seen)),
                Some(("2024-06-11", "2025-03-18"))
            );
        }
        other => panic!("{other:?}"),
    }
    let alpine = facts(&format!("{MCR}/aspnet:8.0-alpine3.20"));
    assert_eq!(alpine.os_family, Some(OsFamily::Alpine));
    assert_eq!(alpine.libc, Some(Libc::Musl));
    assert_eq!(alpine.package_manager, Some(PackageManager::Apk));
    assert_eq!(alpine.has_icu, None);
    assert_eq!(
        alpine.deprecation.map(|d| d.replacement),
        Some("8.0-alpine".to_string())
    );

    let mariner = facts(&format!("{MCR}/runtime:8.0-cbl-mariner2.0-distroless"));
    assert_eq!(
        mariner.deprecation.map(|d| d.replacement),
        Some("8.0-azurelinux3.0-distroless".to_string())
    );
    assert_eq!(
        (mariner.has_shell, mariner.package_manager),
        (Some(false), Some(PackageManager::None))
    );

    let removed = facts(&format!("{MCR}/sdk:8.0-noble-aot"));
    assert_eq!(
        removed.deprecation.map(|d| d.reason),
        Some("8.0/9.0 native AOT SDK images were removed in 2025-04; -aot SDK tags exist from .NET 10".to_string())
    );

    let net6 = facts(&format!("{MCR}/aspnet:6.0-bullseye-slim"));
    assert_eq!(net6.dotnet_version, Some(DotnetVersion::new(6, 0)));
    assert_eq!(net6.support_end, Some("2024-11-12"));
    assert_eq!(net6.deprecation, None);
    assert_eq!(net6.os_family, Some(OsFamily::Debian));
    assert!(!net6.from_catalog);
    match lookup(&format!("{MCR}/runtime:7.0")) {
        ImageMatch::Retired(retired) => {
            assert_eq!(retired.replacement.as_deref(), Some("10.0"));
            assert_eq!(retired.variant, None);
        }
        other => panic!("{other:?}"),
    }
    match lookup(&format!("{MCR}/aspnet:6.0-alpine")) {
        ImageMatch::Retired(retired) => {
            assert_eq!(retired.replacement.as_deref(), Some("10.0-alpine"))
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn deprecated_repositories() {
    let deprecated = |text: &str| match lookup(text) {
        ImageMatch::Deprecated(deprecated) => (
            deprecated.kind,
            deprecated.dotnet_version,
            deprecated.replacement,
        ),
        other => panic!("{text}: {other:?}"),
    };
    assert_eq!(
        deprecated("mcr.microsoft.com/dotnet/core/aspnet:3.1"),
        (
            RepoKind::Aspnet,
            Some(DotnetVersion::new(3, 1)),
            "mcr.microsoft.com/dotnet/aspnet:10.0".to_string()
        )
    );
    assert_eq!(
        deprecated("mcr.microsoft.com/dotnet/core/sdk"),
        (
            RepoKind::Sdk,
            None,
            "mcr.microsoft.com/dotnet/sdk:10.0".to_string()
        )
    );
    assert_eq!(
        deprecated("mcr.microsoft.com/dotnet/core-nightly/runtime-deps:3.0"),
        (
            RepoKind::RuntimeDeps,
            Some(DotnetVersion::new(3, 0)),
            "mcr.microsoft.com/dotnet/nightly/runtime-deps:10.0".to_string()
        )
    );
    assert_eq!(
        deprecated("microsoft/dotnet:2.1-aspnetcore-runtime"),
        (
            RepoKind::Aspnet,
            Some(DotnetVersion::new(2, 1)),
            "mcr.microsoft.com/dotnet/aspnet:10.0".to_string()
        )
    );
    assert_eq!(
        deprecated("docker.io/microsoft/dotnet:2.2-sdk"),
        (
            RepoKind::Sdk,
            Some(DotnetVersion::new(2, 2)),
            "mcr.microsoft.com/dotnet/sdk:10.0".to_string()
        )
    );
    assert_eq!(
        deprecated("microsoft/aspnetcore-build:2.0"),
        (
            RepoKind::Sdk,
            Some(DotnetVersion::new(2, 0)),
            "mcr.microsoft.com/dotnet/sdk:10.0".to_string()
        )
    );
    let facts = facts("mcr.microsoft.com/dotnet/core/aspnet:3.1");
    assert_eq!(
        facts.deprecation,
        Some(Deprecation {
            replacement: "mcr.microsoft.com/dotnet/aspnet:10.0".to_string(),
            reason: "renamed to mcr.microsoft.com/dotnet/* with .NET 5 (2020-11); no updates since .NET Core 3.1 reached end of support (2022-12-13)".to_string(),
        })
    );
    assert_eq!(facts.support_end, Some("2022-12-13"));
    // Same names elsewhere are not deprecated.
    assert_eq!(
        lookup("ghcr.io/microsoft/dotnet:2.1-sdk"),
        ImageMatch::Other { microsoft: false }
    );
    assert_eq!(
        deprecated("microsoft/dotnet-framework:4.8-sdk"),
        (
            RepoKind::Other,
            None,
            "mcr.microsoft.com/dotnet/framework/*".to_string()
        )
    );
    assert_eq!(
        deprecated("microsoft/dotnet-nightly:2.1-runtime-deps"),
        (
            RepoKind::RuntimeDeps,
            Some(DotnetVersion::new(2, 1)),
            "mcr.microsoft.com/dotnet/runtime-deps:10.0".to_string()
        )
    );
    assert_eq!(
        deprecated("microsoft/aspnetcore:2.0"),
        (
            RepoKind::Aspnet,
            Some(DotnetVersion::new(2, 0)),
            "mcr.microsoft.com/dotnet/aspnet:10.0".to_string()
        )
    );
    assert_eq!(
        lookup("microsoftx/dotnet:2.1-sdk"),
        ImageMatch::Other { microsoft: false }
    );
}

#[test]
fn nightly_repositories() {
    let nightly = known(&format!("{MCR}/nightly/aspnet:10.0"));
    assert!(nightly.nightly);
    assert_eq!(nightly.image.variant, "noble");
    assert!(facts(&format!("{MCR}/nightly/aspnet:10.0")).is_nightly);
    match lookup(&format!("{MCR}/nightly/sdk:10.0-azurelinux4.0")) {
        ImageMatch::NightlyUnlisted { repo, tag } => assert_eq!(
            (repo.path, tag.as_str()),
            ("dotnet/sdk", "10.0-azurelinux4.0")
        ),
        other => panic!("{other:?}"),
    }
    assert_eq!(
        lookup(&format!("{MCR}/nightly/yarp:2.3-preview")),
        ImageMatch::Other { microsoft: true }
    );
}

#[test]
fn special_and_foreign_references() {
    assert_eq!(lookup("scratch"), ImageMatch::Scratch);
    let scratch = facts("scratch");
    assert_eq!(
        (scratch.has_shell, scratch.package_manager),
        (Some(false), Some(PackageManager::None))
    );
    assert_eq!(lookup("nginx:1.27"), ImageMatch::Other { microsoft: false });
    assert_eq!(
        lookup("mcr.microsoft.com/azurelinux/base/core:3.0"),
        ImageMatch::Other { microsoft: true }
    );
    assert_eq!(
        lookup("mcr.microsoft.com/dotnet/framework/sdk:4.8"),
        ImageMatch::Other { microsoft: true }
    );
    assert_eq!(
        lookup("ghcr.io/dotnet/sdk:10.0"),
        ImageMatch::Other { microsoft: false }
    );
    assert_eq!(lookup("nginx:1.27").facts(catalog()), None);
    assert!(matches!(
        lookup(&format!(
            "{MCR}/aspnet@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
        )),
        ImageMatch::DigestOnly { nightly: false, .. }
    ));
    assert!(matches!(
        lookup(&format!("{MCR}/aspnet:${{TAG}}")),
        ImageMatch::Unresolved { repo: Some(_), .. }
    ));
    assert!(matches!(
        lookup("${IMAGE}"),
        ImageMatch::Unresolved { repo: None, .. }
    ));
    assert_eq!(lookup("${IMAGE}").facts(catalog()), None);
    let partly = ImageRef::parse_expanded(
        &format!("{MCR}/aspnet:-alpine"),
        &format!("{MCR}/aspnet:${{V}}-alpine"),
        true,
    );
    assert!(matches!(
        catalog().lookup(&partly),
        ImageMatch::Unresolved { repo: None, .. }
    ));
    assert_eq!(lookup(&format!("{MCR}/SDK:10.0")), ImageMatch::Invalid);
}

#[test]
fn undocumented_alias_tags_are_known_and_flagged() {
    let alias = known(&format!("{MCR}/runtime-deps:9.0-alpine-aot"));
    assert!(alias.undocumented);
    assert_eq!(alias.image.variant, "alpine3.24");
    let facts = facts(&format!("{MCR}/runtime-deps:9.0-alpine-aot"));
    assert_eq!(
        facts.deprecation.map(|d| d.replacement),
        Some("9.0-alpine".to_string())
    );
    let arm = known(&format!("{MCR}/runtime-deps:9.0-alpine3.23-aot-arm32v7"));
    assert_eq!((arm.undocumented, arm.arch), (true, Some(Arch::Arm32v7)));
    assert!(known(&format!("{MCR}/monitor:8-cbl-mariner-distroless")).undocumented);
}

#[test]
fn sizes_and_inlay_hints_follow_the_platform() {
    let aspnet = known(&format!("{MCR}/aspnet:10.0"));
    assert_eq!(aspnet.inlay_hint(None).as_deref(), Some("≈ 91 MB"));
    assert_eq!(
        aspnet.inlay_hint(Some("linux/arm64")).as_deref(),
        Some("≈ 88 MB")
    );
    assert_eq!(
        aspnet.inlay_hint(Some("linux/arm/v7")).as_deref(),
        Some("≈ 85 MB")
    );
    assert_eq!(
        aspnet.inlay_hint(Some("$TARGETPLATFORM")).as_deref(),
        Some("≈ 91 MB")
    );
    assert_eq!(
        aspnet.size_for(None).map(|size| size.compressed_bytes),
        Some(95_868_968)
    );
    let distroless = known(&format!("{MCR}/aspnet:10.0-azurelinux3.0-distroless"));
    assert_eq!(distroless.inlay_hint(Some("linux/arm/v7")), None);
    let pinned = known(&format!("{MCR}/runtime-deps:10.0-noble-chiseled-arm64v8"));
    assert_eq!(
        pinned.inlay_hint(Some("linux/amd64")).as_deref(),
        Some("≈ 4.5 MB")
    );
    let core = known(&format!("{MCR}/aspnet:10.0-windowsservercore-ltsc2022"));
    assert_eq!(core.inlay_hint(None).as_deref(), Some("≈ 2.1 GB"));
    let sdk8 = known(&format!("{MCR}/sdk:8.0"));
    assert_eq!(
        sdk8.size_for(None).and_then(|size| size.uncompressed_bytes),
        Some(823_543_661)
    );
}

#[test]
fn smaller_alternatives_for_the_same_app() {
    let describe = |text: &str, arch: Arch, fixed: bool| -> Vec<String> {
        let found = known(text);
        catalog()
            .alternatives(found.image, arch, fixed)
            .iter()
            .map(|alt| alt.describe())
            .collect()
    };
    assert_eq!(
        describe(&format!("{MCR}/aspnet:10.0"), Arch::Amd64, false),
        [
            "`10.0-noble-chiseled`: 52.6 MB, -39 MB, no shell, non-root, no ICU",
            "`10.0-alpine`: 51.8 MB, -40 MB, musl, no ICU",
            "`10.0-azurelinux3.0-distroless`: 59.1 MB, -32 MB, no shell, non-root, no ICU",
        ]
    );
    assert_eq!(
        describe(&format!("{MCR}/aspnet:10.0.11-noble"), Arch::Arm64v8, true),
        [
            "`10.0.11-noble-chiseled`: 49.0 MB, -39 MB, no shell, non-root, no ICU",
            "`10.0.11-alpine3.24`: 49.5 MB, -39 MB, musl, no ICU",
            "`10.0.11-azurelinux3.0-distroless`: 55.4 MB, -33 MB, no shell, non-root, no ICU",
        ]
    );
    assert_eq!(
        describe(
            &format!("{MCR}/aspnet:10.0-noble-chiseled-extra"),
            Arch::Amd64,
            false
        ),
        [
            "`10.0-noble-chiseled`: 52.6 MB, -15 MB, no ICU",
            "`10.0-alpine`: 51.8 MB, -16 MB, root, musl, no ICU",
            "`10.0-azurelinux3.0-distroless`: 59.1 MB, -8.4 MB, no ICU",
        ]
    );
    assert_eq!(
        describe(&format!("{MCR}/aspnet:9.0-alpine"), Arch::Amd64, false),
        [
            "`9.0-alpine3.24-composite`: 41.3 MB, -7.2 MB, composite",
            "`9.0-noble-chiseled-composite`: 42.1 MB, -6.4 MB, no shell, non-root, glibc, composite",
        ]
    );
    assert_eq!(
        describe(&format!("{MCR}/sdk:10.0"), Arch::Amd64, false),
        ["`10.0-alpine`: 271.3 MB, -41 MB, musl"]
    );
    assert_eq!(
        describe(
            &format!("{MCR}/runtime:10.0-windowsservercore-ltsc2025"),
            Arch::Amd64,
            false
        ),
        ["`10.0-nanoserver-ltsc2025`: 223.2 MB, -2.1 GB, non-root"]
    );
    assert!(describe(
        &format!("{MCR}/runtime-deps:10.0-alpine"),
        Arch::Amd64,
        false
    )
    .is_empty());
    assert!(describe(
        &format!("{MCR}/aspnet:10.0-azurelinux3.0"),
        Arch::Arm32v7,
        false
    )
    .is_empty());
}

#[test]
fn garbage_references_never_panic() {
    for text in [
        "",
        ":",
        "@",
        "mcr.microsoft.com/dotnet/aspnet:",
        "mcr.microsoft.com/dotnet/aspnet:-",
        "mcr.microsoft.com/dotnet/aspnet:10.",
        "mcr.microsoft.com/dotnet/aspnet:.10",
        "mcr.microsoft.com/dotnet/aspnet:10.0.",
        "mcr.microsoft.com/dotnet/aspnet:10.0-",
        "mcr.microsoft.com/dotnet/aspnet:10.0--alpine",
        "mcr.microsoft.com/dotnet/aspnet:99999999999999.0",
        "mcr.microsoft.com/dotnet/aspnet:10.0-preview.",
        "mcr.microsoft.com/dotnet/aspnet:10.0.0-rc.-x",
        "mcr.microsoft.com/dotnet/sdk:10.0.99999999999999999999",
        "mcr.microsoft.com/dotnet/nightly/",
        "mcr.microsoft.com/dotnet/core/",
        "mcr.microsoft.com/dotnet/aspnet:amd64",
        "mcr.microsoft.com/dotnet/aspnet:-amd64",
        "mcr.microsoft.com/dotnet/aspnet:1-1-1-1",
        "mcr.microsoft.com/dotnet/monitor:8.1.0-1-1",
        "microsoft/dotnet:",
        "microsoft/dotnet:latest",
    ] {
        let reference = ImageRef::parse(text);
        let found = catalog().lookup(&reference);
        let _ = found.facts(catalog());
        let _ = super::hover::image_hover_markdown(&reference, "2026-08-25", Some("arm64"));
        let _ = super::hover::image_hover_markdown(&reference, "not a date", Some("s390x"));
    }
}
