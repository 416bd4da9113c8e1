//! Registry look-ups against a real registry server (Debian's `docker-registry`) on 127.0.0.1:
//! images pushed over its HTTP API by the test, then read back through the service and
//! `dockside images inspect`. Nothing is mocked.

mod registry_support;

use std::net::TcpListener;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use dockside::images::registry::{
    remote_hover_lines, LookupErrorKind, RegistryOptions, RegistryService, RemoteAbsence,
    RemoteLookup, RemotePlatform,
};
use dockside::images::{Arch, ImageRef};
use registry_support::{push_test_images, text_at, Registry, OCI_INDEX, OCI_MANIFEST};

fn service(registry_host: &str, cache: &Path) -> RegistryService {
    RegistryService::with_options(
        &[registry_host.to_string()],
        RegistryOptions {
            cache_dir: Some(cache.to_path_buf()),
            docker_config: Some(cache.join("no-docker-config.json")),
            log_failures: false,
            ..RegistryOptions::default()
        },
    )
}

fn platform(
    os: &str,
    arch: &str,
    variant: Option<&str>,
    digest: &str,
    bytes: u64,
    layers: usize,
) -> RemotePlatform {
    RemotePlatform {
        os: os.to_string(),
        architecture: arch.to_string(),
        variant: variant.map(str::to_string),
        os_version: None,
        digest: digest.to_string(),
        compressed_bytes: bytes,
        layers,
    }
}

#[test]
fn index_platforms_sizes_digest_tags_and_not_found() {
    let registry = Registry::start();
    let pushed = push_test_images(&registry, "team/app");
    let host = registry.host();
    let cache = tempfile::tempdir().expect("cache dir");
    let service = service(&host, cache.path());

    let reference = ImageRef::parse(&format!("{host}/team/app:1.0"));
    let started = Instant::now();
    let lookup = service
        .lookup_blocking(&reference, Duration::from_secs(20))
        .expect("look-up");
    eprintln!(
        "index look-up (index + 2 manifests + tags): {:?}",
        started.elapsed()
    );
    let RemoteLookup::Found(image) = lookup else {
        panic!("expected the image, got {lookup:?}");
    };
    assert_eq!(image.registry, host);
    assert_eq!(image.repository, "team/app");
    assert_eq!(image.tag.as_deref(), Some("1.0"));
    assert_eq!(image.digest, pushed.index_digest);
    assert_eq!(image.media_type, OCI_INDEX);
    // The attestation manifest is not a platform.
    assert_eq!(
        image.platforms,
        vec![
            platform(
                "linux",
                "amd64",
                None,
                &pushed.amd64.manifest_digest,
                pushed.amd64.compressed_bytes,
                2
            ),
            platform(
                "linux",
                "arm64",
                Some("v8"),
                &pushed.arm64.manifest_digest,
                pushed.arm64.compressed_bytes,
                1
            ),
        ]
    );
    // Layers plus config: 150 000 + 50 000 + the config blob.
    assert!(pushed.amd64.compressed_bytes > 200_000 && pushed.amd64.compressed_bytes < 200_200);
    assert_eq!(
        image.tags.as_deref(),
        Some(&["1.0".to_string(), "1.1".to_string(), "latest".to_string()][..])
    );
    assert!(!image.tags_truncated);
    assert_eq!(
        image.pinned_reference(),
        format!("{host}/team/app:1.0@{}", pushed.index_digest)
    );

    let hover = remote_hover_lines(&image, Arch::Arm64v8);
    let first_line = hover.lines().next().unwrap_or_default();
    assert!(
        first_line.starts_with("**0.1 MB** compressed for `linux/arm64/v8` (registry, as of 20"),
        "{hover}"
    );
    assert_eq!(
        hover.lines().skip(1).collect::<Vec<_>>(),
        [
            "",
            "Platforms: `linux/amd64` 0.2 MB · `linux/arm64/v8` 0.1 MB",
            "",
            &format!("Digest: `{}`", pushed.index_digest),
        ]
    );

    // The cache answers at once, found or not.
    assert_eq!(service.cached(&reference), Some(image.clone()));

    // A single-platform manifest names its platform in its config blob.
    let single = service
        .lookup_blocking(
            &ImageRef::parse(&format!("{host}/team/app:1.1")),
            Duration::from_secs(20),
        )
        .expect("look-up 1.1");
    let single = single.found().expect("1.1 exists").clone();
    assert_eq!(single.media_type, OCI_MANIFEST);
    assert_eq!(single.digest, pushed.single.manifest_digest);
    assert_eq!(
        single.platforms,
        vec![platform(
            "linux",
            "amd64",
            None,
            &pushed.single.manifest_digest,
            pushed.single.compressed_bytes,
            1
        )]
    );

    // A missing tag is an answer, with the tags the repository has.
    let missing = service
        .lookup_blocking(
            &ImageRef::parse(&format!("{host}/team/app:9.9")),
            Duration::from_secs(20),
        )
        .expect("look-up 9.9");
    let RemoteLookup::NotFound(absence) = missing else {
        panic!("expected not found, got {missing:?}");
    };
    assert_eq!(
        absence,
        RemoteAbsence {
            registry: host.clone(),
            repository: "team/app".into(),
            tag: Some("9.9".into()),
            digest: None,
            repository_exists: true,
            known_tags: vec!["1.0".into(), "1.1".into(), "latest".into()],
            checked_at: absence.checked_at,
        }
    );
    assert_eq!(
        absence.describe(),
        format!("registry {host} has no tag `9.9` in team/app (tags: 1.0, 1.1, latest)")
    );
    let gone = service
        .lookup_blocking(
            &ImageRef::parse(&format!("{host}/team/gone:1.0")),
            Duration::from_secs(20),
        )
        .expect("look-up of a missing repository");
    assert_eq!(
        gone.clone(),
        RemoteLookup::NotFound(RemoteAbsence {
            registry: host.clone(),
            repository: "team/gone".into(),
            tag: Some("1.0".into()),
            digest: None,
            repository_exists: false,
            known_tags: Vec::new(),
            checked_at: gone.checked_at(),
        })
    );
    // Through the trait analysis uses: not-found is visible, found is not an absence.
    use dockside::images::registry::RegistryLookup;
    let lookup: &dyn RegistryLookup = &service;
    assert!(matches!(
        lookup.cached(&ImageRef::parse(&format!("{host}/team/app:9.9"))),
        Some(RemoteLookup::NotFound(_))
    ));

    // By digest: the platform manifest itself.
    let by_digest = service
        .lookup_blocking(
            &ImageRef::parse(&format!("{host}/team/app@{}", pushed.arm64.manifest_digest)),
            Duration::from_secs(20),
        )
        .expect("look-up by digest");
    assert_eq!(
        by_digest.found().map(|image| image.platforms.clone()),
        Some(vec![platform(
            "linux",
            "arm64",
            Some("v8"),
            &pushed.arm64.manifest_digest,
            pushed.arm64.compressed_bytes,
            1
        )])
    );
}

