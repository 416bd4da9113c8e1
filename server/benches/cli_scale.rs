//! `dockside check` at the scale of a monorepo: the generated 2,000-project solution of the
//! `workspace_index` bench with 500 multi-stage .NET Dockerfiles (Visual Studio's template,
//! one per service, each copying its project and the projects it references, a tenth of them
//! forgetting one so that there is something to report), checked by the real release binary.
//!
//! Run: `cargo bench --bench cli_scale`. Prints the files, projects and diagnostics, and for
//! the human and JSON formats the median and fastest wall time of a few runs, the CPU time
//! (user + system, which shows how much of the machine was used) and the peak RSS (from
//! `/usr/bin/time`, when it is installed). Target: under 2 s on 2 cores.
//! `CLI_SCALE_DIR=<dir>` writes the monorepo into `<dir>` and keeps it (for `perf record`).

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use dockside::bench_support::solution::{generate, project_path, CHAIN, GROUPS, PROJECTS};

const BINARY: &str = env!("CARGO_BIN_EXE_dockside");
/// Every fourth project is a service with a Dockerfile.
const SERVICE_EVERY: usize = 4;
const DOCKERFILES: usize = PROJECTS / SERVICE_EVERY;
const RUNS: usize = 5;

/// The projects `index` references, transitively: the rest of its chain.
fn closure(index: usize) -> Vec<usize> {
    let chain_end = (index / CHAIN + 1) * CHAIN;
    (index + 1..chain_end.min(PROJECTS)).collect()
}

fn group_dir(index: usize) -> String {
    format!("src/Group{:02}", index % GROUPS)
}

/// Visual Studio's multi-stage Dockerfile for project `index`, built from the solution root.
fn dockerfile(index: usize) -> String {
    let project = project_path(index);
    let dir = project
        .rsplit_once('/')
        .map_or("", |(dir, _)| dir)
        .to_string();
    let name = format!("Project{index:04}");
    let mut references = closure(index);
    // A tenth of the services forget to copy their last reference before the restore.
    if (index / SERVICE_EVERY) % 10 == 9 {
        references.pop();
    }
    let mut groups: Vec<String> = std::iter::once(index)
        .chain(references.iter().copied())
        .map(group_dir)
        .collect();
    groups.sort();
    groups.dedup();
    let mut out = String::from(
        "# See https://aka.ms/customizecontainer to learn how to customize your debug container.\n\
         FROM mcr.microsoft.com/dotnet/aspnet:8.0 AS base\n\
         USER $APP_UID\n\
         WORKDIR /app\n\
         EXPOSE 8080\n\
         EXPOSE 8081\n\
         \n\
         FROM mcr.microsoft.com/dotnet/sdk:8.0 AS build\n\
         ARG BUILD_CONFIGURATION=Release\n\
         WORKDIR /src\n\
         COPY [\"Directory.Build.props\", \"Directory.Packages.props\", \"./\"]\n\
         COPY [\"src/Directory.Build.props\", \"src/\"]\n",
    );
    for group in &groups {
        out.push_str(&format!(
            "COPY [\"{group}/Directory.Build.props\", \"{group}/\"]\n"
        ));
    }
    out.push_str(&format!("COPY [\"{project}\", \"{dir}/\"]\n"));
    for reference in &references {
        let path = project_path(*reference);
        let ref_dir = path.rsplit_once('/').map_or("", |(dir, _)| dir).to_string();
        out.push_str(&format!("COPY [\"{path}\", \"{ref_dir}/\"]\n"));
    }
    out.push_str(&format!(
        "RUN dotnet restore \"./{project}\"\n\
         COPY . .\n\
         WORKDIR \"/src/{dir}\"\n\
         RUN dotnet build \"./{name}.csproj\" -c $BUILD_CONFIGURATION -o /app/build\n\
         \n\
         FROM build AS publish\n\
         ARG BUILD_CONFIGURATION=Release\n\
         RUN dotnet publish \"./{name}.csproj\" -c $BUILD_CONFIGURATION -o /app/publish /p:UseAppHost=false\n\
         \n\
         FROM base AS final\n\
         WORKDIR /app\n\
         COPY --from=publish /app/publish .\n\
         ENTRYPOINT [\"dotnet\", \"Contoso.{name}.dll\"]\n"
    ));
    out
}

fn write_monorepo(root: &Path) -> std::io::Result<()> {
    generate(root)?;
    std::fs::write(
        root.join(".dockerignore"),
        "**/bin/\n**/obj/\n**/.vs/\n**/.git\n**/*.user\n**/Dockerfile*\n",
    )?;
    for index in (0..PROJECTS).step_by(SERVICE_EVERY) {
        let project = root.join(project_path(index));
        let dir = project.parent().expect("a project folder");
        std::fs::write(dir.join("Dockerfile"), dockerfile(index))?;
    }
    Ok(())
}

