//! Signature help for every instruction, its flags and its JSON form, with the active
//! parameter from the cursor position.

use crate::analysis::Analysis;
use crate::ide::cursor::{instruction_index_at, logical_text};
use crate::ide::docs::{self, Form, ParamRole};
use crate::syntax::{Args, Instruction, Keyword};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParameterInfo {
    /// Start and end offsets of the parameter in the signature label. Labels are ASCII, so
    /// these are the same in bytes and in UTF-16 code units.
    pub label: (u32, u32),
    pub documentation: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SignatureInfo {
    pub label: String,
    pub documentation: String,
    pub parameters: Vec<ParameterInfo>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SignatureHelp {
    pub signatures: Vec<SignatureInfo>,
    pub active_signature: u32,
    pub active_parameter: Option<u32>,
}

/// What the cursor is on, in terms of [`ParamRole`].
#[derive(Debug)]
struct CursorPosition {
    flag: Option<String>,
    /// Index of the argument (word or JSON element) at the cursor, and how many there are.
    index: usize,
    total: usize,
    /// The separators seen in the current word before the cursor (`=`, `:`, `/`).
    current_word: String,
}

pub fn signature_help(analysis: &Analysis, offset: usize) -> Option<SignatureHelp> {
    let (text, tree) = (analysis.text.as_str(), &analysis.tree);
    let idx = instruction_index_at(tree, offset)?;
    let outer = &tree.instructions[idx];
    if offset <= outer.keyword_range.end() {
        return None;
    }
    let inst = match &outer.args {
        Args::OnBuild(inner) if offset > inner.keyword_range.end() => inner.as_ref(),
        _ => outer,
    };
    // Not in heredoc bodies.
    if inst.heredocs.iter().any(|h| offset >= h.body_range.start()) {
        return None;
    }
    let info = docs::instruction(inst.keyword)?;
    let position = cursor_position(text, tree.escape, inst, offset);
    let args_text = args_before(text, tree.escape, inst, offset);
    let form = if inst.keyword == Keyword::Healthcheck
        && matches!(&inst.args, Args::Healthcheck { kind, .. } if kind.text.eq_ignore_ascii_case("none"))
    {
        Form::HealthcheckNone
    } else if json_form(inst, &args_text) {
        Form::Json
    } else {
        Form::Plain
    };
    let active_signature = info
        .signatures
        .iter()
        .position(|s| s.form == form)
        .or_else(|| info.signatures.iter().position(|s| s.form == Form::Any))
        .unwrap_or(0);
    let signatures: Vec<SignatureInfo> = info
        .signatures
        .iter()
        .map(|s| SignatureInfo {
            label: s.label.to_string(),
            documentation: s.doc.to_string(),
            parameters: s
                .params
                .iter()
                .map(|p| {
                    let start = s.label.find(p.label).unwrap_or(0);
                    ParameterInfo {
                        label: (start as u32, (start + p.label.len()) as u32),
                        documentation: p.doc.to_string(),
                    }
                })
                .collect(),
        })
        .collect();
    let active = &info.signatures[active_signature];
    let active_parameter = active
        .params
        .iter()
        .position(|p| matches_role(p.role, &position))
        .map(|i| i as u32);
    Some(SignatureHelp {
        signatures,
        active_signature: active_signature as u32,
        active_parameter,
    })
}

fn json_form(inst: &Instruction, args_text: &str) -> bool {
    let command_is_json = match &inst.args {
        Args::Exec { .. } => true,
        Args::Healthcheck { command, .. } => matches!(command.as_ref(), Args::Exec { .. }),
        _ => false,
    };
    command_is_json || args_text.trim_start().starts_with('[')
}

/// The arguments text (after the flags) up to the cursor.
fn args_before(text: &str, escape: char, inst: &Instruction, offset: usize) -> String {
    let args_start = inst.rest.range.start();
    if offset <= args_start {
        return String::new();
    }
    logical_text(text, args_start, offset, escape)
}

fn cursor_position(text: &str, escape: char, inst: &Instruction, offset: usize) -> CursorPosition {
    let flag = inst
        .flags
        .iter()
        .find(|f| f.range.contains_inclusive(offset))
        .map(|f| f.name.to_ascii_lowercase());
    let args_text = args_before(text, escape, inst, offset);
    let trimmed = args_text.trim_start();
    let (index, current_word) = if let Some(json) = trimmed.strip_prefix('[') {
        (top_level_commas(json), String::new())
    } else if inst.keyword == Keyword::Healthcheck {
        // `CMD` and then the command, whatever its words.
        let words: Vec<&str> = trimmed.split_whitespace().collect();
        let ended = args_text.ends_with(char::is_whitespace) || words.is_empty();
        let index = if ended { words.len() } else { words.len() - 1 };
        (index.min(1), String::new())
    } else {
        let words: Vec<&str> = trimmed.split_whitespace().collect();
        let ended = args_text.is_empty() || args_text.ends_with(char::is_whitespace);
        match (ended, words.last()) {
            (false, Some(last)) => (words.len() - 1, last.to_string()),
            _ => (words.len(), String::new()),
        }
    };
    let parsed_total = match &inst.args {
        Args::Exec { elements, .. } => elements.len(),
        Args::Words(words) => words.len(),
        _ => 0,
    };
    CursorPosition {
        flag,
        index,
        total: parsed_total.max(index + 1),
        current_word,
    }
}

/// Commas outside strings: the index of the JSON element being typed.
fn top_level_commas(json: &str) -> usize {
    let mut count = 0;
    let mut in_string = false;
    let mut escaped = false;
    for c in json.chars() {
        if in_string {
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '"' => in_string = false,
                _ => {}
            }
        } else {
            match c {
                '"' => in_string = true,
                ',' => count += 1,
                _ => {}
            }
        }
    }
    count
}

fn matches_role(role: ParamRole, at: &CursorPosition) -> bool {
    if let Some(flag) = &at.flag {
        return matches!(role, ParamRole::Flag(name) if name == flag);
    }
    match role {
        ParamRole::Flag(_) => false,
        ParamRole::Arg(n) => at.index == n,
        ParamRole::ArgsFrom(n) => at.index >= n,
        ParamRole::NotLast => at.total < 2 || at.index + 1 < at.total,
        ParamRole::Last => at.total >= 2 && at.index + 1 == at.total,
        ParamRole::Command => true,
        ParamRole::Before(sep) => !at.current_word.contains(sep),
        ParamRole::After(sep) => at.current_word.contains(sep),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ide::test_support::{analysis, cursor};

    /// The active signature's label with the active parameter in brackets.
    fn active(marked: &str) -> Option<String> {
        let (text, offset) = cursor(marked);
        let a = analysis(&text);
        let help = signature_help(&a, offset)?;
        let sig = &help.signatures[help.active_signature as usize];
        Some(match help.active_parameter {
            Some(p) => {
                let (s, e) = sig.parameters[p as usize].label;
                let (s, e) = (s as usize, e as usize);
                format!(
                    "{}«{}»{}",
                    &sig.label[..s],
                    &sig.label[s..e],
                    &sig.label[e..]
                )
            }
            None => sig.label.clone(),
        })
    }

    fn param(marked: &str) -> String {
        let label = active(marked).unwrap_or_else(|| panic!("no help for {marked}"));
        let start = label.find('«').unwrap() + '«'.len_utf8();
        let end = label.find('»').unwrap();
        label[start..end].to_string()
    }

    #[test]
    fn every_instruction_has_a_signature() {
        for keyword in Keyword::ALL {
            let (text, offset) = cursor(&format!("FROM a\n{} ‸", keyword.as_str()));
            let a = analysis(&text);
            let help = signature_help(&a, offset).unwrap_or_else(|| panic!("{keyword:?}"));
            assert!(help.signatures[0].label.starts_with(keyword.as_str()));
        }
        assert_eq!(active("FROM a\nRUN‸ x"), None);
        assert_eq!(active("FROM a\nFOO ‸"), None);
    }

    #[test]
    fn from_parameters() {
        assert_eq!(param("FROM ‸"), "<image>");
        assert_eq!(
            param("FROM --platform=linux/am‸d64 img"),
            "[--platform=<platform>]"
        );
        assert_eq!(param("FROM img ‸"), "AS");
        assert_eq!(param("FROM img AS bu‸"), "<name>");
        assert_eq!(
            active("FROM img AS ‸").unwrap(),
            "FROM [--platform=<platform>] <image> [AS «<name>»]"
        );
    }

    #[test]
    fn copy_sources_destination_and_json_form() {
        assert_eq!(param("FROM a\nCOPY ‸"), "<src>");
        assert_eq!(param("FROM a\nCOPY a.csproj ‸"), "<dest>");
        assert_eq!(param("FROM a\nCOPY a b‸ c"), "<src>");
        assert_eq!(param("FROM a\nCOPY a b c‸"), "<dest>");
        assert_eq!(
            param("FROM a\nCOPY --from=bu‸ild a b"),
            "[--from=<stage|image|context>]"
        );
        assert_eq!(param("FROM a\nCOPY [\"a\", ‸"), "\"<dest>\"");
        assert_eq!(param("FROM a\nCOPY [‸"), "\"<src>\"");
        let (text, offset) = cursor("FROM a\nCOPY [\"a\", \"b\"‸]");
        let help = signature_help(&analysis(&text), offset).unwrap();
        assert_eq!(help.active_signature, 1);
        assert_eq!(help.signatures.len(), 2);
        assert_eq!(help.signatures[1].parameters.len(), 8);
    }

    #[test]
    fn exec_and_shell_forms() {
        assert_eq!(
            param("FROM a\nCMD [\"dotnet\", \"App.dll\"‸]"),
            "\"<param>\""
        );
        assert_eq!(param("FROM a\nCMD [\"dot‸net\"]"), "\"<executable>\"");
        assert_eq!(param("FROM a\nCMD [\"a,b\", ‸"), "\"<param>\"");
        assert_eq!(param("FROM a\nENTRYPOINT dotnet ‸"), "<command>");
        assert_eq!(
            param("FROM a\nRUN --mount=type=cache,target=/x ‸"),
            "<command>"
        );
        assert_eq!(
            param("FROM a\nRUN --mount=type=ca‸che dotnet restore"),
            "[--mount=<mount>]"
        );
        assert_eq!(param("FROM a\nRUN [\"a\", ‸"), "\"<param>\"");
        assert_eq!(param("FROM a\nSHELL [‸"), "\"<executable>\"");
    }

    #[test]
    fn key_value_and_separator_parameters() {
        assert_eq!(param("FROM a\nENV A‸"), "<key>");
        assert_eq!(param("FROM a\nENV A=1 B=‸"), "<value>");
        assert_eq!(param("ARG VERSION=‸"), "[=<default value>]");
        assert_eq!(param("FROM a\nUSER app:‸"), "[:<group>]");
        assert_eq!(param("FROM a\nEXPOSE 8080/‸"), "[/<protocol>]");
        assert_eq!(param("FROM a\nLABEL ‸"), "<key>");
    }

    #[test]
    fn healthcheck_and_onbuild() {
        assert_eq!(
            param("FROM a\nHEALTHCHECK --interval=‸"),
            "[--interval=<duration>]"
        );
        assert_eq!(param("FROM a\nHEALTHCHECK ‸"), "CMD");
        assert_eq!(param("FROM a\nHEALTHCHECK CMD curl -f ‸"), "<command>");
        let (text, offset) = cursor("FROM a\nHEALTHCHECK NONE‸");
        let help = signature_help(&analysis(&text), offset).unwrap();
        assert_eq!(help.active_signature, 1);
        assert_eq!(param("FROM a\nONBUILD ‸"), "<INSTRUCTION>");
        assert_eq!(param("FROM a\nONBUILD COPY a ‸"), "<dest>");
    }
}
