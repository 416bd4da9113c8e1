//! Generated inputs shared by the benchmarks (and the fuzz seed corpus).

pub mod services;
pub mod solution;

const BLOCK: &str = r#"# Service {n}
ARG DOTNET_VERSION=10.0
FROM mcr.microsoft.com/dotnet/aspnet:${DOTNET_VERSION}-noble-chiseled AS base{n}
WORKDIR /app
EXPOSE 8080
USER $APP_UID

FROM --platform=$BUILDPLATFORM mcr.microsoft.com/dotnet/sdk:${DOTNET_VERSION} AS build{n}
ARG BUILD_CONFIGURATION=Release
ARG TARGETARCH
WORKDIR /src
COPY ["Directory.Build.props", "Directory.Packages.props", "NuGet.config", "./"]
COPY ["src/Service{n}/Service{n}.csproj", "src/Service{n}/"]
COPY ["src/Shared/Shared.csproj", "src/Shared/"]
RUN --mount=type=cache,id=nuget,target=/root/.nuget/packages \
    dotnet restore "src/Service{n}/Service{n}.csproj" -a $TARGETARCH
COPY . .
RUN dotnet publish "src/Service{n}/Service{n}.csproj" \
        -c $BUILD_CONFIGURATION \
        -a $TARGETARCH \
        --no-restore \
        -o /app/publish \
        /p:UseAppHost=false
RUN <<EOF
set -e
echo "built service {n}"
EOF

FROM base{n} AS final{n}
WORKDIR /app
COPY --from=build{n} /app/publish .
HEALTHCHECK --interval=30s --timeout=3s CMD ["/app/healthcheck"]
ENTRYPOINT ["dotnet", "Service{n}.dll"]
"#;

/// A realistic .NET multi-stage Dockerfile repeated to exactly `lines` lines: ARGs,
/// stages, restore layers with JSON-form COPY, `\` continuations, heredocs, comments.
pub fn generated_dockerfile(lines: usize) -> String {
    let block_lines = BLOCK.lines().count();
    let mut out = String::with_capacity(lines * 40);
    let mut count = 0;
    let mut n = 0;
    while count + block_lines <= lines {
        out.push_str(&BLOCK.replace("{n}", &n.to_string()));
        count += block_lines;
        n += 1;
    }
    if n == 0 {
        // Smaller than one block: its first lines (a heredoc may be left open at the cut).
        for line in BLOCK.replace("{n}", "0").lines().take(lines) {
            out.push_str(line);
            out.push('\n');
            count += 1;
        }
    }
    while count < lines {
        out.push_str("# padding\n");
        count += 1;
    }
    out
}

/// The BuildKit differential corpus (`tests/buildkit/corpus`) and the fuzz seeds
/// (`fuzz/seeds/<target>`), as `dirs` name them relative to the repository: the texts of their
/// files, sorted by path. Tests compare fast paths with the general code over these shapes.
#[cfg(test)]
pub(crate) fn corpus_texts(dirs: &[&str]) -> Vec<String> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut files = Vec::new();
    for dir in dirs {
        let entries = std::fs::read_dir(root.join(dir)).expect("the corpus directory is there");
        files.extend(entries.map(|entry| entry.expect("a corpus entry").path()));
    }
    files.sort();
    files
        .iter()
        .filter_map(|file| std::fs::read_to_string(file).ok())
        .collect()
}

/// Time spent by each enabled rule on one analysis of `text`, slowest first. The
/// per-instruction rules run together in one pass (as [`crate::rules::check`] runs them), timed
/// as the one entry `fused per-instruction rules`; each other rule is timed alone, after that
/// pass. Rules share the context's per-analysis caches, so a cache is charged to the first rule
/// (or the pass) that fills it.
pub fn rule_times(
    text: &str,
    env: &crate::analysis::AnalysisEnv,
) -> Vec<(&'static str, std::time::Duration)> {
    let tree = crate::syntax::parse(text);
    let model = crate::model::Model::build(&tree);
    let ctx = crate::rules::RuleContext::new(text, &tree, &model, env, None);
    let mut out = crate::rules::Diagnostics::default();
    let config = &env.config;
    let enabled: Vec<&dyn crate::rules::Rule> = crate::rules::all_rules()
        .filter(|rule| {
            let meta = rule.meta();
            config.rule_enabled(meta) && !config.disabled.contains(&meta.name)
        })
        .collect();
    let start = std::time::Instant::now();
    let pass = crate::rules::InstructionPass::new(
        enabled.iter().filter_map(|rule| rule.per_instruction()),
    );
    std::hint::black_box(pass.run(&ctx));
    let mut times = vec![("fused per-instruction rules", start.elapsed())];
    times.extend(
        enabled
            .iter()
            .filter(|rule| rule.per_instruction().is_none())
            .map(|rule| {
                let start = std::time::Instant::now();
                rule.check(&ctx, &mut out);
                (rule.meta().name, start.elapsed())
            }),
    );
    times.sort_by_key(|&(_, time)| std::cmp::Reverse(time));
    times
}

#[cfg(test)]
mod tests {
    #[test]
    fn generates_the_requested_size() {
        for n in [30, 300, 3000] {
            assert_eq!(super::generated_dockerfile(n).lines().count(), n);
        }
    }
}
