use crate::declare_rule;
use crate::model::{BaseImage, Model, StageRefKind};
use crate::rules::{Diagnostics, RuleContext};
use crate::text::TextRange;

declare_rule! {
/// ## What it does
/// Checks that no stage depends on itself: `FROM x AS x`, `COPY --from=x` inside stage `x`
/// (by name or index), or a longer cycle such as stage `a` copying from `b` while `b` is
/// built `FROM a`.
///
/// ## Why is this bad?
/// BuildKit stops with "circular dependency detected on stage". A stage cannot read its
/// own output; usually another stage was meant.
///
/// ## Example
/// ```dockerfile
/// FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
/// COPY --from=build /src/global.json .
/// ```
///
/// ## Use instead
/// ```dockerfile
/// FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
/// COPY global.json .
/// ```
///
/// ## Fix safety
/// No automatic fix.
    StageSelfReference {
        severity: Error,
        origin: Validation,
        summary: "A stage depends on itself, directly or through other stages.",
        hadolint: "DL3023",
    }
}

/// `from` depends on stage `to` because of the text at `range`.
struct Edge {
    from: usize,
    to: usize,
    range: TextRange,
}

impl StageSelfReference {
    fn run(ctx: &RuleContext, out: &mut Diagnostics) {
        let model = ctx.model;
        let edges = dependencies(model);
        let graph = Graph::new(&edges, model.stages.len());
        // An edge closes a cycle when its target leads back to its source: both are in one
        // strongly connected component.
        let component = graph.components();
        let in_cycle = |from: usize, to: usize| matches!((component.get(from), component.get(to)), (Some(a), Some(b)) if a == b);
        let stage_label = |i: usize| -> String {
            model
                .stages
                .get(i)
                .and_then(|s| s.name.as_ref())
                .map_or_else(|| format!("{i}"), |n| n.text.to_string())
        };
        for edge in &edges {
            let message = if edge.from == edge.to {
                format!(
                    "stage `{}` refers to itself (circular dependency detected on stage: {})",
                    stage_label(edge.from),
                    stage_label(edge.from)
                )
            } else if in_cycle(edge.from, edge.to) {
                format!(
                    "stage `{}` depends on `{}`, which depends back on `{}` (circular dependency detected on stage: {})",
                    stage_label(edge.from),
                    stage_label(edge.to),
                    stage_label(edge.from),
                    stage_label(edge.from)
                )
            } else {
                continue;
            };
            out.report(&Self::META, edge.range, message);
        }
    }
}

/// Which stage each stage needs, with names resolved against every stage of the file, as
/// BuildKit does (a stage may name one defined later).
fn dependencies(model: &Model) -> Vec<Edge> {
    let mut from_ranges: Vec<Option<TextRange>> = vec![None; model.stages.len()];
    for r in &model.stage_refs {
        if r.kind == StageRefKind::From {
            if let Some(slot) = from_ranges.get_mut(r.in_stage).filter(|s| s.is_none()) {
                *slot = Some(r.range);
            }
        }
    }
    let by_name = |name: &str| -> Option<usize> { model.stage_by_name(name).map(|s| s.index) };
    let mut edges = Vec::new();
    for stage in &model.stages {
        match &stage.base {
            BaseImage::Stage(to) => edges.push(Edge {
                from: stage.index,
                to: *to,
                range: from_ranges
                    .get(stage.index)
                    .copied()
                    .flatten()
                    .unwrap_or_default(),
            }),
            BaseImage::Image { word, resolved } if resolved.is_complete() => {
                if let Some(to) = by_name(&resolved.text) {
                    edges.push(Edge {
                        from: stage.index,
                        to,
                        range: word.range,
                    });
                }
            }
            _ => {}
        }
    }
    for r in &model.stage_refs {
        if !matches!(r.kind, StageRefKind::CopyFrom | StageRefKind::MountFrom) {
            continue;
        }
        let to = match r.name.parse::<usize>() {
            Ok(index) => (index < model.stages.len()).then_some(index),
            Err(_) => by_name(&r.name),
        };
        if let Some(to) = to {
            edges.push(Edge {
                from: r.in_stage,
                to,
                range: r.range,
            });
        }
    }
    edges
}

/// The edges by source stage, so a search does not rescan every edge at each step.
/// The successors of every stage in one list (by stage, in edge order), instead of a list
/// per stage: a large file has thousands of stages.
struct Graph {
    /// The successors of stage `s` are `targets[starts[s]..starts[s + 1]]`.
    starts: Vec<usize>,
    targets: Vec<usize>,
}

impl Graph {
    fn new(edges: &[Edge], stages: usize) -> Graph {
        let mut starts = vec![0; stages + 1];
        for e in edges {
            if let Some(count) = starts.get_mut(e.from + 1) {
                *count += 1;
            }
        }
        for s in 1..starts.len() {
            starts[s] += starts[s - 1];
        }
        let mut next = starts.clone();
        let mut targets = vec![0; starts[stages]];
        for e in edges.iter().filter(|e| e.from < stages) {
            if let Some(slot) = next.get_mut(e.from) {
                targets[*slot] = e.to;
                *slot += 1;
            }
        }
        Graph { starts, targets }
    }

