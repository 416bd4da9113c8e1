//! Go's parsers for the values BuildKit reads with them: `time.ParseDuration`,
//! `strconv.ParseInt`/`ParseUint` and `strconv.ParseBool`, with Go's error messages.

/// Go's `time.ParseDuration`: nanoseconds, or Go's error text.
pub fn parse_go_duration(original: &str) -> Result<i64, String> {
    let invalid = || format!("time: invalid duration {}", go_quote(original));
    let mut s = original.as_bytes();
    let mut negative = false;
    if let Some(&c) = s.first() {
        if c == b'-' || c == b'+' {
            negative = c == b'-';
            s = &s[1..];
        }
    }
    if s == b"0" {
        return Ok(0);
    }
    if s.is_empty() {
        return Err(invalid());
    }
    let mut total: u64 = 0;
    while !s.is_empty() {
        if !(s[0] == b'.' || s[0].is_ascii_digit()) {
            return Err(invalid());
        }
        let digits = s.iter().take_while(|c| c.is_ascii_digit()).count();
        let mut value: u64 = 0;
        for &d in &s[..digits] {
            value = value
                .checked_mul(10)
                .and_then(|v| v.checked_add(u64::from(d - b'0')))
                .filter(|&v| v <= 1 << 63)
                .ok_or_else(invalid)?;
        }
        let had_integer = digits > 0;
        s = &s[digits..];
        let mut fraction: u64 = 0;
        let mut scale: f64 = 1.0;
        let mut had_fraction = false;
        if s.first() == Some(&b'.') {
            s = &s[1..];
            let frac_digits = s.iter().take_while(|c| c.is_ascii_digit()).count();
            let mut overflow = false;
            for &d in &s[..frac_digits] {
                if overflow {
                    continue;
                }
                match fraction
                    .checked_mul(10)
                    .and_then(|v| v.checked_add(u64::from(d - b'0')))
                    .filter(|&v| v <= 1 << 63)
                {
                    Some(v) => {
                        fraction = v;
                        scale *= 10.0;
                    }
                    None => overflow = true,
                }
            }
            had_fraction = frac_digits > 0;
            s = &s[frac_digits..];
        }
        if !had_integer && !had_fraction {
            return Err(invalid());
        }
        let unit_len = s
            .iter()
            .take_while(|&&c| c != b'.' && !c.is_ascii_digit())
            .count();
        if unit_len == 0 {
            return Err(format!(
                "time: missing unit in duration {}",
                go_quote(original)
            ));
        }
        // Compared as bytes: the text is copied for the error message only.
        let unit_bytes = &s[..unit_len];
        s = &s[unit_len..];
        let unit: u64 = match unit_bytes {
            b"ns" => 1,
            b"us" | b"\xc2\xb5s" | b"\xce\xbcs" => 1_000,
            b"ms" => 1_000_000,
            b"s" => 1_000_000_000,
            b"m" => 60_000_000_000,
            b"h" => 3_600_000_000_000,
            _ => {
                return Err(format!(
                    "time: unknown unit {} in duration {}",
                    go_quote(&String::from_utf8_lossy(unit_bytes)),
                    go_quote(original)
                ))
            }
        };
        if value > (1 << 63) / unit {
            return Err(invalid());
        }
        value *= unit;
        if fraction > 0 {
            value = value
                .checked_add((fraction as f64 * (unit as f64 / scale)) as u64)
                .filter(|&v| v <= 1 << 63)
                .ok_or_else(invalid)?;
        }
        total = total
            .checked_add(value)
            .filter(|&v| v <= 1 << 63)
            .ok_or_else(invalid)?;
    }
    if negative {
        return Ok((total as i128).wrapping_neg() as i64);
    }
    i64::try_from(total).map_err(|_| invalid())
}

/// Go's `time.quote`: double quotes, `\x` escapes for bytes outside printable ASCII.
pub fn go_quote(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        if c.is_ascii() && !c.is_ascii_control() {
            if c == '"' || c == '\\' {
                out.push('\\');
            }
            out.push(c);
        } else {
            let mut buf = [0u8; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                out.push_str(&format!("\\x{b:02x}"));
            }
        }
    }
    out.push('"');
    out
}

/// Go's `strconv.ParseInt(s, 10, 32)` error text for a value it rejects, if it does.
pub fn parse_int32_error(s: &str) -> Option<String> {
    let digits = s.strip_prefix(['+', '-']).unwrap_or(s);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Some(format!(
            "strconv.ParseInt: parsing {}: invalid syntax",
            go_quote(s)
        ));
    }
    match s.parse::<i64>() {
        Ok(v) if i32::try_from(v).is_ok() => None,
        _ => Some(format!(
            "strconv.ParseInt: parsing {}: value out of range",
            go_quote(s)
        )),
    }
}

/// Go's `strconv.ParseBool`.
pub fn parse_go_bool(s: &str) -> Option<bool> {
    match s {
        "1" | "t" | "T" | "TRUE" | "true" | "True" => Some(true),
        "0" | "f" | "F" | "FALSE" | "false" | "False" => Some(false),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_follow_go() {
        assert_eq!(parse_go_duration("30s"), Ok(30_000_000_000));
        assert_eq!(parse_go_duration("1m30s"), Ok(90_000_000_000));
        assert_eq!(parse_go_duration("1.5h"), Ok(5_400_000_000_000));
        assert_eq!(parse_go_duration(".5s"), Ok(500_000_000));
        assert_eq!(parse_go_duration("0"), Ok(0));
        assert_eq!(parse_go_duration("-2ms"), Ok(-2_000_000));
        assert_eq!(parse_go_duration("100us"), Ok(100_000));
        assert_eq!(parse_go_duration("7\u{b5}s"), Ok(7_000));
        assert_eq!(parse_go_duration("7\u{3bc}s2ns"), Ok(7_002));
        assert_eq!(
            parse_go_duration("3\u{e9}"),
            Err("time: unknown unit \"\\xc3\\xa9\" in duration \"3\\xc3\\xa9\"".into())
        );
        assert_eq!(
            parse_go_duration("30"),
            Err("time: missing unit in duration \"30\"".into())
        );
        assert_eq!(
            parse_go_duration("30sec"),
            Err("time: unknown unit \"sec\" in duration \"30sec\"".into())
        );
        assert_eq!(
            parse_go_duration("abc"),
            Err("time: invalid duration \"abc\"".into())
        );
        assert_eq!(
            parse_go_duration(""),
            Err("time: invalid duration \"\"".into())
        );
        assert_eq!(
            parse_go_duration("."),
            Err("time: invalid duration \".\"".into())
        );
        assert_eq!(
            parse_go_duration("9999999999h"),
            Err("time: invalid duration \"9999999999h\"".into())
        );
    }

    #[test]
    fn integers_follow_go() {
        assert_eq!(parse_int32_error("3"), None);
        assert_eq!(parse_int32_error("-1"), None);
        assert_eq!(
            parse_int32_error("3.5"),
            Some("strconv.ParseInt: parsing \"3.5\": invalid syntax".into())
        );
        assert_eq!(
            parse_int32_error("99999999999"),
            Some("strconv.ParseInt: parsing \"99999999999\": value out of range".into())
        );
    }
}