#[test]
fn queued_requests_complete_on_the_channel_and_the_disk_cache_serves_a_new_service() {
    let registry = Registry::start();
    let pushed = push_test_images(&registry, "team/app");
    let host = registry.host();
    let cache = tempfile::tempdir().expect("cache dir");
    let reference = ImageRef::parse(&format!("{host}/team/app"));
    {
        let service = service(&host, cache.path());
        let completions = service.completions();
        assert_eq!(service.cached(&reference), None);
        let started = Instant::now();
        assert!(service.request(&reference), "queued");
        // A second request while the first is pending is not queued again.
        assert!(!service.request(&reference));
        let completion = completions
            .recv_timeout(Duration::from_secs(20))
            .expect("completion");
        eprintln!("queued look-up completed after {:?}", started.elapsed());
        assert_eq!(completion.key, format!("{host}/team/app:latest"));
        let image = completion
            .result
            .expect("found")
            .found()
            .cloned()
            .expect("found");
        assert_eq!(image.digest, pushed.index_digest);
        assert_eq!(service.cached(&reference), Some(image));
        // Fresh: nothing to do.
        assert!(!service.request(&reference));
        assert!(completions
            .recv_timeout(Duration::from_millis(300))
            .is_err());
    }
    let requests_before = registry.request_lines().len();
    let files: Vec<_> = std::fs::read_dir(cache.path())
        .expect("cache files")
        .flatten()
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(files.len(), 1, "{files:?}");
    assert!(files[0].starts_with("127.0.0.1_"), "{files:?}");

    // A new service (a restarted editor) answers from disk without asking the registry.
    let service = service(&host, cache.path());
    let started = Instant::now();
    let cached = service.cached(&reference).expect("cached on disk");
    eprintln!("cached() from disk: {:?}", started.elapsed());
    assert_eq!(cached.digest, pushed.index_digest);
    assert!(
        !service.request(&reference),
        "fresh on disk: not asked again"
    );
    std::thread::sleep(Duration::from_millis(200));
    assert_eq!(registry.request_lines().len(), requests_before);
}

