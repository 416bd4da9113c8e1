use super::support::{expansion_refs, sub_range, suggest, walk_stages, GlobalArgs, StageState};
use crate::declare_rule;
use crate::rules::{Diagnostics, RuleContext, SourceMarks};
use crate::syntax::{Args, Instruction, Keyword, Word};
use crate::text::TextRange;

declare_rule! {
/// ## What it does
/// Checks that every variable an instruction expands is defined before it: by an `ARG` or
/// `ENV` of the stage or of the stages it is built from, or by the base image. Suggests a
/// defined name when one is close.
///
/// The instructions whose arguments BuildKit expands are checked: `ADD`, `COPY` (sources,
/// destination, `--chown`, `--chmod`, `--from`, `--checksum`, heredocs with an unquoted
/// delimiter), `ENV`, `LABEL`, `USER`, `VOLUME`, `WORKDIR`, `STOPSIGNAL`, `RUN --mount`
/// options and `ARG` defaults. The shell text of `RUN`, `CMD` and `ENTRYPOINT` is not: the
/// shell expands it at run time.
///
/// A global `ARG` (before the first `FROM`) is not visible inside a stage until the stage
/// declares it again with `ARG NAME`. The platform arguments (`TARGETARCH`, ...) are the
/// same: declare them in the stage before use.
///
/// Dockside knows the environment of Microsoft's .NET images (`APP_UID`,
/// `ASPNETCORE_HTTP_PORTS`, `DOTNET_VERSION`, ... on `mcr.microsoft.com/dotnet/*`) and of a
/// few popular official images; every image defines `PATH`. When the base image cannot be
/// resolved (an `ARG` without default), the stage is not checked.
///
/// ## Why is this bad?
/// An undefined variable expands to an empty string: `COPY --from=build /app/$CONFIGURATON`
/// copies `/app/`, and `RUN --mount=type=cache,id=nuget-$TARGETARCH` shares one cache
/// between architectures.
///
/// ## Example
/// ```dockerfile
/// FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
/// ARG CONFIGURATION=Release
/// RUN dotnet publish -c $CONFIGURATION -o /app
/// FROM mcr.microsoft.com/dotnet/aspnet:10.0
/// COPY --from=build /app/$CONFIGURATION .
/// ```
///
/// ## Use instead
/// ```dockerfile
/// FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
/// ARG CONFIGURATION=Release
/// RUN dotnet publish -c $CONFIGURATION -o /app
/// FROM mcr.microsoft.com/dotnet/aspnet:10.0
/// COPY --from=build /app .
/// ```
///
/// ## Fix safety
/// No automatic fix yet. Declaring the variable or renaming it changes the build.
///
/// ## References
/// - BuildKit's `linter/ruleset.go` (`RuleUndefinedVar`)
    UndefinedVar {
        severity: Warning,
        origin: BuildKit,
        summary: "Variables should be defined before their use.",
    }
}

/// The instructions whose texts BuildKit expands: ARG defaults, and those of
/// [`for_each_expanded_text`].
const EXPANDING_KEYWORDS: &[Keyword] = &[
    Keyword::Arg,
    Keyword::Env,
    Keyword::Label,
    Keyword::Add,
    Keyword::Copy,
    Keyword::User,
    Keyword::Volume,
    Keyword::Workdir,
    Keyword::Stopsignal,
    Keyword::Run,
];

/// Text BuildKit expands in an instruction: a word, or a heredoc body (expanded without
/// quote processing).
struct Expanded<'a> {
    text: &'a str,
    range: Target<'a>,
    process_quotes: bool,
}

enum Target<'a> {
    Word(&'a Word),
    Verbatim(usize),
}

