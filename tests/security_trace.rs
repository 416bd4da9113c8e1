//! Security, seen from the system calls of the real binary. `dockside lsp`, driven the way an
//! editor drives it, and `dockside check` run under `strace` on a copy of the microservices
//! fixture to which a hostile Dockerfile was added: COPY sources above the build context
//! (`../../etc/passwd`, `../../../../../etc/shadow`, `../secret.txt`), and sources that go
//! through symbolic links from the workspace to `/etc`. The tests check what the user sees
//! (the CopySourceMissing diagnostics) and, from the trace:
//!
//! - no socket system call at all while registry look-ups are off (with them on, connections
//!   go to the configured registry only: the last test);
//! - one `execve`, the binary's own, and every `clone` makes a thread (`CLONE_THREAD`), so
//!   nothing from the workspace, or anything else, is executed;
//! - nothing is opened for writing, and nothing is created, renamed or deleted;
//! - no path outside the workspace is opened, stat'ed or read as a link, apart from those in
//!   [`Sandbox::reason_outside`], each allowed for a stated reason. A path counts where the
//!   kernel takes it: through a symbolic link of the workspace that points at `/etc`, a stat
//!   of `<workspace>/link-to-etc/passwd` is a stat of `/etc/passwd`.
//!
//! Another test runs the same editor session and `dockside check` in a network namespace
//! with no network (`unshare -rn`) and gets exactly the same answers.
//!
//! `strace` and `unshare` are needed (.ci/run installs strace); without them, or where they
//! cannot trace or make a namespace, the tests fail and say why.

mod registry_support;
mod support;

use std::collections::{BTreeSet, HashMap};
use std::ffi::OsString;
use std::os::unix::ffi::OsStringExt;
use std::path::{Component, Path, PathBuf};
use std::process::{Command, Output};

use serde_json::{json, Value};
use support::{initialize_params, vscode_capabilities, LspClient};

const BINARY: &str = env!("CARGO_BIN_EXE_dockside");
const TODAY: &str = "2026-11-26";

