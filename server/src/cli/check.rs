//! `dockside check`: find Dockerfiles, analyse them, print diagnostics.
//!
//! Exit codes: 0 when no diagnostic reaches the failure severity (`--severity-threshold`,
//! default error), 1 when one does,
//! 2 on usage errors and when a path could not be read (reported on stderr; the readable files
//! are still checked and printed).

use std::collections::{HashMap, HashSet};
use std::ffi::{OsStr, OsString};
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use super::discover::{describe_io_error, discover};
use super::fix::{fixes_for, summary_line, unified_diff, FixMode};
use super::output::{render, CheckedFile, OutputFormat, RenderOptions, Summary};
use super::selection::RuleSelection;
use crate::analysis::{analyze_bytes, AnalysisEnv, Severity};
use crate::config::Config;
use crate::context::SolutionSnapshot;
use crate::dotnet::{Workspace, WorkspaceOptions};

pub const EXIT_CLEAN: i32 = 0;
pub const EXIT_PROBLEMS: i32 = 1;
pub const EXIT_TROUBLE: i32 = 2;

pub const HELP: &str = "\
Lint the Dockerfiles under PATHs (default: the current directory).

Usage: dockside check [OPTIONS] [PATH...]

A PATH that is a file is checked whatever its name. Directories are searched for
Dockerfile, Dockerfile.*, *.Dockerfile, Containerfile, Containerfile.* and
*.Containerfile (any letter case; *.dockerignore excluded), skipping .git, bin,
obj and node_modules and not entering symbolic links to directories.

Options:
  --format <FORMAT>  output format [default: human]
                       human       file:line:col, severity, rule, message, source
                       json        one JSON array (0-based lines, UTF-8 columns)
                       github      GitHub Actions annotations
                       sarif       SARIF 2.1.0 log for code scanning
                       checkstyle  Checkstyle XML (Jenkins, reviewdog)
                       junit       JUnit XML: a suite per file, a failure per problem
  --severity-threshold <SEVERITY>
                     exit 1 only when a problem of this severity or worse is
                     found: error, warning, info, hint [default: error]
  --select <RULES>   run only these rules (comma-separated names or DL codes,
                     any case; repeatable), even rules that are off by
                     default or turned off in dockside.toml
  --ignore <RULES>   never run these rules (wins over --select)
  --color <WHEN>     colour the human format: auto, always, never [default: auto]
                     (auto: only on a terminal and when NO_COLOR is not set)
  --context <DIR>    the build context of every Dockerfile checked (default: from
                     compose, the project's DockerfileContext, dockside.toml, or
                     the directory that makes the COPY sources exist)
  --fix              apply the safe fixes to the files, then report what remains
  --diff             print the safe fixes as a unified diff and change nothing
                     (exit status 1 when there is something to fix)
  --unsafe-fixes     with --fix or --diff, apply the fixes that need review too
  --build-arg <NAME=VALUE>
                     a build argument the build passes (repeatable); e.g.
                     BUILDKIT_DOCKERFILE_CHECK=skip=all replaces `# check=`
  --show-files       list the files that would be checked, and check nothing
  -h, --help         print this help

Exit status: 0 nothing at or above the threshold, 1 something at or above it,
2 usage or I/O error.";

/// When the human format uses colour.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

/// The parsed command line of `dockside check`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CheckOptions {
    pub paths: Vec<PathBuf>,
    pub format: OutputFormat,
    pub color: ColorChoice,
    pub show_files: bool,
    /// `--context DIR`: the build context of every Dockerfile checked.
    pub context: Option<PathBuf>,
    /// The exit code is 1 when a diagnostic is at least this severe.
    pub fail_on: Severity,
    /// `--fix` / `--diff`.
    pub fix: FixMode,
    /// `--unsafe-fixes`: apply the fixes that need review too.
    pub unsafe_fixes: bool,
    /// `--build-arg NAME=VALUE`, as `docker build` takes them.
    pub build_args: Vec<(String, String)>,
    /// `--select` / `--ignore`.
    pub rules: RuleSelection,
}

