//! `--format checkstyle`: the Checkstyle XML report that Jenkins (Warnings NG), reviewdog,
//! GitLab and SonarQube import:
//!
//! ```xml
//! <?xml version="1.0" encoding="UTF-8"?>
//! <checkstyle version="4.3">
//!   <file name="src/Api/Dockerfile">
//!     <error line="3" column="5" severity="error" message="..." source="UnterminatedHeredoc"/>
//!   </file>
//! </checkstyle>
//! ```
//!
//! Every checked file gets a `<file>` element, also when it is clean, so importers see which
//! files were checked. Lines and columns are 1-based, columns in characters. Checkstyle has no
//! `hint`, so hints are `info`. `source` is the rule name.

use std::fmt::Write;

use super::xml::escape;
use super::{CheckedFile, ColumnUnit};
use crate::analysis::Severity;

pub(super) fn render(files: &[CheckedFile]) -> String {
    let mut out =
        String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<checkstyle version=\"4.3\">\n");
    for file in files {
        let _ = writeln!(out, "  <file name=\"{}\">", escape(&file.display_path()));
        for diagnostic in &file.diagnostics {
            let (start, _) = file.span(diagnostic.range, ColumnUnit::Characters);
            let severity = match diagnostic.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Info | Severity::Hint => "info",
            };
            let _ = writeln!(
                out,
                "    <error line=\"{}\" column=\"{}\" severity=\"{severity}\" message=\"{}\" source=\"{}\"/>",
                start.line + 1,
                start.column + 1,
                escape(&diagnostic.message),
                escape(diagnostic.code)
            );
        }
        out.push_str("  </file>\n");
    }
    out.push_str("</checkstyle>\n");
    out
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::super::test_support::diagnostic_on;
    use super::super::{render, CheckedFile, OutputFormat, RenderOptions};
    use crate::analysis::Severity;

    #[test]
    fn one_error_element_per_diagnostic_and_every_file_listed() {
        let text = "FROM a AS Büild\nRUN <<EOF\n";
        let casing = diagnostic_on(
            text,
            "Büild",
            Severity::Hint,
            "StageNameCasing",
            "Stage name 'Büild' should be <lowercase> & \"short\"",
        );
        let heredoc = diagnostic_on(
            text,
            "<<EOF",
            Severity::Error,
            "UnterminatedHeredoc",
            "heredoc `EOF`\nis never terminated",
        );
        let files = [
            CheckedFile::new(
                PathBuf::from("a&b/Dockerfile"),
                text.into(),
                vec![heredoc, casing],
            ),
            CheckedFile::new(PathBuf::from("Clean.Dockerfile"), "FROM a\n".into(), vec![]),
        ];
        assert_eq!(
            render(OutputFormat::Checkstyle, &files, &RenderOptions::default()),
            r#"<?xml version="1.0" encoding="UTF-8"?>
<checkstyle version="4.3">
  <file name="a&amp;b/Dockerfile">
    <error line="1" column="11" severity="info" message="Stage name &apos;Büild&apos; should be &lt;lowercase&gt; &amp; &quot;short&quot;" source="StageNameCasing"/>
    <error line="2" column="5" severity="error" message="heredoc `EOF`&#10;is never terminated" source="UnterminatedHeredoc"/>
  </file>
  <file name="Clean.Dockerfile">
  </file>
</checkstyle>
"#
        );
    }

    #[test]
    fn no_files_is_an_empty_report() {
        assert_eq!(
            render(OutputFormat::Checkstyle, &[], &RenderOptions::default()),
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<checkstyle version=\"4.3\">\n</checkstyle>\n"
        );
    }
}
