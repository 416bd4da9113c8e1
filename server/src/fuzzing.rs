//! The bodies of the fuzz targets in `fuzz/`, here so that `tests/fuzz_corpus.rs` replays the
//! seed corpora through exactly the same code on the stable toolchain. Each function takes
//! arbitrary bytes, must not panic, and asserts the invariants of its target (a failed
//! assertion is a finding, like a panic). Not a stable API.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use crate::actions::fix_all;
use crate::analysis::{analyze, analyze_bytes, AnalysisEnv};
use crate::context::compose::parse_compose;
use crate::context::dockerignore::Dockerignore;
use crate::context::SolutionSnapshot;
use crate::dotnet::{Workspace, WorkspaceOptions};
use crate::syntax::{self, Args, Instruction, SyntaxTree, TextRange};
use crate::text::{Encoding, LineIndex};

/// The fixture solution the analysis and MSBuild targets run against.
fn fixture_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures/microservices")
}

const FIXTURE_DOCKERFILE: &str = "src/Services/Orders/Orders.Api/Dockerfile";

/// The files of the fixture solution that the MSBuild target replaces, chosen by the first
/// input byte.
const FIXTURE_MSBUILD_FILES: [&str; 4] = [
    "src/Services/Orders/Orders.Api/Orders.Api.csproj",
    "src/Shared/Shared.Core/Shared.Core.csproj",
    "src/Directory.Build.props",
    "Directory.Build.props",
];

fn fixture_workspace() -> &'static Workspace {
    static WORKSPACE: OnceLock<Workspace> = OnceLock::new();
    WORKSPACE.get_or_init(|| Workspace::index(&fixture_root(), WorkspaceOptions::default()))
}

fn fixture_env() -> &'static AnalysisEnv {
    static ENV: OnceLock<AnalysisEnv> = OnceLock::new();
    ENV.get_or_init(|| AnalysisEnv {
        path: Some(fixture_workspace().root().join(FIXTURE_DOCKERFILE)),
        today: "2026-01-15".to_string(),
        solution: Some(SolutionSnapshot::new(fixture_workspace().clone())),
        ..AnalysisEnv::default()
    })
}

fn assert_range(text: &str, range: TextRange, what: &str) {
    assert!(
        range.start() <= range.end() && range.end() <= text.len(),
        "{what} {range:?} lies outside the text of {} bytes",
        text.len()
    );
    assert!(
        text.is_char_boundary(range.start()) && text.is_char_boundary(range.end()),
        "{what} {range:?} splits a character"
    );
}

/// Every range converts to a line and column and back in both encodings.
fn assert_positions(text: &str, index: &LineIndex, range: TextRange) {
    for offset in [range.start(), range.end()] {
        for encoding in [Encoding::Utf8, Encoding::Utf16] {
            let position = index.line_col(text, offset, encoding);
            assert_eq!(
                index.offset(text, position, encoding),
                offset,
                "offset {offset} -> {position:?} -> back ({encoding:?})"
            );
        }
    }
}

fn assert_instruction(text: &str, instruction: &Instruction) {
    assert_range(text, instruction.range, "instruction");
    assert_range(text, instruction.keyword_range, "keyword");
    assert_range(text, instruction.rest.range, "rest");
    assert!(instruction.start_line <= instruction.end_line);
    for flag in &instruction.flags {
        assert_range(text, flag.range, "flag");
        assert_range(text, flag.name_range, "flag name");
        if let Some(value) = &flag.value {
            assert_range(text, value.range, "flag value");
        }
    }
    for heredoc in &instruction.heredocs {
        assert_range(text, heredoc.range, "heredoc");
        assert_range(text, heredoc.name_range, "heredoc name");
        assert_range(text, heredoc.body_range, "heredoc body");
        if let Some(terminator) = heredoc.terminator_range {
            assert_range(text, terminator, "heredoc terminator");
        }
    }
    for range in &instruction.empty_continuation_lines {
        assert_range(text, *range, "empty continuation line");
    }
    for word in instruction.arg_words() {
        assert_range(text, word.range, "argument");
    }
    assert_args(text, &instruction.args);
}

fn assert_args(text: &str, args: &Args) {
    match args {
        Args::Empty => {}
        Args::Exec { range, elements } => {
            assert_range(text, *range, "exec form");
            for element in elements {
                assert_range(text, element.range, "exec element");
            }
        }
        Args::Shell(word) | Args::String(word) => assert_range(text, word.range, "argument"),
        Args::Words(words) => {
            for word in words {
                assert_range(text, word.range, "word");
            }
        }
        Args::KeyValues { pairs, .. } => {
            for pair in pairs {
                assert_range(text, pair.range, "key/value pair");
                assert_range(text, pair.key.range, "key");
                if let Some(value) = &pair.value {
                    assert_range(text, value.range, "value");
                }
            }
        }
        Args::Healthcheck { kind, command } => {
            assert_range(text, kind.range, "HEALTHCHECK kind");
            assert_args(text, command);
        }
        Args::OnBuild(inner) => assert_instruction(text, inner),
    }
}

