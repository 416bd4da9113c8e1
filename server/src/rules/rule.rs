//! What a rule is: its metadata (from its doc comment) and its check function.

use crate::analysis::{AnalysisEnv, Diagnostic, Severity};
use crate::model::Model;
use crate::syntax::SyntaxTree;
use crate::text::TextRange;

/// Where a rule comes from; decides its documentation link.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Origin {
    /// A syntax error: BuildKit refuses the file.
    Syntax,
    /// A BuildKit build check, by BuildKit's name.
    BuildKit,
    /// What the builder rejects when it runs the instruction.
    Validation,
    /// A hadolint rule, with its DL code.
    Hadolint,
    /// Dockside's own .NET rules.
    Dotnet,
    /// Dockside's own image rules (the .NET image catalog).
    Image,
}

impl Origin {
    /// The lower-case name shown by `dockside rules`.
    pub fn name(self) -> &'static str {
        match self {
            Origin::Syntax => "syntax",
            Origin::BuildKit => "buildkit",
            Origin::Validation => "validation",
            Origin::Hadolint => "hadolint",
            Origin::Dotnet => "dotnet",
            Origin::Image => "image",
        }
    }
}

/// Static facts about a rule. The `docs` are the rule's doc comment.
#[derive(Debug)]
pub struct RuleMeta {
    pub name: &'static str,
    pub severity: Severity,
    pub summary: &'static str,
    pub origin: Origin,
    /// The hadolint codes the rule covers (`DL3020`), so `# hadolint ignore=DL3020` and
    /// `.hadolint.yaml` suppress it. Several when one Dockside rule does the work of several
    /// hadolint rules (MultipleInstructionsDisallowed: DL3012, DL4003, DL4004).
    pub hadolint: &'static [&'static str],
    pub fixable: bool,
    /// Off unless configured on (BuildKit's experimental checks).
    pub default_enabled: bool,
    pub docs: &'static str,
}

impl RuleMeta {
    /// Whether `code` (any letter case) is one of the rule's hadolint codes.
    pub fn covers_hadolint_code(&self, code: &str) -> bool {
        self.hadolint.iter().any(|dl| dl.eq_ignore_ascii_case(code))
    }

    /// The documentation link: BuildKit's page for BuildKit checks, ours otherwise.
    pub fn docs_url(&self) -> String {
        match self.origin {
            Origin::BuildKit => format!(
                "https://docs.docker.com/go/dockerfile/rule/{}/",
                kebab_case(self.name)
            ),
            _ => format!(
                "https://github.com/dockside-dev/dockside/blob/main/docs/rules/{}.md",
                self.name
            ),
        }
    }
}

/// `FromAsCasing` -> `from-as-casing`; `JSONArgsRecommended` -> `json-args-recommended`.
pub fn kebab_case(name: &str) -> String {
    let chars: Vec<char> = name.chars().collect();
    let mut out = String::new();
    for (i, &c) in chars.iter().enumerate() {
        if c.is_ascii_uppercase() && i > 0 {
            let prev_lower = chars[i - 1].is_ascii_lowercase();
            let next_lower = chars.get(i + 1).is_some_and(|n| n.is_ascii_lowercase());
            if prev_lower || (chars[i - 1].is_ascii_uppercase() && next_lower) {
                out.push('-');
            }
        }
        out.push(c.to_ascii_lowercase());
    }
    out
}

/// Everything a rule may look at.
pub struct RuleContext<'a> {
    pub text: &'a str,
    pub tree: &'a SyntaxTree,
    pub model: &'a Model,
    pub env: &'a AnalysisEnv,
    /// Build context, .dockerignore and COPY sources (when the solution is known).
    pub facts: Option<&'a crate::context::DockerfileFacts>,
    /// The RUN scripts as the hadolint rules read them, parsed once per analysis.
    pub(crate) hadolint_runs: std::cell::OnceCell<Vec<super::hadolint::runs::Run<'a>>>,
    /// What the Dockerfile ships, traced once per analysis for the .NET runtime rules.
    pub(crate) published_app:
        std::cell::OnceCell<Option<super::dotnet::published::PublishedApp<'a>>>,
    /// The catalog lookup of every stage's base image, shared by the image rules.
    pub(crate) stage_images: std::cell::OnceCell<Vec<super::image::support::StageImage<'a>>>,
    /// BuildKit's dispatch replayed once for the BuildKit checks.
    pub(crate) stage_walk: std::cell::OnceCell<super::buildkit::support::StageWalk>,
}

