//! With `registry.enabled` off (the default) Dockside never opens a socket: the real binary,
//! as `dockside check` and as a language server, runs on Dockerfiles whose images live in a
//! real registry listening on 127.0.0.1, and the registry's log shows no request while a
//! second listening port sees no connection at all.

mod registry_support;
mod support;

use std::net::TcpListener;
use std::process::Command;
use std::time::Duration;

use registry_support::{push_test_images, Registry};
use serde_json::json;
use support::{initialize_params, vscode_capabilities, LspClient};

#[test]
fn registry_off_opens_no_socket() {
    let registry = Registry::start();
    push_test_images(&registry, "team/app");
    let host = registry.host();
    let tripwire = TcpListener::bind("127.0.0.1:0").expect("bind");
    tripwire.set_nonblocking(true).expect("nonblocking");
    let trip = format!("127.0.0.1:{}", tripwire.local_addr().expect("addr").port());

    let work = tempfile::tempdir().expect("workspace");
    let cache = work.path().join("cache");
    // Only this test runs in this binary, so the variable cannot race another test; the
    // language server started below inherits it.
    std::env::set_var("DOCKSIDE_CACHE_DIR", &cache);
    let dockerfile = format!(
        "FROM {host}/team/app:1.0 AS build\nFROM {trip}/team/app:9.9\nCOPY --from=build /x /x\n"
    );
    let default_dir = work.path().join("default");
    let explicit_dir = work.path().join("explicit");
    for dir in [&default_dir, &explicit_dir] {
        std::fs::create_dir_all(dir).expect("dir");
        std::fs::write(dir.join("Dockerfile"), &dockerfile).expect("Dockerfile");
    }
    std::fs::write(
        explicit_dir.join("dockside.toml"),
        format!("[registry]\nenabled = false\ninsecure = [\"{host}\", \"{trip}\"]\n"),
    )
    .expect("dockside.toml");

    let requests_after_push = registry.request_lines().len();
    assert!(
        requests_after_push > 0,
        "the registry logs requests:\n{}",
        registry.log()
    );

    for dir in [&default_dir, &explicit_dir] {
        let output = Command::new(env!("CARGO_BIN_EXE_dockside"))
            .arg("check")
            .arg(dir)
            .output()
            .expect("run dockside check");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(!stderr.contains("panicked"), "{stderr}");
    }

    // The editor: once with look-ups off in the settings; once with them on in the settings
    // but off in the project's dockside.toml, which has the last word.
    let sessions = [
        (
            json!({"dockside": {"registry": {"enabled": false, "insecure": [host, trip]}}}),
            &default_dir,
        ),
        (
            json!({"dockside": {"registry": {"enabled": true, "insecure": [host, trip]}}}),
            &explicit_dir,
        ),
    ];
    for (settings, dir) in sessions {
        let mut client = LspClient::start();
        let mut params = initialize_params(vscode_capabilities(true));
        params["initializationOptions"] = settings.clone();
        client.request("initialize", params).expect("initialize");
        client.notify("initialized", json!({}));
        client.notify(
            "workspace/didChangeConfiguration",
            json!({"settings": settings}),
        );
        let uri = format!("file://{}", dir.join("Dockerfile").to_string_lossy());
        client.open(&uri, 1, &dockerfile);
        let diagnostics = client.diagnostics(&uri, 1);
        assert!(
            !diagnostics
                .iter()
                .any(|d| d["code"] == "ImageNotFoundInRegistry"),
            "{diagnostics:?}"
        );
        let position =
            json!({"textDocument": {"uri": uri}, "position": {"line": 0, "character": 30}});
        // The offline answers: the generic image hover, no size.
        let hover = client
            .request("textDocument/hover", position)
            .expect("hover");
        assert_eq!(
            hover["contents"]["value"],
            format!("**Image** `{host}/team/app:1.0`")
        );
        let hints = client
            .request(
                "textDocument/inlayHint",
                json!({"textDocument": {"uri": uri}, "range": {"start": {"line": 0, "character": 0}, "end": {"line": 3, "character": 0}}}),
            )
            .expect("inlay hints");
        assert_eq!(hints, json!([]));
        let completion = client
            .request(
                "textDocument/completion",
                json!({"textDocument": {"uri": uri}, "position": {"line": 1, "character": 5 + trip.len() + "/team/app:".len()}}),
            )
            .expect("completion");
        assert_eq!(completion, json!({"isIncomplete": false, "items": []}));
        client.assert_no_panic();
        client.shutdown_and_exit();
    }

    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(
        registry.request_lines().len(),
        requests_after_push,
        "requests reached the registry with look-ups off:\n{}",
        registry.request_lines()[requests_after_push..].join("\n")
    );
    assert!(
        tripwire.accept().is_err(),
        "something connected to {trip} with look-ups off"
    );
    assert!(
        !cache.join("registry").exists(),
        "nothing may be cached with look-ups off"
    );

    // The same log does show a look-up when one is made, so the checks above can fail.
    let output = Command::new(env!("CARGO_BIN_EXE_dockside"))
        .args([
            "images",
            "inspect",
            "--insecure",
            &format!("{host}/team/app:1.0"),
        ])
        .output()
        .expect("run dockside images inspect");
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(registry.request_lines().len() > requests_after_push);
    assert!(cache.join("registry").is_dir());
}