impl Default for CheckOptions {
    fn default() -> Self {
        CheckOptions {
            paths: Vec::new(),
            format: OutputFormat::Human,
            color: ColorChoice::Auto,
            show_files: false,
            context: None,
            fail_on: Severity::Error,
            fix: FixMode::Off,
            unsafe_fixes: false,
            build_args: Vec::new(),
            rules: RuleSelection::default(),
        }
    }
}

#[derive(Debug, PartialEq, Eq)]
pub enum Command {
    Help,
    Check(CheckOptions),
}

/// Parses the arguments after `check`. `--name value` and `--name=value` are both accepted;
/// `--` ends the options, so that a path may start with `-`.
pub fn parse_args(args: &[OsString]) -> Result<Command, String> {
    let mut options = CheckOptions::default();
    let mut args = args.iter();
    let mut only_paths = false;
    while let Some(arg) = args.next() {
        let text = arg.to_str();
        if only_paths || !text.is_some_and(|t| t.starts_with('-')) || text == Some("-") {
            options.paths.push(PathBuf::from(arg));
            continue;
        }
        let text = text.unwrap_or_default();
        if text == "--" {
            only_paths = true;
            continue;
        }
        let (name, inline_value) = match text.split_once('=') {
            Some((name, value)) if name.starts_with("--") => (name, Some(value.to_string())),
            _ => (text, None),
        };
        let mut value = |what: &str| -> Result<String, String> {
            if let Some(value) = inline_value.clone() {
                return Ok(value);
            }
            match args.next().map(|v| v.to_str()) {
                Some(Some(value)) => Ok(value.to_string()),
                Some(None) => Err(format!("the value of `{name}` is not valid UTF-8")),
                None => Err(format!("`{name}` needs a value: {what}")),
            }
        };
        match name {
            "-h" | "--help" => return Ok(Command::Help),
            "--format" => {
                let formats: Vec<&str> = OutputFormat::ALL.iter().map(|f| f.name()).collect();
                let value = value(&formats.join(", "))?;
                options.format = OutputFormat::from_name(&value).ok_or_else(|| {
                    format!(
                        "unknown format `{value}` (expected one of: {})",
                        formats.join(", ")
                    )
                })?;
            }
            "--color" | "--colour" => {
                let value = value("auto, always or never")?;
                options.color = match value.as_str() {
                    "auto" => ColorChoice::Auto,
                    "always" => ColorChoice::Always,
                    "never" => ColorChoice::Never,
                    _ => {
                        return Err(format!(
                            "unknown colour choice `{value}` (expected auto, always or never)"
                        ))
                    }
                }
            }
            "--show-files" if inline_value.is_none() => options.show_files = true,
            "--context" => options.context = Some(PathBuf::from(value("a directory")?)),
            "--fix" if inline_value.is_none() => options.fix = FixMode::Write,
            "--diff" if inline_value.is_none() => options.fix = FixMode::Diff,
            "--unsafe-fixes" if inline_value.is_none() => options.unsafe_fixes = true,
            "--build-arg" => {
                let pair = value("NAME=VALUE")?;
                let (name, value) = pair
                    .split_once('=')
                    .ok_or_else(|| format!("`--build-arg {pair}` needs the form NAME=VALUE"))?;
                options
                    .build_args
                    .push((name.to_string(), value.to_string()));
            }
            "--severity-threshold" => {
                let value = value("error, warning, info or hint")?;
                options.fail_on = parse_threshold(&value).ok_or_else(|| {
                    format!("unknown severity `{value}` (expected error, warning, info or hint)")
                })?;
            }
            "--select" | "--ignore" => {
                let list = value("comma-separated rule names or DL codes")?;
                options.rules.add(&list, name == "--select", name)?;
            }
            _ => return Err(format!("unknown option `{text}`")),
        }
    }
    Ok(Command::Check(options))
}

/// Runs `dockside check` with the arguments after `check`; returns the exit code.
pub fn run(args: &[OsString]) -> i32 {
    match parse_args(args) {
        Ok(Command::Help) => {
            println!("{HELP}");
            EXIT_CLEAN
        }
        Ok(Command::Check(options)) => check(&options),
        Err(message) => {
            eprintln!("dockside check: {message}\nRun `dockside check --help` for usage.");
            EXIT_TROUBLE
        }
    }
}