#[test]
fn stopped_registry_cache_still_serves_and_failures_back_off() {
    let mut registry = Registry::start();
    push_test_images(&registry, "team/app");
    let host = registry.host();
    let cache = tempfile::tempdir().expect("cache dir");
    let service = service(&host, cache.path());
    let reference = ImageRef::parse(&format!("{host}/team/app:1.0"));
    let image = service
        .lookup_blocking(&reference, Duration::from_secs(20))
        .expect("look-up")
        .found()
        .cloned()
        .expect("found");

    registry.stop();

    assert_eq!(service.cached(&reference), Some(image.clone()));
    let started = Instant::now();
    let error = service
        .lookup_blocking(&reference, Duration::from_secs(20))
        .expect_err("the registry is down");
    eprintln!(
        "failed look-up against a stopped registry: {:?}",
        started.elapsed()
    );
    assert_eq!(error.kind, LookupErrorKind::Unreachable);
    assert!(
        error.message.starts_with(&format!(
            "cannot reach registry {host} for {host}/team/app:1.0: error sending request"
        )),
        "{}",
        error.message
    );
    assert!(
        error.message.contains("Connection refused"),
        "{}",
        error.message
    );
    // The registry is backing off: a new request is not even queued...
    let other = ImageRef::parse(&format!("{host}/team/app:1.1"));
    assert!(!service.request(&other));
    // ...and a forced look-up says why without trying.
    let backing_off = service
        .lookup_blocking(&other, Duration::from_secs(5))
        .expect_err("backing off");
    assert_eq!(backing_off.kind, LookupErrorKind::BackingOff);
    assert!(
        backing_off.message.starts_with(&format!(
            "registry {host} failed recently; not asked again for "
        )),
        "{}",
        backing_off.message
    );
    // What was known is still served.
    assert_eq!(service.cached(&reference), Some(image));
}

#[test]
fn timeouts_and_at_most_four_requests_in_flight() {
    // A port that accepts connections and never answers: every exchange hits the timeout.
    let silent = TcpListener::bind("127.0.0.1:0").expect("bind");
    silent.set_nonblocking(true).expect("nonblocking");
    let host = format!("127.0.0.1:{}", silent.local_addr().expect("addr").port());
    let cache = tempfile::tempdir().expect("cache dir");
    let service = RegistryService::with_options(
        std::slice::from_ref(&host),
        RegistryOptions {
            cache_dir: Some(cache.path().to_path_buf()),
            docker_config: Some(cache.path().join("none.json")),
            timeout: Duration::from_millis(1500),
            log_failures: false,
            ..RegistryOptions::default()
        },
    );
    let completions = service.completions();
    let started = Instant::now();
    for n in 0..8 {
        assert!(service.request(&ImageRef::parse(&format!("{host}/team/app:{n}"))));
    }
    let mut open = Vec::new();
    while started.elapsed() < Duration::from_millis(1200) {
        match silent.accept() {
            Ok((stream, _)) => open.push(stream),
            Err(_) => std::thread::sleep(Duration::from_millis(20)),
        }
    }
    assert_eq!(
        open.len(),
        4,
        "connections in flight before the first timeout"
    );
    let first = completions
        .recv_timeout(Duration::from_secs(10))
        .expect("a completion");
    let waited = started.elapsed();
    eprintln!("first timeout reported after {waited:?}");
    let error = first.result.expect_err("timed out");
    assert_eq!(error.kind, LookupErrorKind::Timeout);
    assert_eq!(
        error.message,
        format!(
            "registry {host} timed out for {}: no answer within 1.5 s",
            first.key
        )
    );
    assert!(
        waited >= Duration::from_millis(1400) && waited < Duration::from_secs(4),
        "{waited:?}"
    );
}

