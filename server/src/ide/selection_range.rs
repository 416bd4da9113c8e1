//! Selection ranges ("expand selection"): word -> variable reference -> argument -> argument
//! list -> instruction -> stage -> file.

use crate::analysis::Analysis;
use crate::ide::cursor::{instruction_index_at, line_bounds, word_around};
use crate::ide::index::var_refs_of;
use crate::syntax::{Args, Instruction};
use crate::text::TextRange;

/// The ranges around `offset`, innermost first, each strictly containing the previous one.
pub fn selection_ranges(analysis: &Analysis, offset: usize) -> Vec<TextRange> {
    let text = analysis.text.as_str();
    let offset = crate::text::clamp_to_char_boundary(text, offset);
    let mut candidates: Vec<TextRange> = Vec::new();
    let word = word_around(text, offset, |c| {
        c.is_alphanumeric() || matches!(c, '_' | '-' | '.')
    });
    if !word.is_empty() {
        candidates.push(word);
    }
    if let Some(idx) = instruction_index_at(&analysis.tree, offset) {
        let inst = &analysis.tree.instructions[idx];
        for r in var_refs_of(text, &analysis.tree, idx) {
            if r.range.contains_inclusive(offset) {
                candidates.push(r.name_range);
                candidates.push(r.range);
            }
        }
        instruction_ranges(text, inst.effective(), offset, &mut candidates);
        if let Args::OnBuild(inner) = &inst.args {
            candidates.push(TextRange::new(
                inner.keyword_range.start(),
                inst.range.end(),
            ));
        }
        candidates.push(inst.range);
        if let Some(stage) = analysis.model.stage_of_instruction(idx) {
            let first = analysis.tree.instructions.get(stage.instructions.start);
            let last = stage
                .instructions
                .end
                .checked_sub(1)
                .and_then(|i| analysis.tree.instructions.get(i));
            if let (Some(first), Some(last)) = (first, last) {
                candidates.push(first.range.cover(last.range));
            }
        }
    }
    candidates.push(TextRange::new(0, text.len()));
    candidates.retain(|r| r.contains_inclusive(offset));
    candidates.sort_by_key(|r| (r.len(), std::cmp::Reverse(r.start)));
    let mut out: Vec<TextRange> = Vec::with_capacity(candidates.len());
    for r in candidates {
        match out.last() {
            Some(last) if r == *last => {}
            Some(last) if !(r.start() <= last.start() && last.end() <= r.end()) => {}
            _ => out.push(r),
        }
    }
    out
}

fn instruction_ranges(text: &str, inst: &Instruction, offset: usize, out: &mut Vec<TextRange>) {
    for flag in &inst.flags {
        if let Some(value) = &flag.value {
            if value.range.contains_inclusive(offset) {
                // One `key=value` field of a `--mount=...` value.
                if let Some(src) = text.get(value.range.as_range()) {
                    let mut start = value.range.start();
                    for field in src.split(',') {
                        let range = TextRange::new(start, start + field.len());
                        if range.contains_inclusive(offset) {
                            out.push(range);
                        }
                        start += field.len() + 1;
                    }
                }
                out.push(value.range);
            }
        }
        out.push(flag.range);
    }
    match &inst.args {
        Args::Exec { range, elements } => {
            out.extend(elements.iter().map(|e| e.range));
            out.push(*range);
        }
        Args::Words(words) => out.extend(words.iter().map(|w| w.range)),
        Args::KeyValues { pairs, .. } => {
            for p in pairs {
                out.push(p.key.range);
                if let Some(v) = &p.value {
                    out.push(v.range);
                }
                out.push(p.range);
            }
        }
        Args::Shell(w) | Args::String(w) => {
            // The shell word at the cursor, on its line.
            if w.range.contains_inclusive(offset) {
                let (line_start, line_end) = line_bounds(text, offset);
                let word = word_around(text, offset, |c| !c.is_whitespace());
                out.push(TextRange::new(
                    word.start().max(line_start),
                    word.end().min(line_end),
                ));
            }
            out.push(w.range);
        }
        Args::Healthcheck { kind, command } => {
            out.push(kind.range);
            if let Args::Exec { range, elements } = command.as_ref() {
                out.extend(elements.iter().map(|e| e.range));
                out.push(*range);
            } else if let Args::Shell(w) = command.as_ref() {
                out.push(w.range);
            }
        }
        Args::Empty | Args::OnBuild(_) => {}
    }
    for heredoc in &inst.heredocs {
        out.push(heredoc.range);
        if heredoc.body_range.contains_inclusive(offset) {
            let (line_start, line_end) = line_bounds(text, offset);
            out.push(TextRange::new(line_start, line_end));
            out.push(heredoc.body_range);
        }
    }
    if !inst.rest.range.is_empty() {
        out.push(inst.rest.range);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ide::test_support::{analysis, cursor, slices};

    fn expand(marked: &str) -> Vec<String> {
        let (text, offset) = cursor(marked);
        let a = analysis(&text);
        slices(&text, &selection_ranges(&a, offset))
    }

    #[test]
    fn word_argument_instruction_stage_file() {
        let text = "FROM a AS build\nCOPY [\"src/Api.csproj\", \"./\"]\nRUN echo hi\nFROM b\n";
        let got = expand(&text.replacen("Api.csproj", "Api.cs‸proj", 1));
        assert_eq!(
            got,
            [
                "Api.csproj",
                "\"src/Api.csproj\"",
                "[\"src/Api.csproj\", \"./\"]",
                "COPY [\"src/Api.csproj\", \"./\"]",
                "FROM a AS build\nCOPY [\"src/Api.csproj\", \"./\"]\nRUN echo hi",
                text,
            ]
        );
    }

    #[test]
    fn variables_and_mount_fields() {
        let got = expand(
            "FROM a\nRUN --mount=type=cache,target=/root/.nu‸get dotnet restore -a ${TARGETARCH}\n",
        );
        assert_eq!(
            &got[..5],
            [
                ".nuget",
                "target=/root/.nuget",
                "type=cache,target=/root/.nuget",
                "--mount=type=cache,target=/root/.nuget",
                "RUN --mount=type=cache,target=/root/.nuget dotnet restore -a ${TARGETARCH}",
            ]
        );
        let got = expand("FROM a\nRUN dotnet restore -a ${TARGET‸ARCH} && true\n");
        assert_eq!(
            &got[..4],
            [
                "TARGETARCH",
                "${TARGETARCH}",
                "dotnet restore -a ${TARGETARCH} && true",
                "RUN dotnet restore -a ${TARGETARCH} && true"
            ]
        );
    }

    #[test]
    fn heredoc_lines() {
        let got = expand("FROM a\nRUN <<EOF\nset -e\necho h‸i\nEOF\n");
        assert_eq!(
            &got[..4],
            [
                "hi",
                "echo hi",
                "set -e\necho hi\n",
                "RUN <<EOF\nset -e\necho hi\nEOF"
            ]
        );
    }
}
