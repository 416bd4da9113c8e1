//! Word splitting as BuildKit's line parsers do it, keeping byte offsets.

/// A word of a logical line: its text and its byte offsets in that line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct RawWord {
    pub text: String,
    pub start: usize,
    pub end: usize,
}

/// BuildKit's `reWhitespace`: `[\t\v\f\r ]+`.
pub(crate) fn is_token_whitespace(c: char) -> bool {
    matches!(c, '\t' | '\u{b}' | '\u{c}' | '\r' | ' ')
}

/// BuildKit's `parseStringsWhitespaceDelimited`: split on runs of `[\t\v\f\r ]`.
pub(crate) fn split_whitespace_delimited(rest: &str) -> Vec<RawWord> {
    let mut words = Vec::new();
    let mut start = None;
    for (i, c) in rest.char_indices() {
        if is_token_whitespace(c) {
            if let Some(s) = start.take() {
                words.push(RawWord {
                    text: rest[s..i].to_string(),
                    start: s,
                    end: i,
                });
            }
        } else if start.is_none() {
            start = Some(i);
        }
    }
    if let Some(s) = start {
        words.push(RawWord {
            text: rest[s..].to_string(),
            start: s,
            end: rest.len(),
        });
    }
    words
}

/// BuildKit's `parseWords`: space-separated words where quotes group (and are kept) and
/// the escape character escapes the next character (and is kept).
pub(crate) fn parse_words(rest: &str, escape: char) -> Vec<RawWord> {
    #[derive(PartialEq)]
    enum Phase {
        Spaces,
        Word,
        Quote,
    }
    let mut words = Vec::new();
    let mut phase = Phase::Spaces;
    let mut quote = '\0';
    let mut blank_ok = false;
    let mut word = String::new();
    let mut word_start = 0;
    let mut chars = rest.char_indices().peekable();
    loop {
        let Some((pos, ch)) = chars.next() else {
            if phase != Phase::Spaces && (blank_ok || !word.is_empty()) {
                words.push(RawWord {
                    text: std::mem::take(&mut word),
                    start: word_start,
                    end: rest.len(),
                });
            }
            break;
        };
        if phase == Phase::Spaces {
            if ch.is_whitespace() {
                continue;
            }
            phase = Phase::Word;
            word_start = pos;
        }
        match phase {
            Phase::Word => {
                if ch.is_whitespace() {
                    phase = Phase::Spaces;
                    if blank_ok || !word.is_empty() {
                        words.push(RawWord {
                            text: std::mem::take(&mut word),
                            start: word_start,
                            end: pos,
                        });
                    }
                    word.clear();
                    blank_ok = false;
                    continue;
                }
                if ch == '\'' || ch == '"' {
                    quote = ch;
                    blank_ok = true;
                    phase = Phase::Quote;
                }
                if ch == escape {
                    match chars.next() {
                        None => continue,
                        Some((_, next)) => {
                            word.push(ch);
                            word.push(next);
                            continue;
                        }
                    }
                }
                word.push(ch);
            }
            Phase::Quote => {
                if ch == quote {
                    phase = Phase::Word;
                }
                if ch == escape && quote != '\'' {
                    match chars.next() {
                        None => {
                            phase = Phase::Word;
                            continue;
                        }
                        Some((_, next)) => {
                            word.push(ch);
                            word.push(next);
                            continue;
                        }
                    }
                }
                word.push(ch);
            }
            Phase::Spaces => {}
        }
    }
    words
}

/// Shell words as BuildKit's lexer splits a line when it looks for heredocs: quotes and
/// escapes are kept raw. `None` when a quote is left open (BuildKit then finds no heredoc).
pub(crate) fn shell_words_raw(line: &str) -> Option<Vec<RawWord>> {
    let mut words = Vec::new();
    let mut chars = line.char_indices().peekable();
    let mut current: Option<(usize, String)> = None;
    while let Some((pos, ch)) = chars.next() {
        if ch.is_whitespace() {
            if let Some((start, text)) = current.take() {
                words.push(RawWord {
                    text,
                    start,
                    end: pos,
                });
            }
            continue;
        }
        let (_, text) = current.get_or_insert_with(|| (pos, String::new()));
        text.push(ch);
        match ch {
            '\\' => {
                if let Some((_, next)) = chars.next() {
                    text.push(next);
                }
            }
            '\'' => loop {
                let (_, c) = chars.next()?;
                text.push(c);
                if c == '\'' {
                    break;
                }
            },
            '"' => loop {
                let (_, c) = chars.next()?;
                text.push(c);
                if c == '\\' {
                    if let Some((_, n)) = chars.next() {
                        text.push(n);
                    }
                } else if c == '"' {
                    break;
                }
            },
            '$' if chars.peek().map(|&(_, c)| c) == Some('{') => {
                let mut depth = 0;
                for (_, c) in chars.by_ref() {
                    text.push(c);
                    if c == '{' {
                        depth += 1;
                    } else if c == '}' {
                        depth -= 1;
                        if depth == 0 {
                            break;
                        }
                    }
                }
            }
            _ => {}
        }
    }
    if let Some((start, text)) = current {
        words.push(RawWord {
            text,
            start,
            end: line.len(),
        });
    }
    Some(words)
}

