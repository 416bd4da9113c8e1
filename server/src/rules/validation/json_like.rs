//! Recognises text that was meant as a JSON (exec-form) array but is not valid JSON, and
//! says what is wrong with it. `[ -f /x ]` and `[ "$A" = b ]` are shell tests, not arrays:
//! only text whose elements are separated like array elements counts.

use crate::syntax::{Args, Instruction, Keyword};
use crate::text::TextRange;

/// What is wrong with a would-be JSON array, at byte offsets of the text.
#[derive(Debug, PartialEq, Eq)]
pub struct JsonProblem {
    pub start: usize,
    pub end: usize,
    pub reason: String,
}

/// `None` when `text` is valid JSON or is not meant as a JSON array.
pub fn json_array_problem(text: &str) -> Option<JsonProblem> {
    let trimmed_end = text.trim_end().len();
    let text = &text[..trimmed_end];
    if !text.starts_with('[') || serde_json::from_str::<serde_json::Value>(text).is_ok() {
        return None;
    }
    let bytes = text.as_bytes();
    let whole = |reason: &str| JsonProblem {
        start: 0,
        end: text.len(),
        reason: reason.to_string(),
    };
    let mut problem: Option<JsonProblem> = None;
    let mut pos = 1;
    let mut quoted = false;
    let mut commas = 0;
    let mut expect_element = true;
    let mut last_comma: Option<usize> = None;
    let mut closed = false;
    while pos < bytes.len() {
        let rest = &text[pos..];
        let Some(c) = rest.chars().next() else { break };
        if c.is_whitespace() {
            pos += c.len_utf8();
            continue;
        }
        if c == ']' {
            if !text[pos + 1..].trim().is_empty() {
                return None;
            }
            if let (true, Some(comma)) = (expect_element, last_comma) {
                note(
                    JsonProblem {
                        start: comma,
                        end: comma + 1,
                        reason: "a trailing comma before `]`".into(),
                    },
                    &mut problem,
                );
            }
            closed = true;
            break;
        }
        if !expect_element {
            if c == ',' {
                commas += 1;
                last_comma = Some(pos);
                expect_element = true;
                pos += 1;
                continue;
            }
            if !is_quote(c) {
                return None;
            }
            note(
                JsonProblem {
                    start: pos,
                    end: pos + c.len_utf8(),
                    reason: "a missing comma between two elements".into(),
                },
                &mut problem,
            );
        }
        expect_element = false;
        match c {
            '"' => {
                quoted = true;
                let mut i = pos + 1;
                let mut terminated = false;
                while i < bytes.len() {
                    match bytes[i] {
                        b'"' => {
                            terminated = true;
                            break;
                        }
                        b'\\' => {
                            let next = text[i + 1..].chars().next();
                            let valid = matches!(
                                next,
                                Some('"' | '\\' | '/' | 'b' | 'f' | 'n' | 'r' | 't' | 'u')
                            );
                            if !valid {
                                let end = i + 1 + next.map_or(0, char::len_utf8);
                                note(
                                    JsonProblem {
                                        start: i,
                                        end,
                                        reason: format!(
                                            "`{}` is not a JSON escape (write `\\\\` for a backslash)",
                                            &text[i..end]
                                        ),
                                    },
                                    &mut problem,
                                );
                            }
                            i += 1 + next.map_or(0, char::len_utf8);
                        }
                        _ => i += 1,
                    }
                }
                if !terminated {
                    note(
                        JsonProblem {
                            start: pos,
                            end: text.len(),
                            reason: "an unterminated string".into(),
                        },
                        &mut problem,
                    );
                    break;
                }
                pos = i + 1;
            }
            '\'' | '\u{201c}' | '\u{201d}' | '\u{2018}' | '\u{2019}' => {
                quoted = true;
                let reason = if c == '\'' {
                    "single quotes: JSON strings take double quotes"
                } else {
                    "typographic quotes: JSON strings take plain double quotes"
                };
                note(whole(reason), &mut problem);
                let close: &[char] = if c == '\'' {
                    &['\'']
                } else {
                    &['\u{201c}', '\u{201d}', '\u{2018}', '\u{2019}']
                };
                let after = pos + c.len_utf8();
                match text[after..].find(close) {
                    Some(i) => {
                        let close_len = text[after + i..].chars().next().map_or(1, char::len_utf8);
                        pos = after + i + close_len;
                    }
                    None => break,
                }
            }
            ',' => {
                note(
                    JsonProblem {
                        start: pos,
                        end: pos + 1,
                        reason: "an empty element".into(),
                    },
                    &mut problem,
                );
                commas += 1;
                last_comma = Some(pos);
                expect_element = true;
                pos += 1;
            }
            _ => {
                let len = rest
                    .find(|ch: char| ch.is_whitespace() || ch == ',' || ch == ']')
                    .unwrap_or(rest.len());
                let after = rest[len..].trim_start();
                if !(after.starts_with(',') || after.starts_with(']')) {
                    return None;
                }
                note(
                    JsonProblem {
                        start: pos,
                        end: pos + len,
                        reason: format!("the unquoted element `{}`", &rest[..len]),
                    },
                    &mut problem,
                );
                pos += len;
            }
        }
    }
    // `[ x ]` is a shell test; `[x]` (no space inside the bracket) was meant as an array.
    let tight = text[1..].chars().next().is_some_and(|c| !c.is_whitespace());
    if !quoted && commas == 0 && !tight {
        return None;
    }
    if !closed {
        note(
            JsonProblem {
                start: 0,
                end: text.len(),
                reason: "no closing `]`".into(),
            },
            &mut problem,
        );
    }
    Some(problem.unwrap_or_else(|| whole("invalid JSON")))
}