fn check(options: &CheckOptions) -> i32 {
    let paths = if options.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        options.paths.clone()
    };
    let discovery = discover(&paths);
    let mut trouble = !discovery.errors.is_empty();
    for error in &discovery.errors {
        eprintln!("dockside check: {error}");
    }

    if options.show_files {
        let listing: String = discovery
            .files
            .iter()
            .map(|path| format!("{}\n", path.display()))
            .collect();
        return finish(&listing, if trouble { EXIT_TROUBLE } else { EXIT_CLEAN });
    }

    // Each solution is indexed once, before the files are checked on every core; the
    // results are then reported in file order, so the output does not depend on timing.
    let files: Vec<(PathBuf, PathBuf, PathBuf)> = discovery
        .files
        .into_iter()
        .map(|path| {
            let absolute = crate::dotnet::paths::normalize(
                &std::path::absolute(&path).unwrap_or_else(|_| path.clone()),
            );
            let root = solution_root(&absolute, &paths);
            (path, absolute, root)
        })
        .collect();
    let mut solutions: HashMap<PathBuf, SolutionSnapshot> = HashMap::new();
    for (_, _, root) in &files {
        if !solutions.contains_key(root) {
            let snapshot =
                SolutionSnapshot::new(Workspace::index(root, WorkspaceOptions::default()));
            solutions.insert(root.clone(), snapshot);
        }
    }
    let outcomes = parallel_map(&files, |(path, absolute, root)| {
        check_file(path, absolute, solutions.get(root), options)
    });

    let mut checked = Vec::with_capacity(outcomes.len());
    let mut reported_config_problems = HashSet::new();
    let mut diffs = String::new();
    for outcome in outcomes {
        for message in outcome.messages {
            match message {
                Message::ConfigProblem(text) => {
                    if reported_config_problems.insert(text.clone()) {
                        eprintln!("dockside check: warning: {text}");
                    }
                }
                Message::Line(text) => eprintln!("{text}"),
            }
        }
        trouble |= outcome.trouble;
        diffs.push_str(&outcome.diff);
        checked.extend(outcome.checked);
    }

    if checked.is_empty() && !trouble {
        eprintln!(
            "dockside check: warning: no Dockerfiles found under {}",
            paths
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        );
    }

    if options.fix == FixMode::Diff {
        let code = if trouble {
            EXIT_TROUBLE
        } else if diffs.is_empty() {
            EXIT_CLEAN
        } else {
            EXIT_PROBLEMS
        };
        return finish(&diffs, code);
    }

    let render_options = RenderOptions {
        color: use_color(options.color),
    };
    let output = if checked.is_empty() && options.format == OutputFormat::Human {
        String::new()
    } else {
        render(options.format, &checked, &render_options)
    };
    let code = if trouble {
        EXIT_TROUBLE
    } else {
        exit_code(&Summary::of(&checked), options.fail_on)
    };
    finish(&output, code)
}

/// What checking one file produced, reported once every file is checked.
struct FileOutcome {
    /// For stderr, in order.
    messages: Vec<Message>,
    trouble: bool,
    /// The file's part of `--diff`.
    diff: String,
    checked: Option<CheckedFile>,
}

enum Message {
    /// A configuration problem, printed once however many files share the configuration.
    ConfigProblem(String),
    Line(String),
}

