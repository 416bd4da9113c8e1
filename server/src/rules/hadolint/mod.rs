//! Rules of origin `hadolint`, one per file: hadolint's DL rules that matter without running
//! the build, by readable names, each recording its DL code so `# hadolint ignore=DL3020`
//! suppresses it. RUN instructions are read with `shell`, a small POSIX-shell reader.
//!
//! hadolint rules that BuildKit checks or validation rules already report are not repeated
//! here: DL3000 is WorkdirRelativePath, DL3022 UndefinedStage, DL3023 StageSelfReference,
//! DL3025 JSONArgsRecommended, DL3029 FromPlatformFlagConstDisallowed, DL4003, DL4004 and
//! DL3012 MultipleInstructionsDisallowed, and so on.

mod packages;
pub(crate) mod runs;
pub(crate) mod shell;

mod add_instead_of_copy;
mod apk_no_cache;
mod apk_packages_not_pinned;
mod apt_lists_not_cleaned;
mod apt_missing_yes;
mod apt_no_install_recommends;
mod apt_packages_not_pinned;
mod apt_usage;
mod consecutive_run_instructions;
mod copy_multiple_sources_destination;
mod curl_and_wget;
mod curl_pipe_shell;
mod last_user_root;
mod pip_no_cache_dir;
mod pipefail_missing;
mod pointless_command;
mod sudo_usage;
mod symlink_default_shell;
mod use_workdir;
mod wget_progress_bar;

pub use add_instead_of_copy::AddInsteadOfCopy;
pub use apk_no_cache::ApkNoCache;
pub use apk_packages_not_pinned::ApkPackagesNotPinned;
pub use apt_lists_not_cleaned::AptListsNotCleaned;
pub use apt_missing_yes::AptMissingYes;
pub use apt_no_install_recommends::AptNoInstallRecommends;
pub use apt_packages_not_pinned::AptPackagesNotPinned;
pub use apt_usage::AptUsage;
pub use consecutive_run_instructions::ConsecutiveRunInstructions;
pub use copy_multiple_sources_destination::CopyMultipleSourcesDestination;
pub use curl_and_wget::CurlAndWget;
pub use curl_pipe_shell::CurlPipeShell;
pub use last_user_root::LastUserRoot;
pub use pip_no_cache_dir::PipNoCacheDir;
pub use pipefail_missing::PipefailMissing;
pub use pointless_command::PointlessCommand;
pub use sudo_usage::SudoUsage;
pub use symlink_default_shell::SymlinkDefaultShell;
pub use use_workdir::UseWorkdir;
pub use wget_progress_bar::WgetProgressBar;

use crate::rules::Rule;

/// In DL-code order; CurlPipeShell (no DL code) last.
pub static RULES: &[&dyn Rule] = &[
    &PointlessCommand,
    &LastUserRoot,
    &UseWorkdir,
    &SudoUsage,
    &AptPackagesNotPinned,
    &AptListsNotCleaned,
    &AptMissingYes,
    &AptNoInstallRecommends,
    &ApkPackagesNotPinned,
    &ApkNoCache,
    &AddInsteadOfCopy,
    &CopyMultipleSourcesDestination,
    &AptUsage,
    &PipNoCacheDir,
    &WgetProgressBar,
    &ConsecutiveRunInstructions,
    &CurlAndWget,
    &SymlinkDefaultShell,
    &PipefailMissing,
    &CurlPipeShell,
];

#[cfg(test)]
mod tests {
    use crate::analysis::analyze;
    use crate::rules::test_support::test_env;

    /// A best-practice .NET Dockerfile: no hadolint rule may fire on it.
    const GOOD: &str = include_str!("../../../../tests/data/good.Dockerfile");

    /// A realistic Dockerfile that installs OS packages the right way.
    const GOOD_WITH_PACKAGES: &str = r#"# syntax=docker/dockerfile:1
FROM --platform=$BUILDPLATFORM mcr.microsoft.com/dotnet/sdk:10.0.100 AS build
ARG TARGETARCH
WORKDIR /src
COPY ["src/Api/Api.csproj", "src/Api/"]
RUN dotnet restore "src/Api/Api.csproj" -a "$TARGETARCH"
COPY src/ src/
WORKDIR /src/src/Api
RUN dotnet publish -c Release -a "$TARGETARCH" --no-restore -o /app/publish

FROM mcr.microsoft.com/dotnet/aspnet:10.0.0 AS final
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
RUN apt-get update \
    && apt-get install -y --no-install-recommends libgdiplus=4.2-5 curl=7.88.1-10+deb12u8 \
    && curl -fsSL https://example.com/ca.tgz | tar -xz -C /usr/local/share/ca-certificates \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /app/publish .
USER $APP_UID
HEALTHCHECK CMD ["curl", "-fsS", "http://localhost:8080/healthz"]
ENTRYPOINT ["dotnet", "Api.dll"]
"#;

    fn hadolint_findings(text: &str) -> Vec<String> {
        let names: Vec<&str> = super::RULES.iter().map(|r| r.meta().name).collect();
        analyze(text, &test_env())
            .diagnostics
            .into_iter()
            .filter(|d| names.contains(&d.code))
            .map(|d| format!("{} {}", d.code, d.message))
            .collect()
    }

    #[test]
    fn silent_on_good_dockerfiles() {
        assert_eq!(hadolint_findings(GOOD), Vec::<String>::new());
        assert_eq!(hadolint_findings(GOOD_WITH_PACKAGES), Vec::<String>::new());
    }

    #[test]
    fn hadolint_pragmas_suppress_by_dl_code() {
        let text = "FROM debian:12\n# hadolint ignore=DL3020\nADD a /a\n# hadolint ignore=DL3003 because\nRUN cd /x\nADD b /b\n";
        assert_eq!(
            hadolint_findings(text),
            ["AddInsteadOfCopy Use COPY instead of ADD for files and folders"]
        );
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(128))]
        #[test]
        fn rules_survive_arbitrary_run_lines(
            body in "[a-z $(){}`'\"|&;<>\\\n#=/.0-9é-]{0,80}",
            keyword in proptest::sample::select(vec!["RUN", "RUN <<EOF", "ADD", "COPY", "USER", "SHELL"]),
        ) {
            let text = format!("FROM debian:12 AS a\n{keyword} {body}\nEOF\nFROM a\nRUN x | y\n");
            let analysis = analyze(&text, &test_env());
            for d in &analysis.diagnostics {
                proptest::prop_assert!(text.get(d.range.as_range()).is_some());
            }
        }
    }

    #[test]
    fn every_rule_has_a_unique_dl_code() {
        let mut codes: Vec<&str> = super::RULES
            .iter()
            .flat_map(|r| r.meta().hadolint.iter().copied())
            .collect();
        let count = codes.len();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), count);
        assert_eq!(
            count,
            super::RULES.len() - 1,
            "only CurlPipeShell has no DL code"
        );
    }
}