struct Run {
    wall: Duration,
    cpu: Option<Duration>,
    peak_rss_kib: Option<u64>,
    stdout: Vec<u8>,
    code: Option<i32>,
}

fn have_time() -> bool {
    Path::new("/usr/bin/time").is_file()
}

/// One `dockside check` of `root` with `args`, timed; under `/usr/bin/time` when present.
fn run(root: &Path, args: &[&str]) -> Run {
    let mut command = if have_time() {
        let mut command = Command::new("/usr/bin/time");
        command.args(["-f", "dockside-time %U %S %M", BINARY]);
        command
    } else {
        Command::new(BINARY)
    };
    command
        .arg("check")
        .args(args)
        .arg(root)
        .env("DOCKSIDE_TODAY", "2026-11-26")
        .stdin(Stdio::null());
    let start = Instant::now();
    let output = command.output().expect("run dockside check");
    let wall = start.elapsed();
    let stderr = String::from_utf8_lossy(&output.stderr);
    let measured = stderr
        .lines()
        .rev()
        .find_map(|line| line.strip_prefix("dockside-time "))
        .map(|rest| {
            rest.split_whitespace()
                .map(|v| v.parse::<f64>().unwrap_or(0.0))
                .collect::<Vec<_>>()
        });
    let (cpu, peak_rss_kib) = match measured.as_deref() {
        Some([user, system, rss]) => (
            Some(Duration::from_secs_f64(user + system)),
            Some(*rss as u64),
        ),
        _ => (None, None),
    };
    Run {
        wall,
        cpu,
        peak_rss_kib,
        stdout: output.stdout,
        code: output.status.code(),
    }
}

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

fn report(label: &str, runs: &[Run]) {
    let walls: Vec<Duration> = runs.iter().map(|r| r.wall).collect();
    let fastest = walls.iter().min().copied().unwrap_or_default();
    let wall = median(walls);
    let cpu = runs.iter().filter_map(|r| r.cpu).collect::<Vec<_>>();
    let cpu = if cpu.is_empty() {
        "n/a".to_string()
    } else {
        format!("{:.2} s", median(cpu).as_secs_f64())
    };
    let rss = runs
        .iter()
        .filter_map(|r| r.peak_rss_kib)
        .max()
        .map_or("n/a".to_string(), |kib| {
            format!("{:.1} MB", kib as f64 / 1024.0)
        });
    println!(
        "  {label:<14} wall median {:>6.3} s (fastest {:.3} s, {} runs), CPU (user+sys) {cpu}, peak RSS {rss}; target < 2 s",
        wall.as_secs_f64(),
        fastest.as_secs_f64(),
        runs.len()
    );
}

fn main() {
    // `CLI_SCALE_DIR=<dir>` writes the monorepo there and keeps it, for profiling.
    let kept = std::env::var_os("CLI_SCALE_DIR").map(std::path::PathBuf::from);
    let dir = tempfile::tempdir().expect("temporary directory");
    let root = kept.as_deref().unwrap_or(dir.path());
    write_monorepo(root).expect("write the monorepo");

    // Sanity: every Dockerfile is found, and the JSON output names them all.
    let listed = Command::new(BINARY)
        .args(["check", "--show-files"])
        .arg(root)
        .output()
        .expect("dockside check --show-files");
    let files = String::from_utf8_lossy(&listed.stdout).lines().count();
    assert_eq!(files, DOCKERFILES, "Dockerfiles found");

    let json_runs: Vec<Run> = (0..RUNS)
        .map(|_| run(root, &["--format", "json"]))
        .collect();
    let report_json: serde_json::Value =
        serde_json::from_slice(&json_runs[0].stdout).expect("JSON output");
    let diagnostics = report_json.as_array().expect("an array");
    let mut by_code: std::collections::BTreeMap<&str, usize> = Default::default();
    for diagnostic in diagnostics {
        *by_code
            .entry(diagnostic["code"].as_str().unwrap_or("?"))
            .or_default() += 1;
    }
    let missing = by_code.get("RestoreMissingProject").copied().unwrap_or(0);
    assert_eq!(
        missing,
        DOCKERFILES / 10,
        "one RestoreMissingProject per service that forgot a reference: {by_code:?}"
    );
    let human_runs: Vec<Run> = (0..RUNS).map(|_| run(root, &[])).collect();
    assert!(json_runs
        .iter()
        .chain(&human_runs)
        .all(|r| r.code == Some(1)));

    println!(
        "cli_scale: `dockside check` on {DOCKERFILES} Dockerfiles in a {PROJECTS}-project solution ({} CPUs available)",
        std::thread::available_parallelism().map_or(0, |n| n.get())
    );
    println!(
        "  {} diagnostics: {}",
        diagnostics.len(),
        by_code
            .iter()
            .map(|(code, n)| format!("{code} {n}"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    report("--format json", &json_runs);
    report("human", &human_runs);
}
