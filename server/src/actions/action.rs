//! What a code action is: its metadata (from its doc comment), the context it looks at, and
//! the edits it proposes.

use std::path::PathBuf;

use crate::analysis::{Analysis, AnalysisEnv, Diagnostic};
use crate::ide::TextEdit;
use crate::syntax::Instruction;
use crate::text::TextRange;

/// Static facts about an action. The `docs` are the action's doc comment.
#[derive(Debug)]
pub struct ActionMeta {
    pub name: &'static str,
    /// Computing the edit costs more than a keystroke should (reads the solution, builds a
    /// whole stage): the LSP sends the title first and the edit on `codeAction/resolve`.
    pub expensive: bool,
    pub docs: &'static str,
}

/// The LSP `CodeActionKind` an action is offered under.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ActionKind {
    QuickFix,
    Refactor,
    RefactorExtract,
    RefactorRewrite,
    Source,
}

impl ActionKind {
    pub fn as_lsp(self) -> &'static str {
        match self {
            ActionKind::QuickFix => "quickfix",
            ActionKind::Refactor => "refactor",
            ActionKind::RefactorExtract => "refactor.extract",
            ActionKind::RefactorRewrite => "refactor.rewrite",
            ActionKind::Source => "source",
        }
    }
}

/// Whether `dockside check --fix` may apply a fix without a person looking at it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Safety {
    /// Keeps the image's behaviour apart from what the rule is about.
    Safe,
    /// May change behaviour a person should review (offered in editors, applied by
    /// `--fix` only with `--unsafe-fixes`).
    Unsafe,
}

/// A change to a file other than the Dockerfile the action was asked about.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FileChange {
    /// Creates `path` (which does not exist) with `contents`.
    Create { path: PathBuf, contents: String },
    /// Edits the existing `path`, whose text was `original` when the action was computed.
    Edit {
        path: PathBuf,
        original: String,
        edits: Vec<TextEdit>,
    },
}

/// One proposed change.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CodeAction {
    /// The [`ActionMeta::name`] of the action that made it.
    pub action: &'static str,
    pub title: String,
    pub kind: ActionKind,
    /// Edits of the Dockerfile (byte ranges of the analysed text).
    pub edits: Vec<TextEdit>,
    /// Edits of other files (.dockerignore, a generated Dockerfile).
    pub files: Vec<FileChange>,
    /// The diagnostic this fixes, for quick fixes.
    pub fixes: Option<Diagnostic>,
    /// The obvious fix: editors apply it with one key.
    pub preferred: bool,
    pub safety: Safety,
}

impl CodeAction {
    pub fn new(
        meta: &'static ActionMeta,
        kind: ActionKind,
        title: impl Into<String>,
        edits: Vec<TextEdit>,
    ) -> Self {
        CodeAction {
            action: meta.name,
            title: title.into(),
            kind,
            edits,
            files: Vec::new(),
            fixes: None,
            preferred: false,
            safety: Safety::Safe,
        }
    }

    /// A quick fix for `diagnostic`.
    pub fn quick_fix(
        meta: &'static ActionMeta,
        diagnostic: &Diagnostic,
        title: impl Into<String>,
        edits: Vec<TextEdit>,
    ) -> Self {
        CodeAction {
            fixes: Some(diagnostic.clone()),
            ..CodeAction::new(meta, ActionKind::QuickFix, title, edits)
        }
    }

    pub fn preferred(mut self) -> Self {
        self.preferred = true;
        self
    }

    pub fn unsafe_fix(mut self) -> Self {
        self.safety = Safety::Unsafe;
        self
    }

    pub fn with_safety(mut self, safety: Safety) -> Self {
        self.safety = safety;
        self
    }

    pub fn with_file(mut self, change: FileChange) -> Self {
        self.files.push(change);
        self
    }
}

/// Where the action is asked for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Trigger {
    /// An editor asks about a selection or cursor: offer everything that applies there.
    Editor,
    /// `dockside check --fix` asks for the quick fixes of every diagnostic in the file.
    FixAll,
}

/// Everything an action may look at.
pub struct ActionContext<'a> {
    pub analysis: &'a Analysis,
    pub env: &'a AnalysisEnv,
    /// The selection, or the cursor as an empty range.
    pub range: TextRange,
    pub trigger: Trigger,
}

