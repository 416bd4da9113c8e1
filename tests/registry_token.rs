//! The bearer-token flow against a real registry configured for token authentication: the
//! registry answers `401` with `WWW-Authenticate: Bearer realm=...,service=...`, Dockside asks
//! the token service (a small one in this test, on 127.0.0.1, that checks `user:password`
//! and signs ES256 JSON Web Tokens with a key the registry trusts through `rootcertbundle`),
//! then repeats the request with the token. Credentials come from a test Docker config.

mod registry_support;

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use base64::Engine;
use dockside::images::registry::{LookupErrorKind, RegistryOptions, RegistryService};
use dockside::images::ImageRef;
use registry_support::{docker_config, push_test_images, Registry};
use ring::rand::SystemRandom;
use ring::signature::{EcdsaKeyPair, ECDSA_P256_SHA256_FIXED_SIGNING};
use serde_json::json;

const SERVICE: &str = "dockside-test-registry";
const ISSUER: &str = "dockside-test-issuer";
const USER: &str = "alice";
const PASSWORD: &str = "wonderland";

fn b64url(bytes: &[u8]) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// Signs registry tokens; its certificate is the registry's `rootcertbundle`.
struct Issuer {
    key: EcdsaKeyPair,
    certificate_der: Vec<u8>,
    certificate_pem: String,
}

impl Issuer {
    fn new() -> Issuer {
        let rng = SystemRandom::new();
        let pkcs8 = EcdsaKeyPair::generate_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, &rng)
            .expect("generate a P-256 key");
        let key = EcdsaKeyPair::from_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, pkcs8.as_ref(), &rng)
            .expect("load the key");
        let cert_key = rcgen::KeyPair::try_from(pkcs8.as_ref()).expect("rcgen key");
        let params = rcgen::CertificateParams::new(vec!["dockside-test-token-issuer".to_string()])
            .expect("certificate params");
        let certificate = params
            .self_signed(&cert_key)
            .expect("self-signed certificate");
        Issuer {
            key,
            certificate_der: certificate.der().to_vec(),
            certificate_pem: certificate.pem(),
        }
    }

    /// An ES256 JWT granting `actions` on `repository`, as the distribution registry expects.
    fn token(&self, subject: &str, repository: &str, actions: &[&str]) -> String {
        let header = json!({
            "typ": "JWT",
            "alg": "ES256",
            "x5c": [base64::engine::general_purpose::STANDARD.encode(&self.certificate_der)],
        });
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .expect("clock")
            .as_secs();
        let claims = json!({
            "iss": ISSUER,
            "sub": subject,
            "aud": SERVICE,
            "exp": now + 300,
            "nbf": now - 10,
            "iat": now,
            "jti": format!("{now}-{subject}-{repository}"),
            "access": [{"type": "repository", "name": repository, "actions": actions}],
        });
        let signing_input = format!(
            "{}.{}",
            b64url(header.to_string().as_bytes()),
            b64url(claims.to_string().as_bytes())
        );
        let signature = self
            .key
            .sign(&SystemRandom::new(), signing_input.as_bytes())
            .expect("sign");
        format!("{signing_input}.{}", b64url(signature.as_ref()))
    }
}

/// What the token service was asked: (user or "anonymous" or "rejected", scope).
type TokenRequests = Arc<Mutex<Vec<(String, String)>>>;

/// A token service on 127.0.0.1: `GET /token?service=..&scope=repository:NAME:ACTIONS` with
/// HTTP Basic credentials; 401 for missing or wrong ones.
fn start_token_service(issuer: Arc<Issuer>) -> (String, TokenRequests) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind the token service");
    let realm = format!(
        "http://127.0.0.1:{}/token",
        listener.local_addr().expect("addr").port()
    );
    let requests: TokenRequests = Arc::default();
    let seen = Arc::clone(&requests);
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            answer_token_request(stream, &issuer, &seen);
        }
    });
    (realm, requests)
}

