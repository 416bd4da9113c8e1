//! Variable substitution as the Dockerfile frontend does it: `$VAR`, `${VAR}`,
//! `${VAR:-default}`, `${VAR-default}`, `${VAR:+alt}`, `${VAR+alt}`, `${VAR:?msg}`.

/// The value of a variable at some point: `None` means declared without a known value.
pub trait VarLookup {
    fn lookup(&self, name: &str) -> Option<Option<&str>>;
}

impl VarLookup for [(String, Option<String>)] {
    fn lookup(&self, name: &str) -> Option<Option<&str>> {
        self.iter()
            .rev()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_deref())
    }
}

/// A substituted text, and the variables that had no known value.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Expanded {
    pub text: String,
    pub unresolved: Vec<String>,
}

impl Expanded {
    pub fn is_complete(&self) -> bool {
        self.unresolved.is_empty()
    }
}

/// A variable reference in a text: `$NAME` or `${NAME...}`, with byte offsets.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VarRef {
    pub name: String,
    /// The whole reference, `$NAME` or `${NAME:-x}`.
    pub start: usize,
    pub end: usize,
    /// The name alone.
    pub name_start: usize,
    pub name_end: usize,
}

fn is_name_char(c: u8, first: bool) -> bool {
    c == b'_' || c.is_ascii_alphabetic() || (!first && c.is_ascii_digit())
}

/// Every variable reference in `text` (escaped `\$` and single-quoted text excluded).
pub fn var_refs(text: &str, escape: char) -> Vec<VarRef> {
    let mut refs = Vec::new();
    scan_var_refs(text, escape, |start, end, name_start, name_end| {
        refs.push(VarRef {
            name: text[name_start..name_end].to_string(),
            start,
            end,
            name_start,
            name_end,
        })
    });
    refs
}

/// The references of [`var_refs`], handed to `found` as `(start, end, name_start, name_end)`
/// without building their names.
fn scan_var_refs(text: &str, escape: char, mut found: impl FnMut(usize, usize, usize, usize)) {
    let bytes = text.as_bytes();
    // Only `$`, `'` and the escape character (compared with single bytes, as Latin-1) change
    // the state: jump from one to the next.
    let escape_byte = u8::try_from(u32::from(escape)).ok();
    let next_special = |from: usize| -> Option<usize> {
        let rest = &bytes[from..];
        let found = match escape_byte {
            Some(e) => memchr::memchr3(b'$', b'\'', e, rest),
            None => memchr::memchr2(b'$', b'\'', rest),
        };
        found.map(|p| from + p)
    };
    let mut i = 0;
    let mut in_single = false;
    while i < bytes.len() {
        let Some(at) = next_special(i) else {
            break;
        };
        i = at;
        let c = bytes[i];
        if Some(c) == escape_byte && !in_single {
            i += 2;
            continue;
        }
        if c == b'\'' {
            in_single = !in_single;
            i += 1;
            continue;
        }
        if c != b'$' || in_single {
            i += 1;
            continue;
        }
        let start = i;
        if bytes.get(i + 1) == Some(&b'{') {
            let name_start = i + 2;
            let mut j = name_start;
            while j < bytes.len() && is_name_char(bytes[j], j == name_start) {
                j += 1;
            }
            let name_end = j;
            let mut depth = 1;
            while j < bytes.len() && depth > 0 {
                match bytes[j] {
                    b'{' => depth += 1,
                    b'}' => depth -= 1,
                    _ => {}
                }
                j += 1;
            }
            if name_end > name_start {
                found(start, j, name_start, name_end);
            }
            i = j.max(i + 1);
        } else {
            let name_start = i + 1;
            let mut j = name_start;
            while j < bytes.len() && is_name_char(bytes[j], j == name_start) {
                j += 1;
            }
            if j > name_start {
                found(start, j, name_start, j);
            }
            i = j.max(i + 1);
        }
    }
}