impl<'a> ActionContext<'a> {
    pub fn text(&self) -> &'a str {
        &self.analysis.text
    }

    /// The indexed solution, when the Dockerfile belongs to one.
    pub fn workspace(&self) -> Option<&'a crate::dotnet::Workspace> {
        self.env.solution.as_ref().map(|s| s.workspace.as_ref())
    }

    /// The diagnostics of rule `code` that the request is about: those touching the
    /// selection, or on an instruction the selection touches (editors ask with the cursor
    /// anywhere on the line); all of them for `--fix`.
    pub fn diagnostics(&self, code: &'a str) -> impl Iterator<Item = &'a Diagnostic> + '_ {
        self.analysis
            .diagnostics
            .iter()
            .filter(move |d| d.code == code && self.about(d))
    }

    /// Whether the request is about `diagnostic` (see [`ActionContext::diagnostics`]).
    pub fn about(&self, diagnostic: &Diagnostic) -> bool {
        self.touches(diagnostic.range)
            || self
                .instruction_containing(diagnostic.range.start())
                .is_some_and(|(_, inst)| self.touches(inst.range))
    }

    /// The instruction whose range contains `offset`, with its index.
    pub fn instruction_containing(&self, offset: usize) -> Option<(usize, &'a Instruction)> {
        let instructions = &self.analysis.tree.instructions;
        let after = instructions.partition_point(|i| i.range.start() <= offset);
        let index = after.checked_sub(1)?;
        let inst = instructions.get(index)?;
        inst.range
            .contains_inclusive(offset)
            .then_some((index, inst))
    }

    /// Whether `range` is where the request is (always true for `--fix`).
    pub fn touches(&self, range: TextRange) -> bool {
        self.trigger == Trigger::FixAll
            || (range.start() <= self.range.end() && self.range.start() <= range.end())
    }

    /// The instructions the selection touches, with their indices.
    pub fn instructions_at_cursor(&self) -> impl Iterator<Item = (usize, &'a Instruction)> + '_ {
        self.analysis
            .tree
            .instructions
            .iter()
            .enumerate()
            .filter(move |(_, inst)| self.touches(inst.range))
    }

    /// The stage the cursor is in (the last stage starting before it).
    pub fn stage_at_cursor(&self) -> Option<&'a crate::model::Stage> {
        let instructions = &self.analysis.tree.instructions;
        self.analysis.model.stages.iter().rev().find(|stage| {
            instructions
                .get(stage.from)
                .is_some_and(|from| from.range.start() <= self.range.start())
        })
    }

    /// The analysis as the rules see it, so actions reuse the rules' models (restore model,
    /// published app, stage images) instead of re-deriving them.
    pub fn rule_context(&self) -> crate::rules::RuleContext<'a> {
        let analysis = self.analysis;
        crate::rules::RuleContext::new(
            &analysis.text,
            &analysis.tree,
            &analysis.model,
            self.env,
            analysis.facts.as_ref(),
        )
    }

    /// The document's line break: edits that add lines use it, so CRLF files stay CRLF.
    pub fn line_break(&self) -> &'static str {
        line_break_of(self.text())
    }
}

/// `"\r\n"` when the text's first line break is CRLF, else `"\n"`.
pub fn line_break_of(text: &str) -> &'static str {
    match text.find('\n') {
        Some(at) if at > 0 && text.as_bytes().get(at - 1) == Some(&b'\r') => "\r\n",
        _ => "\n",
    }
}

/// An action: metadata plus the code actions it offers in a context.
pub trait Action: Sync {
    fn meta(&self) -> &'static ActionMeta;
    fn collect(&self, ctx: &ActionContext, out: &mut Vec<CodeAction>);
}

/// Declares an action: a unit struct, its [`ActionMeta`] built from the doc comment, and the
/// [`Action`] impl delegating to an inherent `fn run(ctx, out)`.
#[macro_export]
macro_rules! declare_action {
    (
        $(#[doc = $doc:literal])*
        $name:ident {
            expensive: $expensive:literal
            $(,)?
        }
    ) => {
        $(#[doc = $doc])*
        pub struct $name;

        impl $name {
            pub const META: $crate::actions::ActionMeta = $crate::actions::ActionMeta {
                name: stringify!($name),
                expensive: $expensive,
                docs: concat!($($doc, "\n"),*),
            };
        }

        impl $crate::actions::Action for $name {
            fn meta(&self) -> &'static $crate::actions::ActionMeta {
                const META: &$crate::actions::ActionMeta = &$name::META;
                META
            }
            fn collect(
                &self,
                ctx: &$crate::actions::ActionContext,
                out: &mut Vec<$crate::actions::CodeAction>,
            ) {
                Self::run(ctx, out)
            }
        }
    };
}