fn answer_token_request(stream: TcpStream, issuer: &Issuer, seen: &TokenRequests) {
    let mut reader = BufReader::new(match stream.try_clone() {
        Ok(clone) => clone,
        Err(_) => return,
    });
    let mut request_line = String::new();
    if reader.read_line(&mut request_line).is_err() {
        return;
    }
    let mut authorization = None;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
            break;
        }
        if let Some((name, value)) = line.split_once(':') {
            if name.eq_ignore_ascii_case("authorization") {
                authorization = Some(value.trim().to_string());
            }
        }
    }
    let target = request_line.split_whitespace().nth(1).unwrap_or_default();
    let query = target.split_once('?').map(|(_, q)| q).unwrap_or_default();
    let scope = query
        .split('&')
        .find_map(|pair| pair.strip_prefix("scope="))
        .map(percent_decode)
        .unwrap_or_default();
    let user = authorization
        .as_deref()
        .and_then(|value| value.strip_prefix("Basic "))
        .and_then(|encoded| {
            base64::engine::general_purpose::STANDARD
                .decode(encoded)
                .ok()
        })
        .and_then(|bytes| String::from_utf8(bytes).ok());
    let (status, body, who) = match user.as_deref().and_then(|u| u.split_once(':')) {
        Some((user, password)) if user == USER && password == PASSWORD => {
            // scope = repository:team/app:pull(,push)
            let mut parts = scope.splitn(3, ':');
            let (_, name, actions) = (
                parts.next(),
                parts.next().unwrap_or(""),
                parts.next().unwrap_or(""),
            );
            let actions: Vec<&str> = actions.split(',').filter(|a| !a.is_empty()).collect();
            let token = issuer.token(user, name, &actions);
            (
                "200 OK",
                json!({"token": token, "access_token": token, "expires_in": 300}).to_string(),
                user.to_string(),
            )
        }
        Some(_) => (
            "401 Unauthorized",
            r#"{"details":"invalid credentials"}"#.to_string(),
            "rejected".to_string(),
        ),
        None => (
            "401 Unauthorized",
            r#"{"details":"credentials required"}"#.to_string(),
            "anonymous".to_string(),
        ),
    };
    if let Ok(mut requests) = seen.lock() {
        requests.push((who, scope));
    }
    let mut stream = stream;
    let _ = write!(
        stream,
        "HTTP/1.1 {status}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut index = 0;
    while index < bytes.len() {
        match (bytes[index], bytes.get(index + 1..index + 3)) {
            (b'%', Some(hex)) => {
                let value = std::str::from_utf8(hex)
                    .ok()
                    .and_then(|h| u8::from_str_radix(h, 16).ok());
                match value {
                    Some(value) => {
                        out.push(value);
                        index += 3;
                    }
                    None => {
                        out.push(b'%');
                        index += 1;
                    }
                }
            }
            (b'+', _) => {
                out.push(b' ');
                index += 1;
            }
            (byte, _) => {
                out.push(byte);
                index += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

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

#[test]
fn bearer_token_challenge_with_docker_config_credentials() {
    let issuer = Arc::new(Issuer::new());
    let (realm, token_requests) = start_token_service(Arc::clone(&issuer));
    let work = tempfile::tempdir().expect("work dir");
    let bundle = work.path().join("token-issuer.pem");
    std::fs::write(&bundle, &issuer.certificate_pem).expect("write the root bundle");
    let auth = format!(
        "auth:\n  token:\n    realm: {realm}\n    service: {SERVICE}\n    issuer: {ISSUER}\n    rootcertbundle: {}\n",
        bundle.display()
    );
    let push_token = issuer.token("pusher", "team/app", &["pull", "push"]);
    let registry = Registry::start_with_auth(auth, Some(format!("Bearer {push_token}")));
    let pushed = push_test_images(&registry, "team/app");
    let host = registry.host();
    let reference_text = format!("{host}/team/app:1.0");
    let reference = ImageRef::parse(&reference_text);
    let cache = work.path().join("cache");

    let good = docker_config(&work.path().join("good"), &host, USER, PASSWORD);
    let started = Instant::now();
    let found = service(&host, &cache, &good)
        .lookup_blocking(&reference, Duration::from_secs(20))
        .expect("look-up with a bearer token");
    eprintln!("bearer-token look-up: {:?}", started.elapsed());
    assert_eq!(
        found.found().map(|image| image.digest.clone()),
        Some(pushed.index_digest.clone())
    );
    assert_eq!(found.found().map(|image| image.platforms.len()), Some(2));
    let asked = token_requests.lock().expect("requests").clone();
    assert!(!asked.is_empty(), "the token service was asked");
    assert!(
        asked
            .iter()
            .all(|(who, scope)| who == USER && scope == "repository:team/app:pull"),
        "{asked:?}"
    );

    // Wrong password: the token service refuses, the registry answers 401, a clear message.
    token_requests.lock().expect("requests").clear();
    let bad = docker_config(&work.path().join("bad"), &host, USER, "looking-glass");
    let error = service(&host, &cache, &bad)
        .lookup_blocking(&reference, Duration::from_secs(20))
        .expect_err("wrong password");
    assert_eq!(error.kind, LookupErrorKind::Unauthorized);
    assert_eq!(
        error.message,
        format!(
            "registry {host} refused the credentials of user `alice` from {} for {reference_text} (HTTP 401); run `docker login {host}` again",
            bad.display()
        )
    );
    let asked = token_requests.lock().expect("requests").clone();
    assert!(asked.iter().any(|(who, _)| who == "rejected"), "{asked:?}");

    // No credentials: the anonymous token request is refused too.
    let none = work.path().join("none").join("config.json");
    let error = service(&host, &cache, &none)
        .lookup_blocking(&reference, Duration::from_secs(20))
        .expect_err("no credentials");
    assert_eq!(error.kind, LookupErrorKind::Unauthorized);
    assert_eq!(
        error.message,
        format!(
            "registry {host} needs credentials for {reference_text}; none for it in {} (run `docker login {host}`)",
            none.display()
        )
    );
}