/// Reads, fixes (with `--fix`/`--diff`) and analyses one file.
fn check_file(
    path: &Path,
    absolute: &Path,
    solution: Option<&SolutionSnapshot>,
    options: &CheckOptions,
) -> FileOutcome {
    let mut outcome = FileOutcome {
        messages: Vec::new(),
        trouble: false,
        diff: String::new(),
        checked: None,
    };
    let bytes = match read_limited(path, MAX_FILE_SIZE) {
        Ok(Some(bytes)) => bytes,
        Ok(None) => {
            outcome.messages.push(Message::Line(format!(
                "dockside check: {}: larger than {} MiB, not a Dockerfile; skipped",
                path.display(),
                MAX_FILE_SIZE >> 20
            )));
            outcome.trouble = true;
            return outcome;
        }
        Err(err) => {
            outcome.messages.push(Message::Line(format!(
                "dockside check: {}: {}",
                path.display(),
                describe_io_error(&err)
            )));
            outcome.trouble = true;
            return outcome;
        }
    };
    let dir = absolute.parent().unwrap_or(Path::new("/"));
    let (mut config, problems) = Config::load_for(dir);
    for problem in problems {
        let place = problem
            .file
            .as_ref()
            .map(|f| format!("{}: ", f.display()))
            .unwrap_or_default();
        outcome.messages.push(Message::ConfigProblem(format!(
            "{place}{}",
            problem.message
        )));
    }
    options.rules.apply_to(&mut config);
    config.build_args.extend(options.build_args.iter().cloned());
    if let Some(context) = &options.context {
        let context = std::path::absolute(context).unwrap_or_else(|_| context.clone());
        config
            .build_contexts
            .push((absolute.to_string_lossy().into_owned(), context));
    }
    let env = AnalysisEnv {
        path: Some(absolute.to_path_buf()),
        config: std::sync::Arc::new(config),
        solution: solution.cloned(),
        ..AnalysisEnv::default()
    };
    let bytes = match (options.fix, std::str::from_utf8(&bytes)) {
        (FixMode::Off, _) => bytes,
        (_, Err(_)) => {
            outcome.messages.push(Message::Line(format!(
                "dockside check: {}: not valid UTF-8, not fixed",
                path.display()
            )));
            bytes
        }
        (mode, Ok(text)) => {
            let fixes = fixes_for(text, &env, options.unsafe_fixes);
            if !fixes.changed {
                bytes
            } else if mode == FixMode::Diff {
                outcome.diff = unified_diff(path, text, &fixes.outcome.text);
                bytes
            } else if let Err(err) = std::fs::write(path, &fixes.outcome.text) {
                outcome.messages.push(Message::Line(format!(
                    "dockside check: {}: cannot write the fixes: {}",
                    path.display(),
                    describe_io_error(&err)
                )));
                outcome.trouble = true;
                bytes
            } else {
                outcome
                    .messages
                    .push(Message::Line(summary_line(path, &fixes.outcome.fixed)));
                fixes.outcome.text.into_bytes()
            }
        }
    };
    // Invalid UTF-8 becomes U+FFFD and is reported (InvalidUtf8); the rest is still checked.
    let mut analysis = analyze_bytes(&bytes, &env);
    options.rules.filter(&mut analysis.diagnostics);
    outcome.checked = Some(CheckedFile::new(
        path.to_path_buf(),
        analysis.text,
        analysis.diagnostics,
    ));
    outcome
}

/// `f` over `items` on as many threads as there are cores (at most one per item), in order.
fn parallel_map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(items.len());
    if threads <= 1 {
        return items.iter().map(f).collect();
    }
    let next = std::sync::atomic::AtomicUsize::new(0);
    let mut results: Vec<Option<R>> = std::iter::repeat_with(|| None).take(items.len()).collect();
    std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| {
                    let mut done = Vec::new();
                    loop {
                        let index = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        let Some(item) = items.get(index) else {
                            break;
                        };
                        done.push((index, f(item)));
                    }
                    done
                })
            })
            .collect();
        for worker in workers {
            match worker.join() {
                Ok(done) => {
                    for (index, result) in done {
                        results[index] = Some(result);
                    }
                }
                Err(panic) => std::panic::resume_unwind(panic),
            }
        }
    });
    results.into_iter().flatten().collect()
}

/// `--severity-threshold` values: the four severities, exactly as the output formats spell them.
fn parse_threshold(value: &str) -> Option<Severity> {
    [
        Severity::Error,
        Severity::Warning,
        Severity::Info,
        Severity::Hint,
    ]
    .into_iter()
    .find(|severity| severity.as_str() == value)
}

/// Files larger than this are not read. Real Dockerfiles are kilobytes; a 50,000-line one is
/// about 2 MiB. The limit keeps a mistaken path (a disk image named `x.dockerfile`) from
/// exhausting memory, and keeps every offset far inside the `u32` byte ranges of the analysis.
pub const MAX_FILE_SIZE: u64 = 64 << 20;