impl UndefinedVar {
    fn run(ctx: &RuleContext, out: &mut Diagnostics) {
        let globals = GlobalArgs::of(ctx);
        walk_stages(ctx, EXPANDING_KEYWORDS, |_, idx, inst, state| {
            // Without a `$` in its source, an instruction uses no variable.
            if !state.env_known || !ctx.source_holds(idx, SourceMarks::DOLLAR) {
                return;
            }
            if inst.keyword == Keyword::Arg {
                // The pairs of one ARG see the ones before them.
                let Args::KeyValues { pairs, .. } = &inst.args else {
                    return;
                };
                let mut scope = std::borrow::Cow::Borrowed(state);
                for (n, pair) in pairs.iter().enumerate() {
                    if let Some(default) = &pair.value {
                        Self::check(ctx, &scope, &word_target(default), out);
                    }
                    if n + 1 < pairs.len() {
                        scope.to_mut().apply_arg(pair, globals);
                    }
                }
                return;
            }
            for_each_expanded_text(inst, |text| Self::check(ctx, state, &text, out));
        });
    }

    fn check(ctx: &RuleContext, state: &StageState, text: &Expanded, out: &mut Diagnostics) {
        let escape = if text.process_quotes {
            ctx.tree.escape
        } else {
            '\\'
        };
        // BuildKit reports each undefined name once per expanded word.
        let mut reported: Vec<&str> = Vec::new();
        for var in expansion_refs(text.text, escape, text.process_quotes) {
            if state.is_defined(var.name) || reported.contains(&var.name) {
                continue;
            }
            let mut message = format!("Usage of undefined variable '${}'", var.name);
            if let Some(close) = suggest(var.name, state.env_names(), true) {
                message.push_str(&format!(" (did you mean ${close}?)"));
            }
            let range = match text.range {
                Target::Word(word) => sub_range(ctx, word, var.start, var.end),
                Target::Verbatim(base) => TextRange::new(base + var.start, base + var.end),
            };
            out.report(&Self::META, range, message);
            reported.push(var.name);
        }
    }
}

fn word_target(word: &Word) -> Expanded<'_> {
    Expanded {
        text: &word.text,
        range: Target::Word(word),
        process_quotes: true,
    }
}

/// The texts BuildKit's `Expand` and `ExpandRaw` process for an instruction (ARG aside), in
/// order.
fn for_each_expanded_text<'a>(inst: &'a Instruction, mut visit: impl FnMut(Expanded<'a>)) {
    let flag_names: &[&str] = match inst.keyword {
        Keyword::Copy => &["chown", "chmod", "from"],
        Keyword::Add => &["chown", "chmod", "checksum"],
        Keyword::Run => &["mount"],
        _ => &[],
    };
    if !flag_names.is_empty() {
        for flag in &inst.flags {
            if flag_names.iter().any(|n| flag.name.eq_ignore_ascii_case(n)) {
                if let Some(value) = &flag.value {
                    visit(word_target(value));
                }
            }
        }
    }
    match inst.keyword {
        Keyword::Env | Keyword::Label => {
            if let Args::KeyValues { pairs, .. } = &inst.args {
                for pair in pairs {
                    visit(word_target(&pair.key));
                    if let Some(value) = &pair.value {
                        visit(word_target(value));
                    }
                }
            }
        }
        Keyword::Add
        | Keyword::Copy
        | Keyword::User
        | Keyword::Volume
        | Keyword::Workdir
        | Keyword::Stopsignal => for_each_arg_word(&inst.args, |w| visit(word_target(w))),
        _ => {}
    }
    if matches!(inst.keyword, Keyword::Add | Keyword::Copy) {
        for heredoc in inst.heredocs.iter().filter(|h| h.expand) {
            visit(Expanded {
                text: &heredoc.content,
                range: Target::Verbatim(heredoc.body_range.start()),
                process_quotes: false,
            });
        }
    }
}

