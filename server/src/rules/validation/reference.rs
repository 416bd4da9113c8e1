//! Image references as Docker's `distribution/reference` package parses them
//! (`[host[:port]/]path[:tag][@algorithm:hex]`).

/// `Ok` for a valid image reference; otherwise why it is not one, after Docker's
/// "invalid reference format".
pub fn check_image_reference(reference: &str) -> Result<(), String> {
    if reference.is_empty() {
        return Err("repository name must have at least one component".into());
    }
    let (name_and_tag, digest) = match reference.split_once('@') {
        Some((n, d)) => (n, Some(d)),
        None => (reference, None),
    };
    if let Some(digest) = digest {
        check_digest(digest)?;
    }
    let last_slash = name_and_tag.rfind('/');
    let (name, tag) = match name_and_tag.rfind(':') {
        Some(colon) if last_slash.is_none_or(|slash| colon > slash) => {
            (&name_and_tag[..colon], Some(&name_and_tag[colon + 1..]))
        }
        _ => (name_and_tag, None),
    };
    if let Some(tag) = tag {
        check_tag(tag)?;
    }
    if name.is_empty() {
        return Err("repository name must have at least one component".into());
    }
    let components: Vec<&str> = name.split('/').collect();
    let (domain, path) = match components.split_first() {
        Some((first, rest))
            if !rest.is_empty()
                && (first.contains(['.', ':'])
                    || *first == "localhost"
                    || first.chars().any(|c| c.is_ascii_uppercase())) =>
        {
            (Some(*first), rest)
        }
        _ => (None, components.as_slice()),
    };
    if let Some(domain) = domain {
        check_domain(domain)?;
    }
    let lowercase_ok = path
        .iter()
        .all(|c| is_path_component(&c.to_ascii_lowercase()));
    if !path.iter().all(|c| is_path_component(c)) {
        if lowercase_ok {
            return Err(format!(
                "repository name ({}) must be lowercase",
                path.join("/")
            ));
        }
        let bad = path
            .iter()
            .find(|c| !is_path_component(&c.to_ascii_lowercase()))
            .copied()
            .unwrap_or("");
        return Err(format!(
            "`{bad}` is not a valid repository name component (lower-case letters and digits, separated by `.`, `_`, `__` or `-`)"
        ));
    }
    if name.len() > 255 {
        return Err("repository name must not be more than 255 characters".into());
    }
    Ok(())
}

/// `[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*`
fn is_path_component(c: &str) -> bool {
    let bytes = c.as_bytes();
    let alnum = |b: u8| b.is_ascii_lowercase() || b.is_ascii_digit();
    if bytes.is_empty() || !alnum(bytes[0]) || !alnum(bytes[bytes.len() - 1]) {
        return false;
    }
    let mut i = 0;
    while i < bytes.len() {
        if alnum(bytes[i]) {
            i += 1;
            continue;
        }
        let start = i;
        while i < bytes.len() && !alnum(bytes[i]) {
            i += 1;
        }
        let sep = &c[start..i];
        let ok = sep == "." || sep == "_" || sep == "__" || sep.bytes().all(|b| b == b'-');
        if !ok {
            return false;
        }
    }
    true
}

fn check_domain(domain: &str) -> Result<(), String> {
    let bad = || Err(format!("`{domain}` is not a valid registry host"));
    let (host, port) = if let Some(rest) = domain.strip_prefix('[') {
        let Some((ip, after)) = rest.split_once(']') else {
            return bad();
        };
        if ip.is_empty() || !ip.chars().all(|c| c.is_ascii_hexdigit() || c == ':') {
            return bad();
        }
        let port = match after {
            "" => None,
            other => match other.strip_prefix(':') {
                Some(p) => Some(p),
                None => return bad(),
            },
        };
        (None, port)
    } else {
        match domain.split_once(':') {
            Some((h, p)) => (Some(h), Some(p)),
            None => (Some(domain), None),
        }
    };
    if let Some(port) = port {
        if port.is_empty() || !port.bytes().all(|b| b.is_ascii_digit()) {
            return bad();
        }
    }
    if let Some(host) = host {
        let component_ok = |c: &str| {
            let b = c.as_bytes();
            !b.is_empty()
                && b[0].is_ascii_alphanumeric()
                && b[b.len() - 1].is_ascii_alphanumeric()
                && b.iter().all(|x| x.is_ascii_alphanumeric() || *x == b'-')
        };
        if !host.split('.').all(component_ok) {
            return bad();
        }
    }
    Ok(())
}