fn assert_tree(text: &str, tree: &SyntaxTree) {
    let mut counts = crate::syntax::KeywordCounts::default();
    for instruction in &tree.instructions {
        counts.count(instruction);
    }
    assert_eq!(counts, tree.keyword_counts, "keyword counts");
    for directive in &tree.directives {
        assert_range(text, directive.range, "directive");
        assert_range(text, directive.name_range, "directive name");
        assert_range(text, directive.value_range, "directive value");
    }
    for comment in &tree.comments {
        assert_range(text, *comment, "comment");
    }
    for error in &tree.errors {
        assert_range(text, error.range, "syntax error");
    }
    let mut previous_end = 0;
    for instruction in &tree.instructions {
        assert_instruction(text, instruction);
        assert!(
            instruction.range.start() >= previous_end,
            "instructions overlap at {:?}",
            instruction.range
        );
        previous_end = instruction.range.end();
    }
}

/// Parser: any bytes parse, and every range in the tree lies on character boundaries inside
/// the (lossily decoded) text and converts to positions and back.
pub fn parser(data: &[u8]) {
    let (text, tree, line_starts) = syntax::parse_bytes_with_line_starts(data);
    assert_tree(&text, &tree);
    let index = LineIndex::new(&text);
    if let Some(line_starts) = line_starts {
        assert!(
            index.has_line_starts(&line_starts),
            "the parser's line starts differ from the text's"
        );
    }
    for instruction in &tree.instructions {
        assert_positions(&text, &index, instruction.range);
    }
    for error in &tree.errors {
        assert_positions(&text, &index, error.range);
    }
}

/// Whole analysis (parse, model, every rule) against the fixture solution, then
/// `check --fix --unsafe-fixes`: diagnostics lie inside the text, and fixing is idempotent
/// (fixing the fixed text changes nothing).
pub fn analysis(data: &[u8]) {
    let env = fixture_env();
    let analysis = analyze_bytes(data, env);
    for diagnostic in &analysis.diagnostics {
        assert_range(&analysis.text, diagnostic.range, diagnostic.code);
        assert_positions(&analysis.text, &analysis.line_index, diagnostic.range);
    }
    let fixed = fix_all(&analysis.text, env, true);
    if !fixed.fixed.is_empty() {
        let again = fix_all(&fixed.text, env, true);
        assert!(
            again.fixed.is_empty() || again.text == fixed.text,
            "fixing the fixed text fixed {:?} again:\n{}",
            again.fixed,
            fixed.text
        );
        let reanalysed = analyze(&fixed.text, env);
        for diagnostic in &reanalysed.diagnostics {
            assert_range(&reanalysed.text, diagnostic.range, diagnostic.code);
        }
    }
}

/// How many cursor positions of one fuzzed Dockerfile the `actions` target tries (each
/// costs an analysis per offered action).
const ACTION_CURSORS: usize = 12;

/// Every code action offered at the start of each of the first instructions and for the
/// whole file, against the fixture solution: edits lie on character boundaries and do not
/// overlap, the result has no more syntax errors than the input, created files parse, and
/// the same action offered again on the result changes nothing.
pub fn actions(data: &[u8]) {
    use crate::actions::{code_actions, ActionContext, FileChange, Trigger};
    use crate::ide::apply_edits;

    let env = fixture_env();
    let analysis = analyze_bytes(data, env);
    let text = analysis.text.as_str();
    let mut cursors: Vec<TextRange> = analysis
        .tree
        .instructions
        .iter()
        .take(ACTION_CURSORS)
        .map(|i| TextRange::empty(i.range.start()))
        .collect();
    cursors.push(TextRange::new(0, text.len()));
    for range in cursors {
        let ctx = ActionContext {
            analysis: &analysis,
            env,
            range,
            trigger: Trigger::Editor,
        };
        for action in code_actions(&ctx) {
            let what = format!("{} ({:?})", action.action, action.title);
            let mut ranges: Vec<TextRange> = action.edits.iter().map(|e| e.range).collect();
            ranges.sort_by_key(|r| (r.start(), r.end()));
            for r in &ranges {
                assert_range(text, *r, &what);
            }
            for pair in ranges.windows(2) {
                assert!(
                    pair[0].end() <= pair[1].start() && !(pair[0].is_empty() && pair[0] == pair[1]),
                    "{what}: edits {:?} and {:?} overlap",
                    pair[0],
                    pair[1]
                );
            }
            for file in &action.files {
                if let FileChange::Create { contents, .. } = file {
                    let _ = analyze(contents, env);
                }
            }
            if action.edits.is_empty() {
                continue;
            }
            let result = apply_edits(text, &action.edits);
            let after = analyze(&result, env);
            assert!(
                after.tree.errors.len() <= analysis.tree.errors.len(),
                "{what}: the result has new syntax errors {:?}:\n{result}",
                after.tree.errors
            );
            let cursor = TextRange::empty(shifted(range.start(), &action.edits).min(result.len()));
            let cursor = if result.is_char_boundary(cursor.start()) {
                cursor
            } else {
                TextRange::empty(0)
            };
            let again = ActionContext {
                analysis: &after,
                env,
                range: cursor,
                trigger: Trigger::Editor,
            };
            // Where the action's edits landed: an offer with the same title elsewhere (a
            // selection over two FROMs of the same image) is another instance, not a repeat.
            let mut sorted: Vec<&crate::ide::TextEdit> = action.edits.iter().collect();
            sorted.sort_by_key(|e| (e.range.start(), e.range.end()));
            let mut shift: isize = 0;
            let mut landed: Vec<TextRange> = Vec::new();
            for e in sorted {
                let start = (e.range.start() as isize + shift).max(0) as usize;
                landed.push(TextRange::new(start, start + e.new_text.len()));
                shift += e.new_text.len() as isize - e.range.len() as isize;
            }
            let touches_landed = |offer: &crate::actions::CodeAction| {
                offer.edits.iter().any(|e| {
                    landed
                        .iter()
                        .any(|l| e.range.start() <= l.end() && l.start() <= e.range.end())
                })
            };
            for offer in code_actions(&again).iter().filter(|a| {
                a.action == action.action && a.title == action.title && touches_landed(a)
            }) {
                assert_eq!(
                    apply_edits(&result, &offer.edits),
                    result,
                    "{what}: applying it a second time changes the text"
                );
            }
        }
    }
}