/// Substitutes variables in `text` (quotes are left as they are).
pub fn expand(text: &str, vars: &(impl VarLookup + ?Sized)) -> Expanded {
    if memchr::memchr(b'$', text.as_bytes()).is_none() {
        return Expanded {
            text: text.to_string(),
            unresolved: Vec::new(),
        };
    }
    let mut out = Expanded {
        text: String::with_capacity(text.len() + 16),
        unresolved: Vec::new(),
    };
    let bytes = text.as_bytes();
    let mut last = 0;
    scan_var_refs(text, '\\', |start, end, name_start, name_end| {
        let name = &text[name_start..name_end];
        out.text.push_str(&text[last..start]);
        last = end;
        // Known value, declared without a value (a build argument may set it), or undeclared.
        let known = vars.lookup(name).flatten();
        let body = &text[name_end..end];
        let braced = bytes.get(start + 1) == Some(&b'{');
        let modifier = if braced {
            body.strip_suffix('}').unwrap_or(body)
        } else {
            ""
        };
        let (op, word) = split_modifier(modifier);
        let substitute = |word: &str, out: &mut Expanded| {
            let inner = expand(word, vars);
            out.text.push_str(&inner.text);
            out.unresolved.extend(inner.unresolved);
        };
        match (op, known) {
            (":-" | "-", Some(v)) if !v.is_empty() => out.text.push_str(v),
            ("-", Some(_)) => {}
            (":-" | "-", _) => substitute(word, &mut out),
            (":+" | "+", Some(v)) if !v.is_empty() || op == "+" => substitute(word, &mut out),
            (":+" | "+", _) => {}
            (_, Some(v)) => out.text.push_str(v),
            (_, None) => out.unresolved.push(name.to_string()),
        }
    });
    out.text.push_str(&text[last..]);
    out.unresolved.dedup();
    out
}

fn split_modifier(modifier: &str) -> (&str, &str) {
    for op in [":-", ":+", ":?", "-", "+", "?"] {
        if let Some(word) = modifier.strip_prefix(op) {
            return (op, word);
        }
    }
    ("", "")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vars() -> Vec<(String, Option<String>)> {
        vec![
            ("V".into(), Some("10.0".into())),
            ("EMPTY".into(), Some(String::new())),
            ("DECLARED".into(), None),
        ]
    }

    #[test]
    fn expands_the_common_forms() {
        let v = vars();
        assert_eq!(expand("sdk:${V}-alpine", &v[..]).text, "sdk:10.0-alpine");
        assert_eq!(expand("sdk:$V", &v[..]).text, "sdk:10.0");
        assert_eq!(expand("${MISSING:-9.0}", &v[..]).text, "9.0");
        assert!(expand("${MISSING:-9.0}", &v[..]).is_complete());
        assert_eq!(expand("${EMPTY:-9.0}", &v[..]).text, "9.0");
        assert_eq!(expand("${EMPTY-9.0}", &v[..]).text, "");
        assert_eq!(expand("${V:+x}", &v[..]).text, "x");
        assert_eq!(expand("${MISSING:+x}", &v[..]).text, "");
        let e = expand("a:${MISSING}", &v[..]);
        assert_eq!(e.unresolved, vec!["MISSING"]);
        let e = expand("a:$DECLARED", &v[..]);
        assert_eq!(e.unresolved, vec!["DECLARED"]);
        assert_eq!(expand("\\$V", &v[..]).text, "\\$V");
    }

    #[test]
    fn finds_references_with_offsets() {
        let refs = var_refs("x ${A:-b} $B_1 '$C' \\$D", '\\');
        let names: Vec<_> = refs.iter().map(|r| r.name.as_str()).collect();
        assert_eq!(names, ["A", "B_1"]);
        assert_eq!((refs[0].start, refs[0].end), (2, 9));
        assert_eq!((refs[0].name_start, refs[0].name_end), (4, 5));
    }
}