/// `[\w][\w.-]{0,127}`
fn check_tag(tag: &str) -> Result<(), String> {
    let word = |c: char| c.is_ascii_alphanumeric() || c == '_';
    let mut chars = tag.chars();
    let valid = match chars.next() {
        Some(first) => word(first) && chars.all(|c| word(c) || c == '.' || c == '-'),
        None => false,
    };
    if tag.is_empty() {
        return Err("the tag after `:` is empty".into());
    }
    if !valid || tag.len() > 128 {
        return Err(format!(
            "tag `{tag}` may only contain letters, digits, `_`, `.` and `-` (not first), up to 128 characters"
        ));
    }
    Ok(())
}

/// `algorithm:hex` with at least 32 hex digits.
fn check_digest(digest: &str) -> Result<(), String> {
    let bad = || {
        Err(format!(
            "digest `{digest}` must look like `sha256:` followed by the hexadecimal hash"
        ))
    };
    let Some((algorithm, hex)) = digest.split_once(':') else {
        return bad();
    };
    let algorithm_ok = algorithm.split(['-', '_', '+', '.']).all(|part| {
        let mut chars = part.chars();
        chars.next().is_some_and(|c| c.is_ascii_alphabetic())
            && chars.all(|c| c.is_ascii_alphanumeric())
    });
    if !algorithm_ok || hex.len() < 32 || !hex.chars().all(|c| c.is_ascii_hexdigit()) {
        return bad();
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::check_image_reference as check;

    #[test]
    fn accepts_real_references() {
        for ok in [
            "alpine",
            "mcr.microsoft.com/dotnet/sdk:10.0",
            "mcr.microsoft.com/dotnet/aspnet:10.0-noble-chiseled-extra",
            "localhost:5000/my-app:1.2.3",
            "ghcr.io/owner/repo_name/sub__x:latest",
            "docker.io/library/ubuntu@sha256:45b23dee08af5e43a7fea6c4cf9c25ccf269ee113168c19722f87876677c5cb2",
            "my.registry:443/a/b:tag@sha256:45b23dee08af5e43a7fea6c4cf9c25ccf269ee113168c19722f87876677c5cb2",
            "[::1]:5000/app",
        ] {
            assert_eq!(check(ok), Ok(()), "{ok}");
        }
    }

    #[test]
    fn explains_invalid_references() {
        assert_eq!(
            check("mcr.microsoft.com/dotnet/SDK:10.0"),
            Err("repository name (dotnet/SDK) must be lowercase".into())
        );
        assert_eq!(check("alpine:"), Err("the tag after `:` is empty".into()));
        assert_eq!(
            check("alpine:3.20 beta"),
            Err("tag `3.20 beta` may only contain letters, digits, `_`, `.` and `-` (not first), up to 128 characters".into())
        );
        assert_eq!(
            check("ubuntu@sha256:abc"),
            Err(
                "digest `sha256:abc` must look like `sha256:` followed by the hexadecimal hash"
                    .into()
            )
        );
        assert_eq!(
            check("-app"),
            Err("`-app` is not a valid repository name component (lower-case letters and digits, separated by `.`, `_`, `__` or `-`)".into())
        );
        assert_eq!(
            check("my_registry.com/app"),
            Err("`my_registry.com` is not a valid registry host".into())
        );
    }
}