#[test]
fn cli_inspect_prints_platforms_sizes_digest_and_tags() {
    let mut registry = Registry::start();
    let pushed = push_test_images(&registry, "team/app");
    let host = registry.host();
    let cache = tempfile::tempdir().expect("cache dir");
    let inspect = |args: &[&str]| {
        let started = Instant::now();
        let output = Command::new(env!("CARGO_BIN_EXE_dockside"))
            .arg("images")
            .arg("inspect")
            .args(args)
            .env("DOCKSIDE_CACHE_DIR", cache.path())
            .env("DOCKER_CONFIG", cache.path().join("docker"))
            .current_dir(cache.path())
            .output()
            .expect("run dockside");
        eprintln!("dockside images inspect {args:?}: {:?}", started.elapsed());
        (
            String::from_utf8_lossy(&output.stdout).into_owned(),
            String::from_utf8_lossy(&output.stderr).into_owned(),
            output.status.code(),
        )
    };
    let reference = format!("{host}/team/app:1.0");
    let (stdout, stderr, code) = inspect(&["--insecure", &reference]);
    assert_eq!((code, stderr.as_str()), (Some(0), ""), "{stdout}");
    let lines: Vec<&str> = stdout.lines().collect();
    assert!(
        lines[5].starts_with("  as of      20") && lines[5].ends_with(" UTC, over plain HTTP"),
        "{stdout}"
    );
    let amd = &pushed.amd64.manifest_digest;
    let arm = &pushed.arm64.manifest_digest;
    let expected = vec![
        reference.clone(),
        format!("  digest     {}", pushed.index_digest),
        format!("  pin        {reference}@{}", pushed.index_digest),
        format!("  type       OCI image index ({OCI_INDEX})"),
        "  tags       3 in the repository: 1.0, 1.1, latest".to_string(),
        lines[5].to_string(),
        String::new(),
        format!("  PLATFORM        COMPRESSED  LAYERS  DIGEST"),
        format!("  linux/amd64         0.2 MB       2  {amd}"),
        format!("  linux/arm64/v8      0.1 MB       1  {arm}"),
        String::new(),
        "Compressed = layers + config, as pulled (1 MB = 1024² bytes).".to_string(),
    ];
    assert_eq!(
        lines,
        expected.iter().map(String::as_str).collect::<Vec<_>>()
    );

    let (stdout, _, code) = inspect(&["--json", "--insecure", &reference]);
    assert_eq!(code, Some(0));
    let json: serde_json::Value = serde_json::from_str(&stdout).expect("json");
    assert_eq!(text_at(&json, "/digest"), pushed.index_digest);
    assert_eq!(text_at(&json, "/tags_count"), "3");
    assert_eq!(text_at(&json, "/platforms/0/platform"), "linux/amd64");
    assert_eq!(
        text_at(&json, "/platforms/0/compressed_bytes"),
        pushed.amd64.compressed_bytes.to_string()
    );
    assert_eq!(text_at(&json, "/platforms/1/platform"), "linux/arm64/v8");
    assert_eq!(
        text_at(&json, "/platforms/1/compressed_bytes"),
        pushed.arm64.compressed_bytes.to_string()
    );
    assert_eq!(text_at(&json, "/plain_http"), "true");

    let (stdout, stderr, code) = inspect(&["--insecure", &format!("{host}/team/app:2.0")]);
    assert_eq!(
        (stdout.as_str(), stderr.as_str(), code),
        (
            format!("registry {host} has no tag `2.0` in team/app (tags: 1.0, 1.1, latest)\n")
                .as_str(),
            "",
            Some(1)
        )
    );

    // Without --insecure (and no dockside.toml) only HTTPS is allowed: a clear hint.
    let (_, stderr, code) = inspect(&[&reference]);
    assert_eq!(code, Some(3));
    assert!(
        stderr.starts_with(&format!(
            "dockside images inspect: cannot reach registry {host} over HTTPS for {reference}: "
        )),
        "{stderr}"
    );
    assert!(
        stderr.ends_with("; if it serves plain HTTP, list it in `registry.insecure`\n"),
        "{stderr}"
    );

    // dockside.toml's registry.insecure works like --insecure.
    std::fs::write(
        cache.path().join("dockside.toml"),
        format!("[registry]\ninsecure = [\"{host}\"]\n"),
    )
    .expect("write dockside.toml");
    let (_, _, code) = inspect(&[&reference]);
    assert_eq!(code, Some(0));

    // With the registry gone the cached answer is shown, labelled, and the exit code says so.
    registry.stop();
    let (stdout, stderr, code) = inspect(&["--insecure", &reference]);
    assert_eq!(code, Some(3));
    assert!(
        stderr.starts_with(&format!(
            "dockside images inspect: cannot reach registry {host} for {reference}: "
        )),
        "{stderr}"
    );
    assert!(stdout.starts_with("Cached answer from 20"), "{stdout}");
    assert!(
        stdout.ends_with(&(expected[6..].join("\n") + "\n")),
        "{stdout}"
    );

    let (stdout, stderr, code) = inspect(&["--insecure"]);
    assert_eq!((stdout.as_str(), code), ("", Some(2)));
    assert!(stderr.starts_with("dockside images inspect: missing the image reference\n\nUsage: dockside images inspect"), "{stderr}");
}
