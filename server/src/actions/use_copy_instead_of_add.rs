use super::{ActionContext, CodeAction};
use crate::declare_action;
use crate::ide::TextEdit;

declare_action! {
/// Replaces `ADD` with `COPY` when every source is a plain file or folder: the quick fix of
/// `AddInsteadOfCopy` (hadolint DL3020). The keyword keeps its case; flags and arguments
/// stay as written.
///
/// ## Before
/// ```dockerfile
/// FROM mcr.microsoft.com/dotnet/sdk:10.0
/// $0ADD src/ /src/
/// ```
///
/// ## After
/// ```dockerfile
/// FROM mcr.microsoft.com/dotnet/sdk:10.0
/// COPY src/ /src/
/// ```
///
/// ## Fix safety
/// Safe: the rule reports only sources that are not URLs, git repositories or files with a
/// tar archive extension, for which `ADD` and `COPY` copy the same bytes.
    UseCopyInsteadOfAdd { expensive: false }
}

impl UseCopyInsteadOfAdd {
    fn run(ctx: &ActionContext, out: &mut Vec<CodeAction>) {
        for diagnostic in ctx.diagnostics("AddInsteadOfCopy") {
            let Some(written) = ctx.text().get(diagnostic.range.as_range()) else {
                continue;
            };
            if !written.eq_ignore_ascii_case("add") {
                continue;
            }
            let copy = if written == "add" { "copy" } else { "COPY" };
            out.push(
                CodeAction::quick_fix(
                    &Self::META,
                    diagnostic,
                    format!("Use {copy} instead of {written}"),
                    vec![TextEdit::replace(diagnostic.range, copy)],
                )
                .preferred(),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::actions::test_support::{check_action, check_not_applicable};

    const NAME: &str = "UseCopyInsteadOfAdd";

    #[test]
    fn add_of_plain_files_becomes_copy() {
        let action = check_action(
            NAME,
            "FROM mcr.microsoft.com/dotnet/sdk:10.0\n# sources\n$0ADD --chown=app:app src/ /src/\n",
            "FROM mcr.microsoft.com/dotnet/sdk:10.0\n# sources\nCOPY --chown=app:app src/ /src/\n",
        );
        assert_eq!(action.title, "Use COPY instead of ADD");
        assert!(action.preferred);
    }

    #[test]
    fn lowercase_keyword_stays_lowercase() {
        check_action(
            NAME,
            "from alpine:3.20\nadd app.$0csproj /src/\n",
            "from alpine:3.20\ncopy app.csproj /src/\n",
        );
    }

    #[test]
    fn not_offered_for_archives_and_urls() {
        check_not_applicable(NAME, "FROM alpine:3.20\n$0ADD tools.tar.gz /opt/\n");
        check_not_applicable(
            NAME,
            "FROM alpine:3.20\n$0ADD https://example.com/a.txt /opt/\n",
        );
    }
}
