//! MSBuild `Condition` evaluation for the forms real projects use: string comparisons
//! (case-insensitive), numeric and version comparisons, `Exists()`, `HasTrailingSlash()`,
//! `!`, `and`, `or` and parentheses.
//!
//! The result is three-valued: `Ok(true)`, `Ok(false)`, or `Err(reason)` when the condition
//! uses something Dockside does not evaluate. Callers decide what an unknown means.

use std::path::Path;

use super::expand::{compare_versions, find_closing_paren, Expander};
use super::paths;

pub type ConditionResult = Result<bool, String>;

#[derive(Clone, Debug, PartialEq, Eq)]
enum Token {
    LParen,
    RParen,
    Comma,
    And,
    Or,
    Not,
    Compare(CompareOp),
    /// A quoted string (contents, still to be expanded).
    Quoted(String),
    /// An unquoted operand: a word, a number or a `$(...)` expression.
    Word(String),
    Function(String),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum CompareOp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

fn tokenize(text: &str) -> Result<Vec<Token>, String> {
    let bytes = text.as_bytes();
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        match b {
            b' ' | b'\t' | b'\r' | b'\n' => i += 1,
            b'(' => {
                tokens.push(Token::LParen);
                i += 1;
            }
            b')' => {
                tokens.push(Token::RParen);
                i += 1;
            }
            b',' => {
                tokens.push(Token::Comma);
                i += 1;
            }
            b'=' if bytes.get(i + 1) == Some(&b'=') => {
                tokens.push(Token::Compare(CompareOp::Eq));
                i += 2;
            }
            b'!' if bytes.get(i + 1) == Some(&b'=') => {
                tokens.push(Token::Compare(CompareOp::Ne));
                i += 2;
            }
            b'!' => {
                tokens.push(Token::Not);
                i += 1;
            }
            b'<' | b'>' => {
                let or_equal = bytes.get(i + 1) == Some(&b'=');
                tokens.push(Token::Compare(match (b, or_equal) {
                    (b'<', true) => CompareOp::Le,
                    (b'<', false) => CompareOp::Lt,
                    (_, true) => CompareOp::Ge,
                    (_, false) => CompareOp::Gt,
                }));
                i += if or_equal { 2 } else { 1 };
            }
            b'\'' => {
                let mut j = i + 1;
                loop {
                    match bytes.get(j) {
                        None => return Err("unterminated quoted string".to_string()),
                        Some(b'\'') => break,
                        Some(b'$') | Some(b'@') | Some(b'%') if bytes.get(j + 1) == Some(&b'(') => {
                            j = find_closing_paren(text, j + 1)
                                .ok_or_else(|| "unbalanced parentheses".to_string())?
                                + 1;
                        }
                        Some(_) => j += 1,
                    }
                }
                tokens.push(Token::Quoted(text[i + 1..j].to_string()));
                i = j + 1;
            }
            b'$' | b'@' | b'%' if bytes.get(i + 1) == Some(&b'(') => {
                let close = find_closing_paren(text, i + 1)
                    .ok_or_else(|| "unbalanced parentheses".to_string())?;
                tokens.push(Token::Word(text[i..=close].to_string()));
                i = close + 1;
            }
            _ if b.is_ascii_alphanumeric() || b == b'_' || b == b'.' || b == b'-' || b == b'+' => {
                let mut j = i;
                while j < bytes.len()
                    && (bytes[j].is_ascii_alphanumeric()
                        || matches!(bytes[j], b'_' | b'.' | b'-' | b'+'))
                {
                    j += 1;
                }
                let word = &text[i..j];
                let mut k = j;
                while k < bytes.len() && bytes[k].is_ascii_whitespace() {
                    k += 1;
                }
                if word.eq_ignore_ascii_case("and") {
                    tokens.push(Token::And);
                } else if word.eq_ignore_ascii_case("or") {
                    tokens.push(Token::Or);
                } else if bytes.get(k) == Some(&b'(')
                    && word.chars().all(|c| c.is_ascii_alphabetic())
                {
                    tokens.push(Token::Function(word.to_string()));
                } else {
                    tokens.push(Token::Word(word.to_string()));
                }
                i = j;
            }
            _ => {
                return Err(format!(
                    "unexpected character '{}'",
                    text[i..].chars().next().unwrap_or('?')
                ))
            }
        }
    }
    Ok(tokens)
}

