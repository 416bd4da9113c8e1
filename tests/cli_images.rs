//! `dockside images` and `dockside --version` through the real binary.

use std::process::Command;

struct Outcome {
    code: i32,
    stdout: String,
    stderr: String,
}

fn dockside(args: &[&str]) -> Outcome {
    let output = Command::new(env!("CARGO_BIN_EXE_dockside"))
        .args(args)
        .env("DOCKSIDE_TODAY", "2026-11-26")
        .output()
        .expect("the dockside binary runs");
    Outcome {
        code: output.status.code().expect("dockside exits normally"),
        stdout: String::from_utf8(output.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(output.stderr).expect("stderr is UTF-8"),
    }
}

#[test]
fn version_names_the_catalog_snapshot() {
    let outcome = dockside(&["--version"]);
    assert_eq!(
        outcome.stdout,
        format!(
            "dockside {} (.NET image catalog 2026-08)\n",
            env!("CARGO_PKG_VERSION")
        )
    );
    assert_eq!(outcome.code, 0);
}

#[test]
fn images_lists_the_tags_of_a_version_with_sizes_and_support() {
    let outcome = dockside(&["images", "aspnet", "10.0", "chiseled"]);
    assert_eq!(outcome.stderr, "");
    assert_eq!(
        outcome.stdout,
        "mcr.microsoft.com/dotnet/aspnet: 8 tags, compressed sizes as of 2026-08 (1 MB = 1024² bytes)

TAG                                     OS                                  AMD64    ARM64    ARM32  SUPPORT
10.0-noble-chiseled                     Ubuntu 24.04 chiseled (noble)     52.6 MB  49.0 MB  48.3 MB  LTS, until 2028-11-14
10.0-noble-chiseled-extra               Ubuntu 24.04 chiseled (noble)     67.4 MB  63.8 MB  62.7 MB  LTS, until 2028-11-14
10.0-noble-chiseled-composite-extra     Ubuntu 24.04 chiseled (noble)     66.9 MB  63.2 MB  62.1 MB  LTS, until 2028-11-14
10.0-noble-chiseled-composite           Ubuntu 24.04 chiseled (noble)     52.0 MB  48.4 MB  47.7 MB  LTS, until 2028-11-14
10.0-resolute-chiseled                  Ubuntu 26.04 chiseled (resolute)  53.8 MB  50.7 MB  49.2 MB  LTS, until 2028-11-14
10.0-resolute-chiseled-extra            Ubuntu 26.04 chiseled (resolute)  69.5 MB  66.4 MB  64.5 MB  LTS, until 2028-11-14
10.0-resolute-chiseled-composite-extra  Ubuntu 26.04 chiseled (resolute)  69.0 MB  65.8 MB  63.9 MB  LTS, until 2028-11-14
10.0-resolute-chiseled-composite        Ubuntu 26.04 chiseled (resolute)  53.2 MB  50.1 MB  48.7 MB  LTS, until 2028-11-14
"
    );
    assert_eq!(outcome.code, 0);
}

#[test]
fn images_aspnet_10_0_starts_with_the_default_tags_and_ends_with_latest() {
    let outcome = dockside(&["images", "aspnet", "10.0"]);
    assert_eq!(outcome.code, 0);
    let lines: Vec<&str> = outcome.stdout.lines().collect();
    assert_eq!(
        lines[0],
        "mcr.microsoft.com/dotnet/aspnet: 31 tags, compressed sizes as of 2026-08 (1 MB = 1024² bytes)"
    );
    assert_eq!(
        lines[3],
        "10.0                                           Ubuntu 24.04 (noble)               91.4 MB   88.0 MB  85.4 MB  LTS, until 2028-11-14"
    );
    assert_eq!(
        lines.last().copied(),
        Some("latest                                         Ubuntu 24.04 (noble)               91.4 MB   88.0 MB  85.4 MB  LTS, until 2028-11-14")
    );
    assert_eq!(lines.len(), 3 + 31);
}

#[test]
fn out_of_support_versions_say_so_on_the_fixed_day() {
    let outcome = dockside(&["images", "runtime", "8.0", "alpine3.24-extra"]);
    assert_eq!(
        outcome.stdout,
        "mcr.microsoft.com/dotnet/runtime: 1 tag, compressed sizes as of 2026-08 (1 MB = 1024² bytes)

TAG                   OS             AMD64    ARM64    ARM32  SUPPORT
8.0-alpine3.24-extra  Alpine 3.24  50.4 MB  49.3 MB  47.8 MB  out of support since 2026-11-10
"
    );
}

#[test]
fn usage_errors_go_to_stderr_with_exit_code_2() {
    let outcome = dockside(&["images", "nginx"]);
    assert_eq!(outcome.stdout, "");
    assert_eq!(
        outcome.stderr,
        "dockside images: unknown repository `nginx`; known: sdk, aspnet, runtime, runtime-deps, monitor, monitor/base, aspire-dashboard\n"
    );
    assert_eq!(outcome.code, 2);
    let nothing = dockside(&["images", "aspnet", "7.0"]);
    assert_eq!(
        nothing.stdout,
        "mcr.microsoft.com/dotnet/aspnet: 0 tags, compressed sizes as of 2026-08 (1 MB = 1024² bytes)\nNo tags match.\n"
    );
    assert_eq!(nothing.code, 1);
}
