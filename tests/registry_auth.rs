//! Credentials from a Docker config against a real registry that requires them (htpasswd,
//! bcrypt): the right ones are used, wrong or missing ones give a clear message, not a crash.

mod registry_support;

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use dockside::images::registry::{LookupErrorKind, RegistryOptions, RegistryService};
use dockside::images::ImageRef;
use registry_support::{docker_config, push_test_images, Registry};

fn service(host: &str, cache: &Path, docker_config: &Path) -> RegistryService {
    RegistryService::with_options(
        &[host.to_string()],
        RegistryOptions {
            cache_dir: Some(cache.to_path_buf()),
            docker_config: Some(docker_config.to_path_buf()),
            log_failures: false,
            ..RegistryOptions::default()
        },
    )
}

fn inspect(
    docker_config_dir: &Path,
    cache: &Path,
    reference: &str,
) -> (String, String, Option<i32>) {
    let output = Command::new(env!("CARGO_BIN_EXE_dockside"))
        .args(["images", "inspect", "--insecure", reference])
        .env("DOCKER_CONFIG", docker_config_dir)
        .env("DOCKSIDE_CACHE_DIR", cache)
        .current_dir(cache)
        .output()
        .expect("run dockside");
    (
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
        output.status.code(),
    )
}

#[test]
fn docker_config_credentials_are_used_and_wrong_ones_are_reported() {
    let registry = Registry::start_with_htpasswd("alice", "wonderland");
    let pushed = push_test_images(&registry, "team/app");
    let host = registry.host();
    let work = tempfile::tempdir().expect("work dir");
    let cache = work.path().join("cache");
    std::fs::create_dir_all(&cache).expect("cache dir");
    let reference_text = format!("{host}/team/app:1.0");
    let reference = ImageRef::parse(&reference_text);

    // Anonymous first: the registry says 401 and the message says what to do.
    let no_config = work.path().join("none").join("config.json");
    let anonymous = service(&host, &cache, &no_config)
        .lookup_blocking(&reference, Duration::from_secs(20))
        .expect_err("credentials needed");
    assert_eq!(anonymous.kind, LookupErrorKind::Unauthorized);
    assert_eq!(
        anonymous.message,
        format!(
            "registry {host} needs credentials for {reference_text}; none for it in {} (run `docker login {host}`)",
            no_config.display()
        )
    );

    // The right credentials, written the way `docker login` writes them.
    let good_dir = work.path().join("good");
    let good = docker_config(&good_dir, &host, "alice", "wonderland");
    let started = Instant::now();
    let found = service(&host, &cache, &good)
        .lookup_blocking(&reference, Duration::from_secs(20))
        .expect("look-up with credentials");
    eprintln!("authenticated look-up: {:?}", started.elapsed());
    let image = found.found().expect("found");
    assert_eq!(image.digest, pushed.index_digest);
    assert_eq!(image.platforms.len(), 2);
    // Anonymous was refused above; this time the registry authorized the requests.
    assert!(
        registry.log().contains("msg=\"authorized request\""),
        "the registry authorized alice:\n{}",
        registry.log()
    );

    // Wrong password: a clear message naming the user and the file, no crash.
    let bad_dir = work.path().join("bad");
    let bad = docker_config(&bad_dir, &host, "alice", "looking-glass");
    let wrong = service(&host, &cache, &bad)
        .lookup_blocking(&reference, Duration::from_secs(20))
        .expect_err("wrong password");
    assert_eq!(wrong.kind, LookupErrorKind::Unauthorized);
    assert_eq!(
        wrong.message,
        format!(
            "registry {host} refused the credentials of user `alice` from {} for {reference_text} (HTTP 401); run `docker login {host}` again",
            bad.display()
        )
    );

    // The same through the command line, with DOCKER_CONFIG pointing at each config.
    let fresh_cache = work.path().join("cli-cache");
    std::fs::create_dir_all(&fresh_cache).expect("cli cache");
    let (stdout, stderr, code) = inspect(&good_dir, &fresh_cache, &reference_text);
    assert_eq!((code, stderr.as_str()), (Some(0), ""), "{stdout}");
    assert!(
        stdout.contains(&format!("  digest     {}\n", pushed.index_digest)),
        "{stdout}"
    );

    let other_cache = work.path().join("cli-cache-2");
    std::fs::create_dir_all(&other_cache).expect("cli cache");
    let (stdout, stderr, code) = inspect(&bad_dir, &other_cache, &reference_text);
    assert_eq!((stdout.as_str(), code), ("", Some(3)));
    assert_eq!(
        stderr,
        format!(
            "dockside images inspect: registry {host} refused the credentials of user `alice` from {} for {reference_text} (HTTP 401); run `docker login {host}` again\n",
            bad.display()
        )
    );

    // A config Docker itself could not read is reported, and the look-up goes on without it.
    let broken_dir = work.path().join("broken");
    std::fs::create_dir_all(&broken_dir).expect("dir");
    std::fs::write(broken_dir.join("config.json"), "{\"auths\": {").expect("write");
    let (_, stderr, code) = inspect(&broken_dir, &other_cache, &reference_text);
    assert_eq!(code, Some(3));
    assert!(
        stderr.starts_with(&format!(
            "dockside images inspect: warning: {} is not a valid Docker config, no credentials used: ",
            broken_dir.join("config.json").display()
        )),
        "{stderr}"
    );
    assert!(stderr.contains("needs credentials"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}