/// Where `offset` of the text before `edits` is after them.
fn shifted(offset: usize, edits: &[crate::ide::TextEdit]) -> usize {
    let mut shift: isize = 0;
    for edit in edits {
        if edit.range.end() <= offset {
            shift += edit.new_text.len() as isize - edit.range.len() as isize;
        }
    }
    (offset as isize + shift).max(0) as usize
}

/// MSBuild evaluation: the first byte picks a file of the fixture solution, the rest
/// (lossily decoded) replaces it; the solution is re-evaluated and every project's
/// reference closure and the workspace diagnostics are computed.
pub fn msbuild(data: &[u8]) {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let file = FIXTURE_MSBUILD_FILES[usize::from(selector) % FIXTURE_MSBUILD_FILES.len()];
    let mut workspace = fixture_workspace().clone();
    let path = workspace.root().join(file);
    workspace.update_file(&path, Some(String::from_utf8_lossy(rest).into_owned()));
    let ids: Vec<_> = workspace.projects().map(|p| p.id).collect();
    for id in ids {
        let closure = workspace.reference_closure(id);
        for entry in &closure.entries {
            workspace.describe_chain(&entry.chain);
        }
    }
    let _ = workspace.diagnostics();
}

/// `.dockerignore`: the text parses, and paths built from its own lines and the input's
/// words are matched against it.
pub fn dockerignore(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let ignore = Dockerignore::parse(&text);
    for invalid in ignore.invalid_patterns() {
        let _ = format!("{invalid:?}");
    }
    let mut probes: Vec<String> = text
        .lines()
        .take(64)
        .map(|l| l.trim_start_matches('!').to_string())
        .collect();
    probes.extend(
        [
            "",
            ".",
            "src/App/bin/Debug/App.dll",
            "a/b/../c",
            "Dockerfile",
        ]
        .map(String::from),
    );
    for probe in &probes {
        let _ = ignore.is_excluded(probe);
        let _ = ignore.is_excluded(&crate::context::dockerignore::go_clean(probe));
    }
    let _ = ignore.build_outputs_coverage();
    let _ = ignore.missing_build_output_exclusions(&["src/App", ".", ""]);
}

/// Compose YAML: any text parses into services whose ranges lie inside the text; context
/// and Dockerfile paths are resolved against a fixed directory.
pub fn compose(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let dir = Path::new("/work/solution");
    let file = parse_compose(&dir.join("compose.yaml"), &text);
    for service in &file.services {
        assert_range(&text, service.name.range, "service name");
        if let Some(build) = &service.build {
            assert_range(&text, build.range, "build");
            let _ = build.context_dir(dir);
            let _ = build.dockerfile_path(dir);
            for arg in &build.args {
                assert_range(&text, arg.name.range, "build arg");
            }
        }
        if let Some(image) = &service.image {
            assert_range(&text, image.range, "image");
        }
        for port in &service.ports {
            assert_range(&text, port.raw.range, "port");
        }
        let _ = file.service(&service.name.value);
    }
}

/// LSP messages: the bytes are what the client writes to stdin; they are framed, decoded
/// and handled by the real server in-process after a fixed `initialize`.
pub fn lsp_messages(data: &[u8]) {
    crate::lsp::fuzzing::serve_bytes(data);
}

/// Incremental edits on the document store: arbitrary ranges (out of range, reversed,
/// inside surrogate pairs and CRLFs) and texts, in both encodings.
pub fn document_edits(data: &[u8]) {
    crate::lsp::fuzzing::apply_edit_script(data);
}

/// A fuzz target body.
pub type Target = fn(&[u8]);

/// The targets by name, for the corpus replay test.
pub const TARGETS: &[(&str, Target)] = &[
    ("parser", parser),
    ("analysis", analysis),
    ("actions", actions),
    ("msbuild", msbuild),
    ("dockerignore", dockerignore),
    ("compose", compose),
    ("lsp_messages", lsp_messages),
    ("document_edits", document_edits),
];