impl<'a> RuleContext<'a> {
    pub fn new(
        text: &'a str,
        tree: &'a SyntaxTree,
        model: &'a Model,
        env: &'a AnalysisEnv,
        facts: Option<&'a crate::context::DockerfileFacts>,
    ) -> RuleContext<'a> {
        RuleContext {
            text,
            tree,
            model,
            env,
            facts,
            hadolint_runs: Default::default(),
            published_app: Default::default(),
            stage_images: Default::default(),
            stage_walk: Default::default(),
        }
    }

    /// The indexed solution, when the Dockerfile belongs to one.
    pub fn workspace(&self) -> Option<&crate::dotnet::Workspace> {
        self.env.solution.as_ref().map(|s| s.workspace.as_ref())
    }
}

/// A rule: metadata plus a check over the context.
pub trait Rule: Sync {
    fn meta(&self) -> &'static RuleMeta;
    fn check(&self, ctx: &RuleContext, out: &mut Diagnostics);
}

/// Collects the diagnostics of one rule run.
#[derive(Default)]
pub struct Diagnostics {
    pub(crate) items: Vec<Diagnostic>,
}

impl Diagnostics {
    pub fn report(
        &mut self,
        meta: &'static RuleMeta,
        range: TextRange,
        message: impl Into<String>,
    ) {
        self.items.push(Diagnostic {
            range,
            severity: meta.severity,
            code: meta.name,
            message: message.into(),
            docs_url: Some(meta.docs_url()),
            fixable: meta.fixable,
        });
    }

    /// Reports with a severity other than the rule's default (rules with two levels).
    pub fn report_with(
        &mut self,
        meta: &'static RuleMeta,
        severity: Severity,
        range: TextRange,
        message: impl Into<String>,
    ) {
        self.report(meta, range, message);
        if let Some(last) = self.items.last_mut() {
            last.severity = severity;
        }
    }
}

/// Declares a rule: a unit struct, its [`RuleMeta`] built from the doc comment, and the
/// [`Rule`] impl delegating to an inherent `fn run(ctx, out)`.
#[macro_export]
macro_rules! declare_rule {
    (
        $(#[doc = $doc:literal])*
        $name:ident {
            severity: $severity:ident,
            origin: $origin:ident,
            summary: $summary:literal
            $(, hadolint: $dl:tt)?
            $(, fixable: $fixable:literal)?
            $(, default_enabled: $enabled:literal)?
            $(,)?
        }
    ) => {
        $(#[doc = $doc])*
        pub struct $name;

        impl $name {
            pub const META: $crate::rules::RuleMeta = $crate::rules::RuleMeta {
                name: stringify!($name),
                severity: $crate::analysis::Severity::$severity,
                summary: $summary,
                origin: $crate::rules::Origin::$origin,
                hadolint: $crate::declare_rule!(@codes $($dl)?),
                fixable: $crate::declare_rule!(@bool false $($fixable)?),
                default_enabled: $crate::declare_rule!(@bool true $($enabled)?),
                docs: concat!($($doc, "\n"),*),
            };
        }

        impl $crate::rules::Rule for $name {
            fn meta(&self) -> &'static $crate::rules::RuleMeta {
                const META: &$crate::rules::RuleMeta = &$name::META;
                META
            }
            fn check(&self, ctx: &$crate::rules::RuleContext, out: &mut $crate::rules::Diagnostics) {
                Self::run(ctx, out)
            }
        }
    };
    (@codes) => { &[] };
    (@codes $code:literal) => { &[$code] };
    (@codes [$($code:literal),+ $(,)?]) => { &[$($code),+] };
    (@bool $default:literal) => { $default };
    (@bool $default:literal $v:literal) => { $v };
}

#[cfg(test)]
mod tests {
    #[test]
    fn hadolint_codes_are_well_formed_and_name_one_rule_each() {
        let mut seen = std::collections::HashMap::new();
        for rule in crate::rules::all_rules() {
            let meta = rule.meta();
            for code in meta.hadolint {
                assert!(
                    code.len() == 6
                        && code.starts_with("DL")
                        && code[2..].bytes().all(|b| b.is_ascii_digit()),
                    "{}: `{code}` is not a DL code",
                    meta.name
                );
                if let Some(other) = seen.insert(*code, meta.name) {
                    panic!("{code} is claimed by {other} and {}", meta.name);
                }
            }
        }
    }

    #[test]
    fn kebab_names_match_buildkit_urls() {
        assert_eq!(super::kebab_case("FromAsCasing"), "from-as-casing");
        assert_eq!(
            super::kebab_case("JSONArgsRecommended"),
            "json-args-recommended"
        );
        assert_eq!(
            super::kebab_case("UndefinedArgInFrom"),
            "undefined-arg-in-from"
        );
    }
}
