//! Folding ranges: stages, multi-line instructions, heredoc bodies and comment blocks.

use crate::analysis::Analysis;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FoldingKind {
    Comment,
    Region,
}

/// Zero-based, inclusive line range. Editors show `start_line` and hide the rest.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FoldingRange {
    pub start_line: u32,
    pub end_line: u32,
    pub kind: FoldingKind,
}

/// Folding ranges sorted by start line; at most one range starts on a line (editors keep
/// only one per line), the outermost.
pub fn folding_ranges(analysis: &Analysis) -> Vec<FoldingRange> {
    let (tree, model, index) = (&analysis.tree, &analysis.model, &analysis.line_index);
    let mut ranges = Vec::new();
    for stage in &model.stages {
        let (Some(first), Some(last)) = (
            tree.instructions.get(stage.instructions.start),
            stage
                .instructions
                .end
                .checked_sub(1)
                .and_then(|i| tree.instructions.get(i)),
        ) else {
            continue;
        };
        if last.end_line > first.start_line {
            ranges.push(FoldingRange {
                start_line: first.start_line,
                end_line: last.end_line,
                kind: FoldingKind::Region,
            });
        }
    }
    for inst in &tree.instructions {
        if inst.end_line > inst.start_line {
            ranges.push(FoldingRange {
                start_line: inst.start_line,
                end_line: inst.end_line,
                kind: FoldingKind::Region,
            });
        }
        for heredoc in &inst.effective().heredocs {
            // From the line that opens the body (the header, or the previous terminator).
            let body_line = index.line_of(heredoc.body_range.start()) as u32;
            let end = heredoc
                .terminator_range
                .map_or(inst.end_line, |t| index.line_of(t.start()) as u32);
            let start = body_line.saturating_sub(1).max(inst.start_line);
            if end > start {
                ranges.push(FoldingRange {
                    start_line: start,
                    end_line: end,
                    kind: FoldingKind::Region,
                });
            }
        }
    }
    // Runs of consecutive comment lines (directives included).
    let mut comment_lines: Vec<u32> = tree
        .directives
        .iter()
        .map(|d| d.range)
        .chain(tree.comments.iter().copied())
        .map(|r| index.line_of(r.start()) as u32)
        .collect();
    comment_lines.sort_unstable();
    comment_lines.dedup();
    let mut i = 0;
    while i < comment_lines.len() {
        let mut j = i;
        while j + 1 < comment_lines.len() && comment_lines[j + 1] == comment_lines[j] + 1 {
            j += 1;
        }
        if j > i {
            ranges.push(FoldingRange {
                start_line: comment_lines[i],
                end_line: comment_lines[j],
                kind: FoldingKind::Comment,
            });
        }
        i = j + 1;
    }
    // One range per start line: the largest.
    ranges.sort_by_key(|r| (r.start_line, std::cmp::Reverse(r.end_line)));
    ranges.dedup_by_key(|r| r.start_line);
    ranges
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ide::test_support::analysis;

    #[test]
    fn stages_instructions_heredocs_and_comments() {
        let text = "\
# syntax=docker/dockerfile:1
# A .NET build
# in two stages
FROM mcr.microsoft.com/dotnet/sdk:9.0 AS build
RUN dotnet restore \\
    # a comment inside
    -a $TARGETARCH
COPY <<EOF /a <<EOT /b
one
EOF
two
EOT

FROM base
CMD [\"x\"]
";
        let a = analysis(text);
        let got: Vec<(u32, u32, FoldingKind)> = folding_ranges(&a)
            .iter()
            .map(|r| (r.start_line, r.end_line, r.kind))
            .collect();
        assert_eq!(
            got,
            [
                (0, 2, FoldingKind::Comment),
                (3, 11, FoldingKind::Region),
                (4, 6, FoldingKind::Region),
                (7, 11, FoldingKind::Region),
                (9, 11, FoldingKind::Region),
                (13, 14, FoldingKind::Region),
            ]
        );
    }
}