/// The Dockerfile added at the workspace root. The last source exists there, so the
/// workspace root is the build context the heuristic picks.
const HOSTILE: &str = "\
FROM mcr.microsoft.com/dotnet/aspnet:10.0
WORKDIR /app
COPY ../../etc/passwd /x
COPY ../../../../../etc/shadow /y
ADD ../secret.txt /z
COPY link-to-etc/passwd /w
COPY passwd-link /u
COPY link-to-etc/ssl/* /v/
COPY Microservices.sln /app/
";

/// What the user sees on HOSTILE: (line, start, end, message) of each CopySourceMissing.
/// Symbolic links are followed inside the build context, as BuildKit follows them (its root
/// is `/`): `link-to-etc/passwd` is `<context>/etc/passwd`, which does not exist.
fn hostile_findings() -> Vec<(u64, u64, u64, String)> {
    let context = "the build context `.` (guessed: 1 of 7 COPY sources exist there)";
    let outside = |source: &str| {
        format!("\"{source}\" is outside {context}: Docker can only copy files from inside it")
    };
    let missing = |source: &str| format!("\"{source}\" not found in {context}");
    vec![
        (2, 5, 21, outside("../../etc/passwd")),
        (3, 5, 30, outside("../../../../../etc/shadow")),
        (4, 4, 17, outside("../secret.txt")),
        (5, 5, 23, missing("link-to-etc/passwd")),
        (6, 5, 16, missing("passwd-link")),
    ]
}

fn file_uri(path: &Path) -> String {
    format!("file://{}", path.display())
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create a directory");
    for entry in std::fs::read_dir(from).expect("read a fixture directory") {
        let entry = entry.expect("a directory entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("a file type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy a fixture file");
        }
    }
}

/// A temporary directory holding the workspace (a copy of fixtures/microservices plus the
/// hostile Dockerfile and links), a secret beside it, and the HOME the binary gets.
struct Sandbox {
    _dir: tempfile::TempDir,
    top: PathBuf,
    workspace: PathBuf,
    home: PathBuf,
    secret: PathBuf,
}

impl Sandbox {
    fn new() -> Sandbox {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let top = dir.path().canonicalize().expect("canonical temp dir");
        let workspace = top.join("work/microservices");
        copy_dir(
            &Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures/microservices"),
            &workspace,
        );
        std::fs::write(workspace.join("Dockerfile.hostile"), HOSTILE).expect("write");
        std::os::unix::fs::symlink("/etc", workspace.join("link-to-etc")).expect("symlink");
        std::os::unix::fs::symlink("/etc/passwd", workspace.join("passwd-link")).expect("link");
        let secret = top.join("work/secret.txt");
        std::fs::write(&secret, "not for the image\n").expect("write the secret");
        let home = top.join("home");
        std::fs::create_dir_all(home.join(".config")).expect("HOME");
        std::fs::create_dir_all(home.join(".cache")).expect("HOME");
        Sandbox {
            _dir: dir,
            top,
            workspace,
            home,
            secret,
        }
    }

    /// `program args...` with the temporary HOME and XDG directories, in the workspace.
    fn command(&self, program: &str, args: &[&str]) -> Command {
        let mut command = Command::new(program);
        command
            .args(args)
            .current_dir(&self.workspace)
            .env("HOME", &self.home)
            .env("XDG_CONFIG_HOME", self.home.join(".config"))
            .env("XDG_CACHE_HOME", self.home.join(".cache"))
            .env("DOCKSIDE_TODAY", TODAY)
            // cargo's library path for tests would send the loader through target/ and the
            // toolchain; the binary needs only the system's C library.
            .env_remove("LD_LIBRARY_PATH")
            .env_remove("DOCKSIDE_CACHE_DIR")
            .env_remove("DOCKER_CONFIG");
        command
    }

    /// `dockside ARGS` under strace, writing the trace to `trace`.
    fn traced(&self, trace: &Path, args: &[&str]) -> Command {
        let trace = trace.to_string_lossy().into_owned();
        let mut full = vec![
            "-f",
            "-qq",
            "-y",
            "-s",
            "4096",
            "-e",
            "trace=%network,%process,%file",
            "-o",
            &trace,
            "--",
            BINARY,
        ];
        full.extend_from_slice(args);
        self.command("strace", &full)
    }

    /// Why the binary may look at `path` outside the workspace; `None`: it may not.
    fn reason_outside(&self, path: &Path, pids: &BTreeSet<String>) -> Option<&'static str> {
        let text = path.to_string_lossy();
        if path.starts_with(&self.home) {
            return Some("the temporary HOME and XDG directories (configuration and caches)");
        }
        if path == Path::new(BINARY)
            || Path::new(BINARY).canonicalize().ok().as_deref() == Some(path)
        {
            return Some("the program's own executable");
        }
        if ["/etc/ld.so.cache", "/etc/ld.so.preload"].contains(&text.as_ref())
            || ["/lib", "/lib64", "/usr/lib", "/usr/lib64"]
                .iter()
                .any(|dir| path.starts_with(dir))
        {
            return Some("the dynamic loader: the C library and libgcc");
        }
        if let Ok(rest) = path.strip_prefix("/proc") {
            let first = rest.components().next();
            let own = first.is_some_and(|c| {
                let c = c.as_os_str().to_string_lossy();
                c == "self" || c == "thread-self" || pids.contains(c.as_ref())
            });
            if own {
                return Some(
                    "the process's own /proc entries (memory map for stack guards, cgroup)",
                );
            }
        }
        if text == "/proc/sys/vm/overcommit_memory"
            || text == "/sys/kernel/mm/transparent_hugepage/enabled"
            || path.starts_with("/sys/devices/system/node")
        {
            return Some(
                "the memory allocator (mimalloc) reads the kernel's memory settings and NUMA nodes",
            );
        }
        if path.starts_with("/sys/fs/cgroup") || path.starts_with("/sys/devices/system/cpu") {
            return Some("how many CPUs the process may use (std::thread::available_parallelism)");
        }
        // The folders above the workspace.
        if self.workspace.starts_with(path) {
            return Some("the folders above the workspace, as folders (path normalisation)");
        }
        let parent = path.parent()?;
        if !self.workspace.starts_with(parent) {
            return None;
        }
        match path.file_name()?.to_str()? {
            "Directory.Build.props" | "Directory.Build.targets" | "Directory.Packages.props" => {
                Some("MSBuild imports these from every folder above a project, and so does the evaluator")
            }
            "dockside.toml" | ".hadolint.yaml" | ".hadolint.yml" => {
                Some("configuration is looked up in the folders above, as hadolint and ruff do")
            }
            _ => None,
        }
    }
}

/// Fails the test when strace is missing or cannot trace here.
fn require_strace(sandbox: &Sandbox) {
    let trace = sandbox.top.join("preflight.trace");
    let output = sandbox
        .traced(&trace, &["--version"])
        .output()
        .unwrap_or_else(|error| {
            panic!(
                "these tests need strace ({error}): `apt-get install strace`; .ci/run installs it"
            )
        });
    let text = std::fs::read_to_string(&trace).unwrap_or_default();
    assert!(
        output.status.success() && text.contains(&format!("execve(\"{BINARY}\"")),
        "strace cannot trace the binary here (is ptrace allowed?): status {}\nstderr:\n{}\ntrace:\n{text}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
}

// ---------------------------------------------------------------------------------------
// Reading the trace

/// One system call of the trace (an unfinished call joined with its resumption).
#[derive(Debug)]
struct Call {
    pid: String,
    name: String,
    args: Vec<String>,
    result: String,
    line: String,
}

fn parse_trace(text: &str) -> Vec<Call> {
    let mut calls = Vec::new();
    let mut unfinished: HashMap<String, String> = HashMap::new();
    for line in text.lines() {
        let Some((pid, rest)) = line.split_once(' ') else {
            continue;
        };
        let rest = rest.trim_start();
        if rest.starts_with("---") || rest.starts_with("+++") {
            continue;
        }
        let full = if let Some(resumed) = rest.strip_prefix("<... ") {
            let Some((_, tail)) = resumed.split_once(" resumed>") else {
                continue;
            };
            match unfinished.remove(pid) {
                Some(head) => format!("{head}{tail}"),
                None => continue,
            }
        } else if let Some(head) = rest.strip_suffix(" <unfinished ...>") {
            unfinished.insert(pid.to_string(), head.to_string());
            continue;
        } else {
            rest.to_string()
        };
        let Some(open) = full.find('(') else {
            continue;
        };
        let name = full[..open].to_string();
        let (call, result) = match full.rsplit_once(") = ") {
            Some((call, result)) => (call.to_string(), result.to_string()),
            None => (full.trim_end_matches(')').to_string(), String::new()),
        };
        let args = split_args(call.get(open + 1..).unwrap_or_default());
        calls.push(Call {
            pid: pid.to_string(),
            name,
            args,
            result,
            // A resumed call's own line lacks the arguments (clone3's flags among them).
            line: format!("{pid} {full}"),
        });
    }
    calls
}

/// Splits strace's argument list at the commas outside strings, brackets and `<...>`.
fn split_args(text: &str) -> Vec<String> {
    let mut args = Vec::new();
    let mut current = String::new();
    let mut depth = 0i32;
    let mut in_string = false;
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        current.push(c);
        if in_string {
            match c {
                '\\' => current.extend(chars.next()),
                '"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => in_string = true,
            '(' | '[' | '{' | '<' => depth += 1,
            ')' | ']' | '}' | '>' => depth -= 1,
            ',' if depth == 0 => {
                current.pop();
                args.push(current.trim().to_string());
                current.clear();
            }
            _ => {}
        }
    }
    if !current.trim().is_empty() {
        args.push(current.trim().to_string());
    }
    args
}

/// The bytes of a strace string literal (`"..."`, with C escapes).
fn unquote(arg: &str) -> Option<PathBuf> {
    let inner = arg.strip_prefix('"')?;
    let inner = inner
        .strip_suffix('"')
        .or_else(|| inner.strip_suffix("\"..."))?;
    let mut bytes = Vec::new();
    let mut chars = inner.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            let mut buf = [0; 4];
            bytes.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
            continue;
        }
        match chars.next()? {
            'n' => bytes.push(b'\n'),
            't' => bytes.push(b'\t'),
            'r' => bytes.push(b'\r'),
            'v' => bytes.push(0x0b),
            'f' => bytes.push(0x0c),
            'x' => {
                let hex: String = [chars.next()?, chars.next()?].iter().collect();
                bytes.push(u8::from_str_radix(&hex, 16).ok()?);
            }
            digit @ '0'..='7' => {
                let mut value = digit.to_digit(8)?;
                while let Some(next) = chars.peek().and_then(|c| c.to_digit(8)) {
                    if value * 8 + next > 255 {
                        break;
                    }
                    value = value * 8 + next;
                    chars.next();
                }
                bytes.push(value as u8);
            }
            other => {
                let mut buf = [0; 4];
                bytes.extend_from_slice(other.encode_utf8(&mut buf).as_bytes());
            }
        }
    }
    Some(PathBuf::from(OsString::from_vec(bytes)))
}

/// The path in a `-y` decoration: `3</etc/ssl>` or `AT_FDCWD</work>`.
fn decorated(arg: &str) -> Option<PathBuf> {
    let start = arg.find('<')?;
    let inner = arg[start + 1..].strip_suffix('>')?;
    if inner.starts_with("socket:")
        || inner.starts_with("pipe:")
        || inner.starts_with("anon_inode:")
    {
        return None;
    }
    Some(PathBuf::from(inner))
}

/// Where the kernel takes `path`: symbolic links followed (the last one only if
/// `follow_last`), `..` applied after them. Missing components are kept as written.
fn effective(path: &Path, follow_last: bool) -> PathBuf {
    // The components still to walk, the next one last.
    fn push(pending: &mut Vec<Option<OsString>>, path: &Path) {
        let steps: Vec<Option<OsString>> = path
            .components()
            .filter_map(|c| match c {
                Component::Normal(name) => Some(Some(name.to_os_string())),
                Component::ParentDir => Some(None),
                _ => None,
            })
            .collect();
        pending.extend(steps.into_iter().rev());
    }
    // /proc/self is the traced process, not this one.
    if path.starts_with("/proc") {
        return path.to_path_buf();
    }
    let mut pending = Vec::new();
    push(&mut pending, path);
    let mut physical = PathBuf::from("/");
    let mut links = 0;
    while let Some(step) = pending.pop() {
        let Some(name) = step else {
            physical.pop();
            continue;
        };
        let candidate = physical.join(&name);
        let follow = !pending.is_empty() || follow_last;
        let target = if follow && links < 40 {
            std::fs::read_link(&candidate).ok()
        } else {
            None
        };
        match target {
            Some(target) => {
                links += 1;
                if target.has_root() {
                    physical = PathBuf::from("/");
                }
                push(&mut pending, &target);
            }
            None => physical = candidate,
        }
    }
    physical
}

/// A file system access: the path as the kernel resolves it, and whether it writes.
#[derive(Debug)]
struct Access {
    path: PathBuf,
    writes: bool,
    line: String,
}

fn has_flag(arg: Option<&String>, flag: &str) -> bool {
    arg.is_some_and(|a| a.split(['|', ' ', '{', '}', '=', ',']).any(|f| f == flag))
}

/// The file system accesses of a call of the %file class. Panics on a call it does not
/// know, so that a new kind of access cannot slip through unchecked.
fn accesses(call: &Call, cwd: &Path) -> Vec<Access> {
    let arg = |i: usize| call.args.get(i);
    // (index of the dirfd argument, index of the path argument)
    let at = |dirfd: Option<usize>, index: usize| -> Option<PathBuf> {
        let path = unquote(arg(index)?)?;
        if path.has_root() {
            return Some(path);
        }
        let base = match dirfd {
            Some(i) => decorated(arg(i)?)?,
            None => cwd.to_path_buf(),
        };
        Some(if path.as_os_str().is_empty() {
            base
        } else {
            base.join(path)
        })
    };
    let open_writes = |flags: Option<&String>| {
        ["O_WRONLY", "O_RDWR", "O_CREAT", "O_TRUNC"]
            .iter()
            .any(|f| has_flag(flags, f))
    };
    // (dirfd, path index, follow the last link, writes)
    let spec: Vec<(Option<usize>, usize, bool, bool)> = match call.name.as_str() {
        "execve" | "stat" | "access" | "statfs" | "chdir" => vec![(None, 0, true, false)],
        "lstat" | "readlink" => vec![(None, 0, false, false)],
        "open" => vec![(
            None,
            0,
            !has_flag(arg(1), "O_NOFOLLOW"),
            open_writes(arg(1)),
        )],
        "openat" | "openat2" => vec![(
            Some(0),
            1,
            !has_flag(arg(2), "O_NOFOLLOW"),
            open_writes(arg(2)),
        )],
        "newfstatat" | "fstatat64" | "faccessat" | "faccessat2" => {
            vec![(Some(0), 1, !has_flag(arg(3), "AT_SYMLINK_NOFOLLOW"), false)]
        }
        "statx" => vec![(Some(0), 1, !has_flag(arg(2), "AT_SYMLINK_NOFOLLOW"), false)],
        "readlinkat" => vec![(Some(0), 1, false, false)],
        "mkdir" | "rmdir" | "unlink" | "chmod" | "chown" | "truncate" | "creat" | "utimes" => {
            vec![(None, 0, false, true)]
        }
        "rename" | "link" => vec![(None, 0, false, true), (None, 1, false, true)],
        "symlink" => vec![(None, 1, false, true)],
        "mkdirat" | "unlinkat" | "fchmodat" | "fchownat" | "utimensat" | "mknodat" => {
            vec![(Some(0), 1, false, true)]
        }
        "renameat" | "renameat2" | "linkat" => {
            vec![(Some(0), 1, false, true), (Some(2), 3, false, true)]
        }
        "symlinkat" => vec![(Some(1), 2, false, true)],
        "getcwd" => vec![],
        other => panic!(
            "the trace has a file system call this test does not know how to check: {other}\n{}",
            call.line
        ),
    };
    let mut out = Vec::new();
    for (dirfd, index, follow, writes) in spec {
        if let Some(path) = at(dirfd, index) {
            out.push(Access {
                path: effective(&path, follow),
                writes,
                line: call.line.clone(),
            });
        }
    }
    // What a successful open really opened.
    if call.name.starts_with("open") {
        if let Some(path) = decorated(&call.result) {
            out.push(Access {
                path,
                writes: false,
                line: call.line.clone(),
            });
        }
    }
    out
}

const NETWORK_CALLS: [&str; 18] = [
    "socket",
    "socketpair",
    "bind",
    "connect",
    "listen",
    "accept",
    "accept4",
    "getsockname",
    "getpeername",
    "sendto",
    "recvfrom",
    "sendmsg",
    "recvmsg",
    "sendmmsg",
    "recvmmsg",
    "shutdown",
    "setsockopt",
    "getsockopt",
];

/// The trace of one run, parsed.
struct Trace {
    calls: Vec<Call>,
}

impl Trace {
    fn read(path: &Path) -> Trace {
        let text = std::fs::read_to_string(path)
            .unwrap_or_else(|error| panic!("no trace at {}: {error}", path.display()));
        let calls = parse_trace(&text);
        let first = calls.first().map(|c| c.line.as_str()).unwrap_or_default();
        assert!(
            first.contains(&format!("execve(\"{BINARY}\"")),
            "the trace does not start with the binary's execve: strace did not trace it\n{}",
            text.lines().take(20).collect::<Vec<_>>().join("\n")
        );
        Trace { calls }
    }

    fn pids(&self) -> BTreeSet<String> {
        self.calls.iter().map(|c| c.pid.clone()).collect()
    }

    fn lines_of(&self, names: &[&str]) -> Vec<&str> {
        self.calls
            .iter()
            .filter(|c| names.contains(&c.name.as_str()))
            .map(|c| c.line.as_str())
            .collect()
    }

    /// One execve (the binary); every clone makes a thread; no fork.
    fn assert_executes_nothing(&self) {
        let execs = self.lines_of(&["execve", "execveat"]);
        assert_eq!(
            execs.len(),
            1,
            "more than the binary was executed:\n{}",
            execs.join("\n")
        );
        let clones = self.lines_of(&["clone", "clone3", "fork", "vfork"]);
        let processes: Vec<&&str> = clones
            .iter()
            .filter(|line| !line.contains("CLONE_THREAD"))
            .collect();
        assert!(
            processes.is_empty(),
            "a child process was created:\n{processes:#?}"
        );
    }

    fn assert_no_network(&self) {
        let network = self.lines_of(&NETWORK_CALLS);
        assert!(
            network.is_empty(),
            "socket system calls with registry look-ups off:\n{}",
            network.join("\n")
        );
    }

    /// The file system accesses of the process, which ran in `cwd`.
    fn accesses(&self, cwd: &Path) -> Vec<Access> {
        let file_calls = self
            .calls
            .iter()
            .filter(|c| !NETWORK_CALLS.contains(&c.name.as_str()))
            .filter(|c| {
                ![
                    "clone",
                    "clone3",
                    "fork",
                    "vfork",
                    "exit",
                    "exit_group",
                    "wait4",
                    "waitid",
                    "kill",
                    "tkill",
                    "tgkill",
                    "execveat",
                    "rt_sigqueueinfo",
                    "rt_tgsigqueueinfo",
                    "pidfd_open",
                    "pidfd_send_signal",
                    "arch_prctl",
                    "unshare",
                    "setns",
                    "prctl",
                    "seccomp",
                ]
                .contains(&c.name.as_str())
            });
        file_calls.flat_map(|call| accesses(call, cwd)).collect()
    }

    /// Nothing written; nothing outside the workspace looked at without a reason; none of
    /// `forbidden` (or anything below them) looked at at all. Returns the reasons used.
    fn assert_confined(&self, sandbox: &Sandbox, forbidden: &[PathBuf]) -> BTreeSet<&'static str> {
        let pids = self.pids();
        let mut reasons = BTreeSet::new();
        let mut problems = Vec::new();
        for access in self.accesses(&sandbox.workspace) {
            if access.writes {
                problems.push(format!("writes: {}", access.line));
            }
            if let Some(bad) = forbidden.iter().find(|f| access.path.starts_with(f)) {
                problems.push(format!(
                    "looks at {} ({}): {}",
                    access.path.display(),
                    bad.display(),
                    access.line
                ));
                continue;
            }
            if access.path.starts_with(&sandbox.workspace) {
                continue;
            }
            match sandbox.reason_outside(&access.path, &pids) {
                Some(reason) => {
                    reasons.insert(reason);
                }
                None => problems.push(format!(
                    "outside the workspace: {}: {}",
                    access.path.display(),
                    access.line
                )),
            }
        }
        let shown: Vec<&String> = problems.iter().take(40).collect();
        assert!(
            problems.is_empty(),
            "{} forbidden accesses; the first ones:\n{}",
            problems.len(),
            shown
                .iter()
                .map(|p| p.as_str())
                .collect::<Vec<_>>()
                .join("\n")
        );
        reasons
    }

    fn touched(&self, sandbox: &Sandbox, path: &Path) -> bool {
        self.accesses(&sandbox.workspace)
            .iter()
            .any(|a| a.path == path)
    }
}

/// The paths of the hostile Dockerfile's sources, and the link target, that must never be
/// looked at.
fn forbidden(sandbox: &Sandbox) -> Vec<PathBuf> {
    vec![
        PathBuf::from("/etc/passwd"),
        PathBuf::from("/etc/shadow"),
        PathBuf::from("/etc/ssl"),
        sandbox.secret.clone(),
        sandbox.top.join("etc"),
    ]
}

// ---------------------------------------------------------------------------------------
// The editor session

/// The server started by `command`, initialized like VS Code with the workspace folder,
/// after indexing ended.
fn start(command: Command, sandbox: &Sandbox) -> LspClient {
    let mut client = LspClient::spawn(command);
    let mut capabilities = vscode_capabilities(false);
    capabilities["workspace"]["configuration"] = json!(false);
    let mut params = initialize_params(capabilities);
    let root = file_uri(&sandbox.workspace);
    params["rootUri"] = json!(root);
    params["workspaceFolders"] = json!([{"uri": root, "name": "microservices"}]);
    client.request("initialize", params).expect("initialize");
    client.notify("initialized", json!({}));
    client.wait_for("the end of indexing", |m| {
        m["method"] == "$/progress" && m["params"]["value"]["kind"] == "end"
    });
    client
}

fn at(uri: &str, line: u64, character: u64) -> Value {
    json!({"textDocument": {"uri": uri}, "position": {"line": line, "character": character}})
}

fn labels(completion: &Value) -> Vec<String> {
    completion["items"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|item| item["label"].as_str().map(str::to_string))
        .collect()
}

fn code_actions(client: &mut LspClient, uri: &str, lines: u64, diagnostics: &[Value]) -> Value {
    client
        .request(
            "textDocument/codeAction",
            json!({
                "textDocument": {"uri": uri},
                "range": {"start": {"line": 0, "character": 0}, "end": {"line": lines, "character": 0}},
                "context": {"diagnostics": diagnostics},
            }),
        )
        .expect("code actions")
}

fn hover_text(client: &mut LspClient, uri: &str, line: u64, character: u64) -> Value {
    client
        .request("textDocument/hover", at(uri, line, character))
        .expect("hover")
}

/// Does what an editor does on the workspace, checks the answers that show the features
/// ran, and returns every answer (to compare runs).
fn editor_session(client: &mut LspClient, sandbox: &Sandbox) -> Value {
    let mut record = serde_json::Map::new();
    let orders = sandbox
        .workspace
        .join("src/Services/Orders/Orders.Api/Dockerfile");
    let uri = file_uri(&orders);
    let text = std::fs::read_to_string(&orders).expect("the Orders Dockerfile");
    let lines = text.lines().count() as u64;
    client.open(&uri, 1, &text);
    let diagnostics = client.diagnostics(&uri, 1);
    assert!(
        !diagnostics.is_empty(),
        "the Orders Dockerfile has findings"
    );
    record.insert("orders diagnostics".into(), json!(diagnostics));

    // Hover on the project file of a COPY (line 6 of the file).
    let hover = hover_text(client, &uri, 5, 10);
    assert!(
        hover["contents"]["value"]
            .as_str()
            .is_some_and(|v| v
                .starts_with("**C# project `src/Services/Orders/Orders.Api/Orders.Api.csproj`**")),
        "{hover}"
    );
    record.insert("hover".into(), hover);

    let links = client
        .request(
            "textDocument/documentLink",
            json!({"textDocument": {"uri": uri}}),
        )
        .expect("document links");
    let project = file_uri(
        &sandbox
            .workspace
            .join("src/Services/Orders/Orders.Api/Orders.Api.csproj"),
    );
    assert!(
        links
            .as_array()
            .into_iter()
            .flatten()
            .any(|l| l["target"] == project),
        "{links}"
    );
    record.insert("links".into(), links);

    let actions = code_actions(client, &uri, lines, &diagnostics);
    assert!(
        actions.as_array().is_some_and(|a| !a.is_empty()),
        "{actions}"
    );
    record.insert("actions".into(), actions);

    // Typing a COPY source: completion from the build context.
    let end = json!({"line": lines, "character": 0});
    client.change(
        &uri,
        2,
        vec![json!({"range": {"start": end, "end": end}, "text": "COPY src/"})],
    );
    let completion = client
        .request("textDocument/completion", at(&uri, lines, 9))
        .expect("completion");
    let found = labels(&completion);
    assert!(
        found.contains(&"Services/".to_string()) && found.contains(&"Shared/".to_string()),
        "{found:?}"
    );
    record.insert("completion".into(), json!(found));
    client.change(
        &uri,
        3,
        vec![json!({"range": {"start": end, "end": {"line": lines, "character": 9}}, "text": "COPY src/Shared/ src/Shared/\n"})],
    );
    record.insert(
        "orders diagnostics v3".into(),
        json!(client.diagnostics(&uri, 3)),
    );

    let symbols = client
        .request("workspace/symbol", json!({"query": ""}))
        .expect("workspace symbols");
    let names: BTreeSet<&str> = symbols
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|s| s["name"].as_str())
        .collect();
    assert!(
        names.contains("build") && names.contains("final"),
        "{names:?}"
    );
    record.insert("symbols".into(), symbols.clone());

    // The hostile Dockerfile.
    let hostile = file_uri(&sandbox.workspace.join("Dockerfile.hostile"));
    client.open(&hostile, 1, HOSTILE);
    let diagnostics = client.diagnostics(&hostile, 1);
    let findings: Vec<(u64, u64, u64, String)> = diagnostics
        .iter()
        .filter(|d| d["code"] == "CopySourceMissing")
        .map(|d| {
            assert_eq!(d["severity"], 1, "{d}");
            assert_eq!(
                d["range"]["start"]["line"], d["range"]["end"]["line"],
                "{d}"
            );
            (
                d["range"]["start"]["line"].as_u64().unwrap_or(99),
                d["range"]["start"]["character"].as_u64().unwrap_or(99),
                d["range"]["end"]["character"].as_u64().unwrap_or(99),
                d["message"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    assert_eq!(findings, hostile_findings());
    record.insert("hostile diagnostics".into(), json!(diagnostics));
    // Hover on every source, the build context, links and actions.
    for (line, character) in [(2, 8), (3, 8), (4, 6), (5, 8), (6, 8), (7, 8), (8, 8)] {
        let hover = hover_text(client, &hostile, line, character);
        record.insert(format!("hostile hover {line}"), hover);
    }
    let links = client
        .request(
            "textDocument/documentLink",
            json!({"textDocument": {"uri": hostile}}),
        )
        .expect("document links");
    record.insert("hostile links".into(), links);
    let actions = code_actions(client, &hostile, 9, &diagnostics);
    record.insert("hostile actions".into(), actions);
    // Completion inside the link to /etc offers nothing from /etc.
    let end = json!({"line": 9, "character": 0});
    client.change(
        &hostile,
        2,
        vec![json!({"range": {"start": end, "end": end}, "text": "COPY link-to-etc/"})],
    );
    let completion = client
        .request("textDocument/completion", at(&hostile, 9, 17))
        .expect("completion");
    let offered = labels(&completion);
    assert!(
        !offered
            .iter()
            .any(|l| l.contains("passwd") || l.contains("shadow")),
        "{offered:?}"
    );
    record.insert("hostile completion".into(), json!(offered));
    Value::Object(record)
}

// ---------------------------------------------------------------------------------------
// The tests

#[test]
fn the_language_server_executes_nothing_opens_no_socket_and_reads_nothing_outside_the_workspace() {
    let sandbox = Sandbox::new();
    require_strace(&sandbox);
    let trace_path = sandbox.top.join("lsp.trace");
    let mut client = start(sandbox.traced(&trace_path, &["lsp"]), &sandbox);
    editor_session(&mut client, &sandbox);
    assert!(client.shutdown_and_exit().success());

    let trace = Trace::read(&trace_path);
    trace.assert_executes_nothing();
    trace.assert_no_network();
    let reasons = trace.assert_confined(&sandbox, &forbidden(&sandbox));
    // The trace saw the work: the solution's project files were read, and the link to /etc
    // was looked at as a link, never followed.
    let project = sandbox
        .workspace
        .join("src/Services/Orders/Orders.Api/Orders.Api.csproj");
    assert!(
        trace.touched(&sandbox, &project),
        "the trace shows no read of {}",
        project.display()
    );
    assert!(
        trace.calls.iter().any(|c| c.line.contains(&format!(
            "\"{}\"",
            sandbox.workspace.join("link-to-etc").display()
        ))),
        "the trace shows no look at the link"
    );
    assert!(
        reasons.contains("the dynamic loader: the C library and libgcc"),
        "{reasons:#?}"
    );
}

#[test]
fn check_reports_sources_outside_the_context_without_reading_them() {
    let sandbox = Sandbox::new();
    require_strace(&sandbox);
    let trace_path = sandbox.top.join("check.trace");
    let workspace = sandbox.workspace.to_string_lossy().into_owned();
    let output = sandbox
        .traced(&trace_path, &["check", "--format", "json", &workspace])
        .output()
        .expect("run dockside check under strace");
    assert_eq!(
        output.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let report: Value = serde_json::from_slice(&output.stdout).expect("JSON output");
    let hostile = sandbox.workspace.join("Dockerfile.hostile");
    let findings: Vec<(u64, u64, u64, String)> = report
        .as_array()
        .expect("an array")
        .iter()
        .filter(|d| {
            d["file"] == hostile.to_string_lossy().as_ref() && d["code"] == "CopySourceMissing"
        })
        .map(|d| {
            assert_eq!(d["severity"], "error");
            (
                d["range"]["start"]["line"].as_u64().unwrap_or(99),
                d["range"]["start"]["character"].as_u64().unwrap_or(99),
                d["range"]["end"]["character"].as_u64().unwrap_or(99),
                d["message"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    assert_eq!(findings, hostile_findings());

    let trace = Trace::read(&trace_path);
    trace.assert_executes_nothing();
    trace.assert_no_network();
    trace.assert_confined(&sandbox, &forbidden(&sandbox));
    assert!(
        trace.touched(&sandbox, &hostile),
        "the trace shows no read of the hostile Dockerfile"
    );
}

/// `unshare -rn`: a new user and network namespace, where there is no network at all.
fn without_network(sandbox: &Sandbox, args: &[&str]) -> Command {
    let mut full = vec!["-rn", "--", BINARY];
    full.extend_from_slice(args);
    sandbox.command("unshare", &full)
}

fn output_of(mut command: Command) -> Output {
    command.output().expect("run dockside")
}

#[test]
fn with_no_network_at_all_the_answers_are_the_same() {
    let sandbox = Sandbox::new();
    // The namespace really has no network: only a loopback interface, and it is down.
    let probe = sandbox
        .command("unshare", &["-rn", "--", "cat", "/proc/net/dev"])
        .output()
        .unwrap_or_else(|error| panic!("this test needs util-linux's unshare: {error}"));
    let devices = String::from_utf8_lossy(&probe.stdout);
    assert!(
        probe.status.success(),
        "`unshare -rn` cannot make a network namespace here (user namespaces off?): {}",
        String::from_utf8_lossy(&probe.stderr)
    );
    let interfaces: Vec<&str> = devices
        .lines()
        .skip(2)
        .filter_map(|line| line.split(':').next().map(str::trim))
        .collect();
    assert_eq!(interfaces, ["lo"], "{devices}");

    let workspace = sandbox.workspace.to_string_lossy().into_owned();
    let args = ["check", "--format", "json", workspace.as_str()];
    let isolated = output_of(without_network(&sandbox, &args));
    let normal = output_of(sandbox.command(BINARY, &args));
    assert_eq!(isolated.status.code(), Some(1));
    assert_eq!(isolated.status.code(), normal.status.code());
    assert_eq!(
        String::from_utf8_lossy(&isolated.stdout),
        String::from_utf8_lossy(&normal.stdout)
    );

    let mut client = start(without_network(&sandbox, &["lsp"]), &sandbox);
    let isolated = editor_session(&mut client, &sandbox);
    assert!(client.shutdown_and_exit().success());
    let mut client = start(sandbox.command(BINARY, &["lsp"]), &sandbox);
    let normal = editor_session(&mut client, &sandbox);
    assert!(client.shutdown_and_exit().success());
    assert_eq!(isolated, normal);
}

#[test]
fn with_registry_look_ups_on_connections_go_to_the_registry_only() {
    let registry = registry_support::Registry::start();
    registry_support::push_test_images(&registry, "team/app");
    let host = registry.host();
    let sandbox = Sandbox::new();
    require_strace(&sandbox);
    let trace_path = sandbox.top.join("registry.trace");
    let mut client = LspClient::spawn(sandbox.traced(&trace_path, &["lsp"]));
    let mut capabilities = vscode_capabilities(true);
    capabilities["workspace"]["configuration"] = json!(false);
    let mut params = initialize_params(capabilities);
    params["initializationOptions"] =
        json!({"dockside": {"registry": {"enabled": true, "insecure": [host]}}});
    client.request("initialize", params).expect("initialize");
    client.notify("initialized", json!({}));
    let uri = file_uri(&sandbox.top.join("elsewhere/Dockerfile"));
    client.open(&uri, 1, &format!("FROM {host}/team/app:1.0\n"));
    client.diagnostics(&uri, 1);
    // The look-up ends with a refresh request; then the hover shows what the registry said.
    let refresh = client.wait_for("the inlay hint refresh", |m| {
        m["method"] == "workspace/inlayHint/refresh"
    });
    client.send(&json!({"jsonrpc": "2.0", "id": refresh["id"], "result": null}));
    let hover = hover_text(&mut client, &uri, 0, 8);
    let shown = hover["contents"]["value"].as_str().unwrap_or_default();
    assert!(shown.contains("(registry, as of "), "{shown}");
    assert!(client.shutdown_and_exit().success());

    let trace = Trace::read(&trace_path);
    trace.assert_executes_nothing();
    let connects = trace.lines_of(&["connect"]);
    assert!(
        !connects.is_empty(),
        "no connection to the registry in the trace"
    );
    let port = host.rsplit(':').next().unwrap_or_default();
    let expected = format!("sin_port=htons({port}), sin_addr=inet_addr(\"127.0.0.1\")");
    let elsewhere: Vec<&&str> = connects.iter().filter(|l| !l.contains(&expected)).collect();
    assert!(
        elsewhere.is_empty(),
        "connections elsewhere than {host}:\n{elsewhere:#?}"
    );
    let listening = trace.lines_of(&["bind", "listen", "accept", "accept4"]);
    assert!(
        listening.is_empty(),
        "the server listens:\n{}",
        listening.join("\n")
    );
}

#[test]
fn a_clone_split_by_another_thread_keeps_its_flags() {
    let trace = Trace {
        calls: parse_trace(concat!(
            "100 execve(\"/bin/dockside\", [\"dockside\"], 0x7ffd /* 3 vars */) = 0\n",
            "100 clone3({flags=CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|CLONE_THREAD|CLONE_SYSVSEM, ",
            "child_tid=0x7f, parent_tid=0x7f, exit_signal=0, stack=0x7f, stack_size=0x1ff00, tls=0x7f} <unfinished ...>\n",
            "101 futex(0x7f, FUTEX_WAKE_PRIVATE, 1) = 0\n",
            "100 <... clone3 resumed> => {parent_tid=[101]}, 88) = 101\n",
        )),
    };
    assert_eq!(trace.calls.len(), 3);
    assert!(trace.calls[2].line.contains("CLONE_THREAD"));
    trace.assert_executes_nothing();
}