/// The file's bytes, or `None` when it is larger than `limit` bytes. Reads at most `limit + 1`
/// bytes, so a pipe or a device is safe too.
fn read_limited(path: &std::path::Path, limit: u64) -> std::io::Result<Option<Vec<u8>>> {
    use std::io::Read;
    let file = std::fs::File::open(path)?;
    let mut bytes = Vec::new();
    file.take(limit + 1).read_to_end(&mut bytes)?;
    Ok((bytes.len() as u64 <= limit).then_some(bytes))
}

/// 1 when some diagnostic is at least as severe as `fail_on`, else 0.
pub fn exit_code(summary: &Summary, fail_on: Severity) -> i32 {
    match summary.worst() {
        Some(worst) if worst >= fail_on => EXIT_PROBLEMS,
        _ => EXIT_CLEAN,
    }
}

/// Writes the output and returns `code`. A reader that went away (`| head`) is not an error;
/// any other write failure is.
fn finish(output: &str, code: i32) -> i32 {
    let mut stdout = std::io::stdout().lock();
    match stdout
        .write_all(output.as_bytes())
        .and_then(|()| stdout.flush())
    {
        Ok(()) => code,
        Err(err) if err.kind() == std::io::ErrorKind::BrokenPipe => code,
        Err(err) => {
            eprintln!(
                "dockside check: cannot write the output: {}",
                describe_io_error(&err)
            );
            EXIT_TROUBLE
        }
    }
}

fn use_color(choice: ColorChoice) -> bool {
    color_enabled(
        choice,
        std::env::var_os("NO_COLOR").as_deref(),
        std::env::var_os("TERM").as_deref(),
        std::io::stdout().is_terminal(),
    )
}

/// `auto` colours only a terminal, and not when `NO_COLOR` has a value (https://no-color.org)
/// or the terminal is `dumb`.
fn color_enabled(
    choice: ColorChoice,
    no_color: Option<&OsStr>,
    term: Option<&OsStr>,
    stdout_is_terminal: bool,
) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            let no_color = no_color.is_some_and(|value| !value.is_empty());
            let dumb = term.is_some_and(|term| term == "dumb");
            stdout_is_terminal && !no_color && !dumb
        }
    }
}