/// A word with shell quoting removed: `E"O"F` -> `EOF`. `None` for an open quote.
pub(crate) fn unquote_shell_word(word: &str) -> Option<String> {
    let mut out = String::new();
    let mut chars = word.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                if let Some(n) = chars.next() {
                    out.push(n);
                }
            }
            '\'' => loop {
                match chars.next()? {
                    '\'' => break,
                    x => out.push(x),
                }
            },
            '"' => loop {
                match chars.next()? {
                    '"' => break,
                    '\\' => {
                        if let Some(n) = chars.next() {
                            out.push(n);
                        }
                    }
                    x => out.push(x),
                }
            },
            _ => out.push(c),
        }
    }
    Some(out)
}

/// Splits a shell command into words for analysis (`dotnet publish -c Release`): quotes are
/// removed, escapes applied; operators such as `&&`, `;` and `|` become words of their own.
pub fn split_shell_words(command: &str) -> Vec<String> {
    split_shell_words_with_offsets(command)
        .into_iter()
        .map(|(w, _, _)| w)
        .collect()
}

/// Like [`split_shell_words`], with each word's byte offsets in `command`.
pub fn split_shell_words_with_offsets(command: &str) -> Vec<(String, usize, usize)> {
    let mut out = Vec::new();
    let mut chars = command.char_indices().peekable();
    let mut current: Option<(usize, String)> = None;
    let flush = |current: &mut Option<(usize, String)>,
                 out: &mut Vec<(String, usize, usize)>,
                 end: usize| {
        if let Some((s, w)) = current.take() {
            out.push((w, s, end));
        }
    };
    while let Some((pos, ch)) = chars.next() {
        match ch {
            '\n' => {
                flush(&mut current, &mut out, pos);
                out.push((";".to_string(), pos, pos + 1));
            }
            c if c.is_whitespace() => flush(&mut current, &mut out, pos),
            '&' | '|' | ';' => {
                flush(&mut current, &mut out, pos);
                let mut op = ch.to_string();
                let mut end = pos + 1;
                if let Some(&(_, n)) = chars.peek() {
                    if (n == '&' || n == '|') && n == ch {
                        op.push(n);
                        chars.next();
                        end += 1;
                    }
                }
                out.push((op, pos, end));
            }
            '\\' => {
                let (_, w) = current.get_or_insert_with(|| (pos, String::new()));
                if let Some((_, n)) = chars.next() {
                    if n != '\n' {
                        w.push(n);
                    }
                }
            }
            '\'' => {
                let (_, w) = current.get_or_insert_with(|| (pos, String::new()));
                for (_, c) in chars.by_ref() {
                    if c == '\'' {
                        break;
                    }
                    w.push(c);
                }
            }
            '"' => {
                let (_, w) = current.get_or_insert_with(|| (pos, String::new()));
                while let Some((_, c)) = chars.next() {
                    match c {
                        '"' => break,
                        '\\' => {
                            if let Some((_, n)) = chars.next() {
                                w.push(n);
                            }
                        }
                        c => w.push(c),
                    }
                }
            }
            c => current
                .get_or_insert_with(|| (pos, String::new()))
                .1
                .push(c),
        }
    }
    flush(&mut current, &mut out, command.len());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(words: Vec<RawWord>) -> Vec<String> {
        words.into_iter().map(|w| w.text).collect()
    }

    #[test]
    fn parse_words_keeps_quotes_and_escapes() {
        assert_eq!(
            texts(parse_words(r#"A=1 B="2 3" C=a\ b"#, '\\')),
            vec!["A=1", "B=\"2 3\"", "C=a\\ b"]
        );
        assert_eq!(texts(parse_words("X='' ", '\\')), vec!["X=''"]);
    }

    #[test]
    fn shell_words_find_heredocs() {
        let words = shell_words_raw(r#"RUN cat <<EOF > "a b""#).unwrap();
        assert_eq!(texts(words), vec!["RUN", "cat", "<<EOF", ">", "\"a b\""]);
        assert!(shell_words_raw("RUN echo \"open").is_none());
        assert_eq!(unquote_shell_word("E\"O\"F").as_deref(), Some("EOF"));
    }

    #[test]
    fn shell_command_words() {
        assert_eq!(
            split_shell_words(r#"dotnet restore "src/My App.csproj"&&dotnet publish -c Release"#),
            vec![
                "dotnet",
                "restore",
                "src/My App.csproj",
                "&&",
                "dotnet",
                "publish",
                "-c",
                "Release"
            ]
        );
    }
}