struct Parser<'t, 'e, 'x> {
    tokens: &'t [Token],
    position: usize,
    expander: &'e mut Expander<'x>,
    base_dir: &'t Path,
}

/// Evaluates an MSBuild condition. `base_dir` resolves relative paths in `Exists()`.
pub fn evaluate(text: &str, expander: &mut Expander, base_dir: &Path) -> ConditionResult {
    if text.trim().is_empty() {
        return Ok(true);
    }
    let tokens = tokenize(text)?;
    let mut parser = Parser {
        tokens: &tokens,
        position: 0,
        expander,
        base_dir,
    };
    let value = parser.or_expression()?;
    if parser.position != tokens.len() {
        return Err("unexpected text after the condition".to_string());
    }
    value
}

type Parsed = Result<ConditionResult, String>;

impl Parser<'_, '_, '_> {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.position)
    }

    fn next(&mut self) -> Option<Token> {
        let token = self.tokens.get(self.position).cloned();
        self.position += 1;
        token
    }

    /// The outer `Result` is a syntax error (condition not understood at all); the inner one
    /// is a value that cannot be known.
    fn or_expression(&mut self) -> Parsed {
        let mut left = self.and_expression()?;
        while self.peek() == Some(&Token::Or) {
            self.position += 1;
            let right = self.and_expression()?;
            left = match (left, right) {
                (Ok(true), _) | (_, Ok(true)) => Ok(true),
                (Ok(false), Ok(false)) => Ok(false),
                (Err(e), _) | (_, Err(e)) => Err(e),
            };
        }
        Ok(left)
    }

    fn and_expression(&mut self) -> Parsed {
        let mut left = self.unary()?;
        while self.peek() == Some(&Token::And) {
            self.position += 1;
            let right = self.unary()?;
            left = match (left, right) {
                (Ok(false), _) | (_, Ok(false)) => Ok(false),
                (Ok(true), Ok(true)) => Ok(true),
                (Err(e), _) | (_, Err(e)) => Err(e),
            };
        }
        Ok(left)
    }

    fn unary(&mut self) -> Parsed {
        if self.peek() == Some(&Token::Not) {
            self.position += 1;
            return Ok(self.unary()?.map(|v| !v));
        }
        self.primary()
    }

    fn primary(&mut self) -> Parsed {
        match self.next() {
            Some(Token::LParen) => {
                let value = self.or_expression()?;
                if self.next() != Some(Token::RParen) {
                    return Err("missing ')'".to_string());
                }
                Ok(value)
            }
            Some(Token::Function(name)) => self.function(&name),
            Some(token @ (Token::Quoted(_) | Token::Word(_))) => {
                let left = self.operand_value(&token);
                if let Some(Token::Compare(op)) = self.peek().cloned() {
                    self.position += 1;
                    let right_token = match self.next() {
                        Some(t @ (Token::Quoted(_) | Token::Word(_))) => t,
                        _ => return Err("a comparison needs a value on its right".to_string()),
                    };
                    let right = self.operand_value(&right_token);
                    return Ok(match (left, right) {
                        (Ok(l), Ok(r)) => compare(&l, &r, op),
                        (Err(e), _) | (_, Err(e)) => Err(e),
                    });
                }
                Ok(left.and_then(|value| {
                    as_boolean(&value).ok_or_else(|| format!("'{value}' is not a boolean"))
                }))
            }
            Some(other) => Err(format!("unexpected {other:?}")),
            None => Err("the condition ends too early".to_string()),
        }
    }

    fn operand_value(&mut self, token: &Token) -> ConditionResult2 {
        let raw = match token {
            Token::Quoted(text) | Token::Word(text) => text,
            _ => return Err("not a value".to_string()),
        };
        let expansion = self.expander.expand(raw);
        if let Some(first) = expansion.unsupported.first() {
            return Err(format!("cannot evaluate {first}"));
        }
        if raw.contains("@(") || raw.contains("%(") {
            return Err("item lists and metadata are not evaluated in conditions".to_string());
        }
        Ok(expansion.value)
    }

    fn function(&mut self, name: &str) -> Parsed {
        if self.next() != Some(Token::LParen) {
            return Err(format!("{name} needs '('"));
        }
        let mut args = Vec::new();
        loop {
            match self.next() {
                Some(Token::RParen) => break,
                Some(Token::Comma) => {}
                Some(token @ (Token::Quoted(_) | Token::Word(_))) => {
                    args.push(self.operand_value(&token))
                }
                _ => return Err(format!("malformed arguments of {name}")),
            }
        }
        let single = |args: Vec<ConditionResult2>| -> ConditionResult2 {
            match args.into_iter().next() {
                Some(value) => value,
                None => Err(format!("{name} needs an argument")),
            }
        };
        if name.eq_ignore_ascii_case("Exists") {
            let path = match single(args) {
                Ok(path) => path,
                Err(e) => return Ok(Err(e)),
            };
            let path = path.trim();
            if path.is_empty() {
                return Ok(Ok(false));
            }
            let resolved = paths::resolve(self.base_dir, path);
            self.expander.probes.push(resolved.clone());
            let exists = self.expander.fs.exists(&resolved) || resolved.is_dir();
            return Ok(Ok(exists));
        }
        if name.eq_ignore_ascii_case("HasTrailingSlash") {
            return Ok(single(args).map(|v| v.ends_with('/') || v.ends_with('\\')));
        }
        Ok(Err(format!(
            "the condition function {name}() is not evaluated"
        )))
    }
}