/// The folder whose solution a Dockerfile belongs to: the deepest directory argument that
/// contains it; for a file named directly, the nearest ancestor with a .sln/.slnx, else the
/// repository root (.git), else the file's directory.
fn solution_root(dockerfile: &Path, arguments: &[PathBuf]) -> PathBuf {
    let mut best: Option<PathBuf> = None;
    for arg in arguments {
        let Ok(abs) = std::path::absolute(arg) else {
            continue;
        };
        let abs = crate::dotnet::paths::normalize(&abs);
        if abs.is_dir()
            && dockerfile.starts_with(&abs)
            && best
                .as_ref()
                .is_none_or(|b| abs.components().count() > b.components().count())
        {
            best = Some(abs);
        }
    }
    if let Some(dir) = best {
        return dir;
    }
    crate::dotnet::paths::find_solution_root(dockerfile)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Vec<OsString> {
        list.iter().map(OsString::from).collect()
    }

    fn options(list: &[&str]) -> CheckOptions {
        match parse_args(&args(list)) {
            Ok(Command::Check(options)) => options,
            other => panic!("{list:?} parsed as {other:?}"),
        }
    }

    #[test]
    fn defaults() {
        assert_eq!(options(&[]), CheckOptions::default());
    }

    #[test]
    fn paths_and_options_in_any_order() {
        let parsed = options(&["a", "--format", "json", "b/Dockerfile", "--color=never"]);
        assert_eq!(
            parsed.paths,
            [PathBuf::from("a"), PathBuf::from("b/Dockerfile")]
        );
        assert_eq!(parsed.format, OutputFormat::Json);
        assert_eq!(parsed.color, ColorChoice::Never);
        assert_eq!(options(&["--format=sarif"]).format, OutputFormat::Sarif);
        assert_eq!(
            options(&["--format", "github"]).format,
            OutputFormat::Github
        );
        assert!(options(&["--show-files"]).show_files);
        assert_eq!(
            options(&["--format", "checkstyle"]).format,
            OutputFormat::Checkstyle
        );
        assert_eq!(options(&["--format=junit"]).format, OutputFormat::Junit);
        assert_eq!(
            options(&["--severity-threshold", "info"]).fail_on,
            Severity::Info
        );
        let chosen = options(&["--select", "DL3020,undefinedvar", "--ignore=DL3020"]).rules;
        assert_eq!(chosen.select, ["AddInsteadOfCopy", "UndefinedVar"]);
        assert_eq!(chosen.ignore, ["AddInsteadOfCopy"]);
    }

    #[test]
    fn double_dash_ends_options() {
        let parsed = options(&["--", "--format", "-x"]);
        assert_eq!(
            parsed.paths,
            [PathBuf::from("--format"), PathBuf::from("-x")]
        );
        assert_eq!(parsed.format, OutputFormat::Human);
    }

    #[test]
    fn help() {
        assert_eq!(parse_args(&args(&["x", "--help"])), Ok(Command::Help));
        assert_eq!(parse_args(&args(&["-h"])), Ok(Command::Help));
    }

    #[test]
    fn usage_errors() {
        let error = |list: &[&str]| parse_args(&args(list)).unwrap_err();
        assert_eq!(error(&["--frobnicate"]), "unknown option `--frobnicate`");
        assert_eq!(error(&["-x"]), "unknown option `-x`");
        assert_eq!(
            error(&["--format", "xml"]),
            "unknown format `xml` (expected one of: human, json, github, sarif, checkstyle, junit)"
        );
        assert_eq!(
            error(&["--format"]),
            "`--format` needs a value: human, json, github, sarif, checkstyle, junit"
        );
        assert_eq!(
            error(&["--color=sometimes"]),
            "unknown colour choice `sometimes` (expected auto, always or never)"
        );
        assert_eq!(
            error(&["--severity-threshold", "fatal"]),
            "unknown severity `fatal` (expected error, warning, info or hint)"
        );
        assert_eq!(
            error(&["--select=UndefinedVr"]),
            "--select: unknown rule `UndefinedVr`; did you mean `UndefinedVar`?"
        );
        assert_eq!(
            error(&["--show-files=yes"]),
            "unknown option `--show-files=yes`"
        );
    }

    #[test]
    fn files_over_the_limit_are_not_read() {
        let dir =
            std::env::temp_dir().join(format!("dockside-read-limited-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("Dockerfile");
        std::fs::write(&path, b"FROM a\n").unwrap();
        assert_eq!(read_limited(&path, 7).unwrap(), Some(b"FROM a\n".to_vec()));
        assert_eq!(read_limited(&path, 6).unwrap(), None);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn colour_choice() {
        let some = |text: &'static str| Some(OsStr::new(text));
        assert!(color_enabled(ColorChoice::Auto, None, some("xterm"), true));
        assert!(!color_enabled(
            ColorChoice::Auto,
            None,
            some("xterm"),
            false
        ));
        assert!(!color_enabled(
            ColorChoice::Auto,
            some("1"),
            some("xterm"),
            true
        ));
        assert!(color_enabled(
            ColorChoice::Auto,
            some(""),
            some("xterm"),
            true
        ));
        assert!(!color_enabled(ColorChoice::Auto, None, some("dumb"), true));
        assert!(color_enabled(ColorChoice::Always, some("1"), None, false));
        assert!(!color_enabled(ColorChoice::Never, None, None, true));
    }

    #[test]
    fn exit_codes_follow_the_worst_severity() {
        let with = |errors, warnings| Summary {
            files_checked: 1,
            files_with_problems: 1,
            errors,
            warnings,
            ..Summary::default()
        };
        assert_eq!(exit_code(&with(0, 0), Severity::Error), EXIT_CLEAN);
        assert_eq!(exit_code(&with(0, 3), Severity::Error), EXIT_CLEAN);
        assert_eq!(exit_code(&with(1, 3), Severity::Error), EXIT_PROBLEMS);
        assert_eq!(exit_code(&with(0, 3), Severity::Warning), EXIT_PROBLEMS);
    }
}