/// The words of [`Instruction::arg_words`], in its order, without collecting them.
fn for_each_arg_word<'a>(args: &'a Args, mut visit: impl FnMut(&'a Word)) {
    match args {
        Args::Empty | Args::OnBuild(_) => {}
        Args::Exec { elements, .. } => elements.iter().for_each(visit),
        Args::Words(words) => words.iter().for_each(visit),
        Args::Shell(w) | Args::String(w) => visit(w),
        Args::KeyValues { pairs, .. } => {
            for pair in pairs {
                visit(&pair.key);
                if let Some(value) = &pair.value {
                    visit(value);
                }
            }
        }
        Args::Healthcheck { kind, command } => {
            visit(kind);
            if let Args::Exec { elements, .. } = command.as_ref() {
                elements.iter().for_each(visit);
            } else if let Args::Shell(w) = command.as_ref() {
                visit(w);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::check_rule;

    #[test]
    fn reports_undefined_variables_with_suggestions() {
        assert_eq!(
            check_rule(
                "UndefinedVar",
                "FROM alpine\nARG DIR_ASSETS=assets/\nCOPY $DIR_ASSET $foo /dst/\nENV PATH=$PAHT:/app/bin\n"
            ),
            [
                "3:6-3:16 Usage of undefined variable '$DIR_ASSET' (did you mean $DIR_ASSETS?)",
                "3:17-3:21 Usage of undefined variable '$foo'",
                "4:10-4:15 Usage of undefined variable '$PAHT' (did you mean $PATH?)",
            ]
        );
    }

    #[test]
    fn global_args_and_platform_args_need_redeclaring_in_the_stage() {
        assert_eq!(
            check_rule(
                "UndefinedVar",
                "ARG CONFIGURATION=Release\nFROM mcr.microsoft.com/dotnet/sdk:10.0\nWORKDIR /src/$CONFIGURATION\nRUN --mount=type=cache,id=nuget-$TARGETARCH,target=/root/.nuget/packages dotnet restore\n"
            ),
            [
                "3:14-3:28 Usage of undefined variable '$CONFIGURATION'",
                "4:33-4:44 Usage of undefined variable '$TARGETARCH'",
            ]
        );
    }

    #[test]
    fn env_pairs_of_one_instruction_do_not_see_each_other() {
        assert_eq!(
            check_rule(
                "UndefinedVar",
                "FROM alpine\nENV A=1 B=${A}\nARG C=1 D=$C\nLABEL x='$NOT_EXPANDED' y=\"${E:-default}\"\n"
            ),
            [
                "2:11-2:15 Usage of undefined variable '$A'",
                "4:28-4:41 Usage of undefined variable '$E' (did you mean $A?)",
            ]
        );
    }

    #[test]
    fn checks_copy_heredocs_and_flags_but_not_run_text() {
        assert_eq!(
            check_rule(
                "UndefinedVar",
                "FROM alpine\nCOPY --chown=$USER_ID <<EOF /etc/motd\nhello '$NAME'\nEOF\nCOPY <<'EOF' /etc/raw\n$RAW\nEOF\nRUN echo $NOT_CHECKED\nCMD echo $NOT_CHECKED\n"
            ),
            [
                "2:14-2:22 Usage of undefined variable '$USER_ID'",
                "3:8-3:13 Usage of undefined variable '$NAME'",
            ]
        );
    }

    #[test]
    fn dotnet_images_define_their_environment() {
        assert!(check_rule(
            "UndefinedVar",
            "FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS base\nUSER $APP_UID\nEXPOSE $ASPNETCORE_HTTP_PORTS\nFROM base AS final\nARG TARGETARCH\nENV PATH=$PATH:$HOME/.dotnet/tools\nLABEL version=$DOTNET_VERSION arch=$TARGETARCH\nUSER $APP_UID\n"
        )
        .is_empty());
    }

    #[test]
    fn inherits_env_and_args_from_parent_stages() {
        assert_eq!(
            check_rule(
                "UndefinedVar",
                "FROM alpine AS base\nENV FOO=bar\nARG BUILD_NO\nFROM base\nCOPY $FOO/$BUILD_NO .\nFROM alpine\nCOPY $FOO .\n"
            ),
            ["7:6-7:10 Usage of undefined variable '$FOO'"]
        );
    }

    #[test]
    fn unknown_base_images_are_not_judged() {
        assert!(check_rule(
            "UndefinedVar",
            "ARG BASE_IMAGE\nFROM ${BASE_IMAGE}\nCOPY $FROM_THE_IMAGE .\n"
        )
        .is_empty());
    }
}