    fn successors(&self, stage: usize) -> &[usize] {
        &self.targets[self.starts[stage]..self.starts[stage + 1]]
    }

    /// The strongly connected component of every stage (Tarjan's algorithm, without
    /// recursion): two stages lead to each other exactly when their components are equal.
    fn components(&self) -> Vec<usize> {
        const UNSEEN: usize = usize::MAX;
        let n = self.starts.len() - 1;
        let mut order = vec![UNSEEN; n];
        let mut low = vec![0; n];
        let mut on_stack = vec![false; n];
        let mut component = vec![UNSEEN; n];
        let mut stack = Vec::new();
        // (stage, how many of its successors were visited); empty after each root.
        let mut work: Vec<(usize, usize)> = Vec::new();
        let (mut next_order, mut next_component) = (0, 0);
        for root in 0..n {
            if order[root] != UNSEEN {
                continue;
            }
            work.push((root, 0));
            order[root] = next_order;
            low[root] = next_order;
            next_order += 1;
            stack.push(root);
            on_stack[root] = true;
            while let Some(top) = work.len().checked_sub(1) {
                let (v, visited) = work[top];
                match self.successors(v).get(visited) {
                    Some(&w) => {
                        work[top].1 += 1;
                        if w >= n {
                            continue;
                        }
                        if order[w] == UNSEEN {
                            order[w] = next_order;
                            low[w] = next_order;
                            next_order += 1;
                            stack.push(w);
                            on_stack[w] = true;
                            work.push((w, 0));
                        } else if on_stack[w] {
                            low[v] = low[v].min(order[w]);
                        }
                    }
                    None => {
                        work.pop();
                        if let Some(&(parent, _)) = work.last() {
                            low[parent] = low[parent].min(low[v]);
                        }
                        if low[v] == order[v] {
                            while let Some(w) = stack.pop() {
                                on_stack[w] = false;
                                component[w] = next_component;
                                if w == v {
                                    break;
                                }
                            }
                            next_component += 1;
                        }
                    }
                }
            }
        }
        component
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::check_rule;

    #[test]
    fn reports_self_references_and_cycles() {
        let text = "FROM alpine AS build\n\
                    COPY --from=build /a /b\n\
                    COPY --from=0 /a /b\n\
                    FROM base AS base\n\
                    FROM alpine AS a\n\
                    COPY --from=b /x /y\n\
                    FROM a AS b\n";
        assert_eq!(
            check_rule("StageSelfReference", text),
            [
                "2:13-2:18 stage `build` refers to itself (circular dependency detected on stage: build)",
                "3:13-3:14 stage `build` refers to itself (circular dependency detected on stage: build)",
                "4:6-4:10 stage `base` refers to itself (circular dependency detected on stage: base)",
                "6:13-6:14 stage `a` depends on `b`, which depends back on `a` (circular dependency detected on stage: a)",
                "7:6-7:7 stage `b` depends on `a`, which depends back on `b` (circular dependency detected on stage: b)",
            ]
        );
    }

    #[test]
    fn reports_a_mount_of_the_own_stage() {
        assert_eq!(
            check_rule(
                "StageSelfReference",
                "FROM alpine AS build\nRUN --mount=type=cache,from=build,target=/x true\n"
            ),
            ["2:29-2:34 stage `build` refers to itself (circular dependency detected on stage: build)"]
        );
    }

    #[test]
    fn the_graph_lists_each_stage_successors_in_edge_order() {
        let pairs = [
            (2, 0),
            (0, 1),
            (2, 2),
            (5, 1),
            (0, 3),
            (1, 9),
            (3, 0),
            (2, 1),
            (4, 0),
        ];
        let edges: Vec<super::Edge> = pairs
            .iter()
            .map(|&(from, to)| super::Edge {
                from,
                to,
                range: Default::default(),
            })
            .collect();
        let stages = 5;
        let graph = super::Graph::new(&edges, stages);
        for stage in 0..stages {
            let expected: Vec<usize> = pairs
                .iter()
                .filter(|&&(from, _)| from == stage)
                .map(|&(_, to)| to)
                .collect();
            assert_eq!(graph.successors(stage), expected, "stage {stage}");
        }
        let component = graph.components();
        assert_eq!(component.len(), stages);
        assert_eq!(component[0], component[3]);
        for other in [1, 2, 4] {
            assert_ne!(component[0], component[other]);
        }
    }

    #[test]
    fn silent_on_forward_dependencies() {
        assert!(check_rule(
            "StageSelfReference",
            "FROM alpine AS build\nFROM build AS publish\nFROM alpine\nCOPY --from=publish /a /b\nCOPY --from=1 /a /b\n"
        )
        .is_empty());
    }
}