/// Keeps the first problem found: later ones are often consequences of it.
fn note(p: JsonProblem, problem: &mut Option<JsonProblem>) {
    if problem.is_none() {
        *problem = Some(p);
    }
}

fn is_quote(c: char) -> bool {
    matches!(
        c,
        '"' | '\'' | '\u{201c}' | '\u{201d}' | '\u{2018}' | '\u{2019}'
    )
}

/// The argument text of an instruction that may be written as a JSON array, with a way to
/// map offsets in it back to the source: RUN, CMD, ENTRYPOINT, SHELL, COPY, ADD, VOLUME and
/// `HEALTHCHECK CMD`. `None` when the parser already read a JSON array.
pub fn json_candidate(inst: &Instruction) -> Option<(&str, usize)> {
    let rest = inst.rest.text.as_str();
    match (&inst.keyword, &inst.args) {
        (Keyword::Run | Keyword::Cmd | Keyword::Entrypoint | Keyword::Shell, Args::Shell(_))
        | (Keyword::Copy | Keyword::Add | Keyword::Volume, Args::Words(_)) => {
            rest.starts_with('[').then_some((rest, 0))
        }
        (Keyword::Healthcheck, Args::Healthcheck { command, .. }) => match command.as_ref() {
            Args::Shell(word) if word.text.starts_with('[') => {
                let offset = rest.len().checked_sub(word.text.len())?;
                Some((&rest[offset..], offset))
            }
            _ => None,
        },
        _ => None,
    }
}

/// The source range of a problem found in the text from [`json_candidate`].
pub fn problem_range(inst: &Instruction, offset: usize, p: &JsonProblem) -> TextRange {
    inst.rest_range(offset + p.start, offset + p.end)
}

#[cfg(test)]
mod tests {
    use super::json_array_problem as check;

    fn reason(text: &str) -> Option<(usize, usize, String)> {
        check(text).map(|p| (p.start, p.end, p.reason))
    }

    #[test]
    fn finds_what_breaks_the_json() {
        assert_eq!(
            reason("['dotnet', 'App.dll']"),
            Some((
                0,
                21,
                "single quotes: JSON strings take double quotes".into()
            ))
        );
        assert_eq!(
            reason("[\"dotnet\", \"App.dll\",]"),
            Some((20, 21, "a trailing comma before `]`".into()))
        );
        assert_eq!(
            reason("[\"dotnet\" \"App.dll\"]"),
            Some((10, 11, "a missing comma between two elements".into()))
        );
        assert_eq!(
            reason("[dotnet, App.dll]"),
            Some((1, 7, "the unquoted element `dotnet`".into()))
        );
        assert_eq!(
            reason("[\"C:\\app\\x.exe\"]"),
            Some((
                4,
                6,
                "`\\a` is not a JSON escape (write `\\\\` for a backslash)".into()
            ))
        );
        assert_eq!(
            reason("[/data]"),
            Some((1, 6, "the unquoted element `/data`".into()))
        );
        assert_eq!(
            reason("[\"dotnet\", \"App.dll\""),
            Some((0, 20, "no closing `]`".into()))
        );
    }

    #[test]
    fn ignores_shell_tests_and_valid_json() {
        for text in [
            "[ -f /app/x ] && echo ok",
            "[ \"$A\" = \"b\" ]",
            "[ -n \"$X\" ]",
            "[ x ]",
            "[[ -f x ]]",
            "[\"dotnet\", \"App.dll\"]",
            "not json",
        ] {
            assert_eq!(check(text), None, "{text}");
        }
    }
}