type ConditionResult2 = Result<String, String>;

fn as_boolean(value: &str) -> Option<bool> {
    let lower = value.trim().to_ascii_lowercase();
    match lower.as_str() {
        "true" | "on" | "yes" | "!false" | "!off" | "!no" => Some(true),
        "false" | "off" | "no" | "!true" | "!on" | "!yes" => Some(false),
        _ => None,
    }
}

fn as_number(value: &str) -> Option<f64> {
    let value = value.trim();
    if let Some(hex) = value
        .strip_prefix("0x")
        .or_else(|| value.strip_prefix("0X"))
    {
        return i64::from_str_radix(hex, 16).ok().map(|v| v as f64);
    }
    if value.is_empty()
        || !value
            .bytes()
            .all(|b| b.is_ascii_digit() || b == b'.' || b == b'-' || b == b'+')
    {
        return None;
    }
    value.parse::<f64>().ok()
}

fn compare(left: &str, right: &str, op: CompareOp) -> ConditionResult {
    use std::cmp::Ordering;
    let ordering = match (as_number(left), as_number(right)) {
        (Some(l), Some(r)) => l.partial_cmp(&r),
        _ => None,
    };
    match op {
        CompareOp::Eq | CompareOp::Ne => {
            let equal = match ordering {
                Some(ordering) => ordering == Ordering::Equal,
                None => left.eq_ignore_ascii_case(right),
            };
            Ok(if op == CompareOp::Eq { equal } else { !equal })
        }
        _ => {
            let ordering = ordering
                .or_else(|| compare_versions(left, right))
                .ok_or_else(|| {
                    format!("'{left}' and '{right}' cannot be compared as numbers or versions")
                })?;
            Ok(match op {
                CompareOp::Lt => ordering == Ordering::Less,
                CompareOp::Le => ordering != Ordering::Greater,
                CompareOp::Gt => ordering == Ordering::Greater,
                _ => ordering != Ordering::Less,
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dotnet::files::{FileStore, DEFAULT_MAX_FILE_SIZE};
    use crate::dotnet::properties::PropertyBag;

    fn eval_in(bag: &PropertyBag, dir: &Path, text: &str) -> ConditionResult {
        let mut fs = FileStore::new(DEFAULT_MAX_FILE_SIZE);
        let mut probes = Vec::new();
        let this_file = dir.join("App.csproj");
        let mut expander = Expander {
            properties: bag,
            this_file: &this_file,
            project_dir: dir,
            fs: &mut fs,
            probes: &mut probes,
        };
        evaluate(text, &mut expander, dir)
    }

    fn eval(text: &str) -> ConditionResult {
        let mut bag = PropertyBag::default();
        bag.set("Configuration", "Release".into(), None);
        bag.set("TargetFramework", "net8.0".into(), None);
        bag.set("Enabled", "true".into(), None);
        eval_in(&bag, Path::new("/nonexistent-dir-for-tests"), text)
    }

    #[test]
    fn comparisons_are_case_insensitive() {
        assert_eq!(eval("'$(Configuration)' == 'release'"), Ok(true));
        assert_eq!(eval("'$(Configuration)'=='Debug'"), Ok(false));
        assert_eq!(eval("'$(Configuration)' != 'Debug'"), Ok(true));
        assert_eq!(eval("'$(Undefined)' == ''"), Ok(true));
        assert_eq!(eval(" '$(TargetFramework)' == 'NET8.0' "), Ok(true));
    }

    #[test]
    fn boolean_operators_and_parentheses() {
        assert_eq!(
            eval("'$(Configuration)' == 'Release' and '$(TargetFramework)' == 'net6.0'"),
            Ok(false)
        );
        assert_eq!(eval("'$(Configuration)' == 'Release' AND ('$(TargetFramework)' == 'net6.0' Or '$(TargetFramework)' == 'net8.0')"), Ok(true));
        assert_eq!(eval("!('$(Configuration)' == 'Debug')"), Ok(true));
        assert_eq!(eval("$(Enabled)"), Ok(true));
        assert_eq!(eval("'$(Enabled)' == 'true' and !$(Enabled)"), Ok(false));
    }

    #[test]
    fn numeric_and_version_comparisons() {
        // MSBuild compares as numbers first (1.10 < 1.9), then as versions.
        assert_eq!(eval("'1.10' > '1.9'"), Ok(false));
        assert_eq!(eval("'1.10.0' > '1.9.0'"), Ok(true));
        assert_eq!(eval("10 >= 9"), Ok(true));
        assert_eq!(
            eval("'$([MSBuild]::GetTargetFrameworkVersion($(TargetFramework)))' >= '8.0'"),
            Ok(true)
        );
        assert_eq!(eval("'1.0' == '1.00'"), Ok(true));
    }

    #[test]
    fn exists_resolves_relative_to_base_dir() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("shared.props"), "<Project/>").unwrap();
        let bag = PropertyBag::default();
        assert_eq!(
            eval_in(&bag, dir.path(), "Exists('shared.props')"),
            Ok(true)
        );
        assert_eq!(
            eval_in(&bag, dir.path(), "exists('missing.props')"),
            Ok(false)
        );
        assert_eq!(
            eval_in(
                &bag,
                dir.path(),
                "!Exists('$(MSBuildThisFileDirectory)shared.props')"
            ),
            Ok(false)
        );
        assert_eq!(eval_in(&bag, dir.path(), "Exists('')"), Ok(false));
    }

    #[test]
    fn unknown_parts_are_unknown_unless_short_circuited() {
        assert!(eval("'@(Compile)' == ''").is_err());
        assert!(eval("IsSomething('x')").is_err());
        assert_eq!(
            eval("'$(Configuration)' == 'Debug' and IsSomething('x')"),
            Ok(false)
        );
        assert_eq!(
            eval("'$(Configuration)' == 'Release' or IsSomething('x')"),
            Ok(true)
        );
        assert!(eval("'abc' < 'def'").is_err());
    }

    #[test]
    fn syntax_errors_are_errors_not_panics() {
        assert!(eval("'$(Configuration)' ==").is_err());
        assert!(eval("('a' == 'a'").is_err());
        assert!(eval("'unterminated").is_err());
        assert!(eval("'a' == 'a' 'b'").is_err());
        assert!(eval("#").is_err());
        assert_eq!(eval(""), Ok(true));
    }
}
