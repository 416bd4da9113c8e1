//! `--format junit`: a JUnit XML report, for CI systems that show test results (GitLab's
//! `artifacts:reports:junit`, Azure Pipelines' PublishTestResults, Jenkins' junit step):
//!
//! ```xml
//! <?xml version="1.0" encoding="UTF-8"?>
//! <testsuites name="dockside" tests="2" failures="1" errors="0">
//!   <testsuite name="src/Api/Dockerfile" tests="1" failures="1" errors="0">
//!     <testcase classname="src/Api/Dockerfile" name="UnterminatedHeredoc at 3:5">
//!       <failure type="error" message="...">src/Api/Dockerfile:3:5: error[UnterminatedHeredoc] ...</failure>
//!     </testcase>
//!   </testsuite>
//!   <testsuite name="Dockerfile" tests="1" failures="0" errors="0">
//!     <testcase classname="Dockerfile" name="dockside check"/>
//!   </testsuite>
//! </testsuites>
//! ```
//!
//! One test suite per checked file and one failed test case per diagnostic; a clean file has
//! one passing test case, so it shows up as passed rather than as "no tests". The failure's
//! `type` is the severity; its text repeats the human format's first line and the docs link.

use std::fmt::Write;

use super::xml::escape;
use super::{CheckedFile, ColumnUnit};

const CLEAN_CASE: &str = "dockside check";

pub(super) fn render(files: &[CheckedFile]) -> String {
    let failures: usize = files.iter().map(|f| f.diagnostics.len()).sum();
    let tests: usize = files.iter().map(|f| f.diagnostics.len().max(1)).sum();
    let mut out = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"dockside\" tests=\"{tests}\" failures=\"{failures}\" errors=\"0\">\n"
    );
    for file in files {
        let path = escape(&file.display_path());
        let count = file.diagnostics.len();
        let _ = writeln!(
            out,
            "  <testsuite name=\"{path}\" tests=\"{}\" failures=\"{count}\" errors=\"0\">",
            count.max(1)
        );
        if count == 0 {
            let _ = writeln!(
                out,
                "    <testcase classname=\"{path}\" name=\"{CLEAN_CASE}\"/>"
            );
        }
        for diagnostic in &file.diagnostics {
            let (start, _) = file.span(diagnostic.range, ColumnUnit::Characters);
            let (line, column) = (start.line + 1, start.column + 1);
            let severity = diagnostic.severity.as_str();
            let mut text = format!(
                "{}:{line}:{column}: {severity}[{}] {}",
                file.display_path(),
                diagnostic.code,
                diagnostic.message
            );
            if let Some(url) = &diagnostic.docs_url {
                let _ = write!(text, "\ndocs: {url}");
            }
            let _ = writeln!(
                out,
                "    <testcase classname=\"{path}\" name=\"{} at {line}:{column}\">",
                escape(diagnostic.code)
            );
            let _ = writeln!(
                out,
                "      <failure type=\"{severity}\" message=\"{}\">{}</failure>",
                escape(&diagnostic.message),
                escape(&text)
            );
            out.push_str("    </testcase>\n");
        }
        out.push_str("  </testsuite>\n");
    }
    out.push_str("</testsuites>\n");
    out
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::super::test_support::diagnostic_on;
    use super::super::{render, CheckedFile, OutputFormat, RenderOptions};
    use crate::analysis::Severity;

    #[test]
    fn a_suite_per_file_and_a_failed_case_per_diagnostic() {
        let text = "FROM a AS Büild\nRUN <<EOF\n";
        let casing = diagnostic_on(
            text,
            "Büild",
            Severity::Warning,
            "StageNameCasing",
            "Stage name 'Büild' should be <lowercase>",
        );
        let mut heredoc = diagnostic_on(
            text,
            "<<EOF",
            Severity::Error,
            "UnterminatedHeredoc",
            "heredoc `EOF` & more",
        );
        heredoc.docs_url = Some("https://example.com/a?b=1&c=2".into());
        let files = [
            CheckedFile::new(
                PathBuf::from("src/Dockerfile"),
                text.into(),
                vec![heredoc, casing],
            ),
            CheckedFile::new(PathBuf::from("Clean.Dockerfile"), "FROM a\n".into(), vec![]),
        ];
        assert_eq!(
            render(OutputFormat::Junit, &files, &RenderOptions::default()),
            r#"<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="dockside" tests="3" failures="2" errors="0">
  <testsuite name="src/Dockerfile" tests="2" failures="2" errors="0">
    <testcase classname="src/Dockerfile" name="StageNameCasing at 1:11">
      <failure type="warning" message="Stage name &apos;Büild&apos; should be &lt;lowercase&gt;">src/Dockerfile:1:11: warning[StageNameCasing] Stage name &apos;Büild&apos; should be &lt;lowercase&gt;</failure>
    </testcase>
    <testcase classname="src/Dockerfile" name="UnterminatedHeredoc at 2:5">
      <failure type="error" message="heredoc `EOF` &amp; more">src/Dockerfile:2:5: error[UnterminatedHeredoc] heredoc `EOF` &amp; more&#10;docs: https://example.com/a?b=1&amp;c=2</failure>
    </testcase>
  </testsuite>
  <testsuite name="Clean.Dockerfile" tests="1" failures="0" errors="0">
    <testcase classname="Clean.Dockerfile" name="dockside check"/>
  </testsuite>
</testsuites>
"#
        );
    }
}
