//! Escaping for the XML formats (checkstyle, JUnit).

/// Text escaped for an XML 1.0 attribute value or element content.
///
/// Besides the five markup characters, line breaks and tabs become character references
/// (attribute-value normalization would otherwise turn them into spaces), and characters that
/// XML 1.0 forbids even as references (other C0 controls, U+FFFE, U+FFFF) become U+FFFD, so
/// that a stray control character in a Dockerfile cannot make the report unreadable.
pub(super) fn escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for ch in text.chars() {
        match ch {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&apos;"),
            '\n' => escaped.push_str("&#10;"),
            '\r' => escaped.push_str("&#13;"),
            '\t' => escaped.push_str("&#9;"),
            '\u{0}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}' => escaped.push('\u{fffd}'),
            c => escaped.push(c),
        }
    }
    escaped
}

#[cfg(test)]
mod tests {
    #[test]
    fn markup_line_breaks_and_forbidden_characters() {
        assert_eq!(
            super::escape("a<b>&\"c\" 'd'\n\te\r\u{1b}\u{0}é🐳"),
            "a&lt;b&gt;&amp;&quot;c&quot; &apos;d&apos;&#10;&#9;e&#13;\u{fffd}\u{fffd}é🐳"
        );
    }
}
