//! What Dockside knows about Dockerfile syntax and the `dotnet` CLI, shared by completion,
//! hover and signature help: instructions with their forms, flags, `--mount` options, parser
//! directives, BuildKit check names and `dotnet` subcommands with their options.

use crate::syntax::Keyword;

const REFERENCE: &str = "https://docs.docker.com/reference/dockerfile/";

/// What an argument position of a signature means, for choosing the active parameter.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ParamRole {
    /// A flag, by name without dashes.
    Flag(&'static str),
    /// The n-th argument word or JSON element.
    Arg(usize),
    /// The n-th argument and every later one.
    ArgsFrom(usize),
    /// Every argument but the last (COPY/ADD sources).
    NotLast,
    /// The last argument when there are at least two (COPY/ADD destination).
    Last,
    /// The whole shell command.
    Command,
    /// The part of the current word before (`Before`) or after (`After`) a separator.
    Before(char),
    After(char),
}

pub(crate) struct ParamInfo {
    /// A substring of the signature label, unique in it.
    pub label: &'static str,
    pub doc: &'static str,
    pub role: ParamRole,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Form {
    Any,
    /// JSON (exec) form.
    Json,
    /// Shell or plain word form.
    Plain,
    /// HEALTHCHECK NONE.
    HealthcheckNone,
}

pub(crate) struct SignatureInfo {
    pub label: &'static str,
    pub doc: &'static str,
    pub form: Form,
    pub params: &'static [ParamInfo],
}

pub(crate) struct InstructionInfo {
    pub keyword: Keyword,
    pub summary: &'static str,
    pub anchor: &'static str,
    pub signatures: &'static [SignatureInfo],
}

impl InstructionInfo {
    pub fn url(&self) -> String {
        format!("{REFERENCE}#{}", self.anchor)
    }

    /// Hover and completion documentation in markdown.
    pub fn markdown(&self) -> String {
        let mut out = format!("**{}**\n\n", self.keyword.as_str());
        out.push_str("```dockerfile\n");
        for sig in self.signatures {
            out.push_str(sig.label);
            out.push('\n');
        }
        out.push_str("```\n\n");
        out.push_str(self.summary);
        out.push_str(&format!("\n\n[Dockerfile reference]({})", self.url()));
        out
    }
}

macro_rules! p {
    ($label:expr, $role:expr, $doc:expr) => {
        ParamInfo {
            label: $label,
            doc: $doc,
            role: $role,
        }
    };
}

const P_PLATFORM: ParamInfo = p!(
    "[--platform=<platform>]",
    ParamRole::Flag("platform"),
    "The platform of the image, e.g. `linux/amd64` or `$BUILDPLATFORM`."
);
const P_MOUNT: ParamInfo = p!(
    "[--mount=<mount>]",
    ParamRole::Flag("mount"),
    "Mounts a cache, bind, secret, ssh or tmpfs mount while the command runs."
);
const P_NETWORK: ParamInfo = p!(
    "[--network=<network>]",
    ParamRole::Flag("network"),
    "`default`, `none` or `host`."
);
const P_SECURITY: ParamInfo = p!(
    "[--security=<security>]",
    ParamRole::Flag("security"),
    "`sandbox` (default) or `insecure`."
);
const P_CHOWN: ParamInfo = p!(
    "[--chown=<user>:<group>]",
    ParamRole::Flag("chown"),
    "Owner of the copied files (Linux containers)."
);
const P_CHMOD: ParamInfo = p!(
    "[--chmod=<perms>]",
    ParamRole::Flag("chmod"),
    "Permissions of the copied files, octal (`755`) or symbolic."
);
const P_LINK: ParamInfo = p!(
    "[--link]",
    ParamRole::Flag("link"),
    "Copies into an independent layer that survives changes of earlier layers."
);
const P_EXCLUDE: ParamInfo = p!(
    "[--exclude=<path>]",
    ParamRole::Flag("exclude"),
    "A path or pattern to leave out (repeatable)."
);
const P_FROM_STAGE: ParamInfo = p!(
    "[--from=<stage|image|context>]",
    ParamRole::Flag("from"),
    "Copies from a build stage, an image or a named context instead of the build context."
);
const P_PARENTS: ParamInfo = p!(
    "[--parents]",
    ParamRole::Flag("parents"),
    "Keeps the parent folders of the sources under the destination."
);
const P_CHECKSUM: ParamInfo = p!(
    "[--checksum=<hash>]",
    ParamRole::Flag("checksum"),
    "Verifies a remote source against `sha256:<hash>`."
);
const P_KEEP_GIT_DIR: ParamInfo = p!(
    "[--keep-git-dir]",
    ParamRole::Flag("keep-git-dir"),
    "Keeps the `.git` folder of a Git source."
);
const P_SRC: ParamInfo = p!(
    "<src>",
    ParamRole::NotLast,
    "A source path relative to the build context (wildcards allowed)."
);
const P_DEST: ParamInfo = p!(
    "<dest>",
    ParamRole::Last,
    "The destination in the image; relative to WORKDIR. End it with `/` for several sources."
);
const P_JSON_SRC: ParamInfo = p!(
    "\"<src>\"",
    ParamRole::NotLast,
    "A source path relative to the build context (wildcards allowed)."
);
const P_JSON_DEST: ParamInfo = p!(
    "\"<dest>\"",
    ParamRole::Last,
    "The destination in the image; relative to WORKDIR."
);
const P_COMMAND: ParamInfo = p!(
    "<command>",
    ParamRole::Command,
    "A command run by the shell (`/bin/sh -c` on Linux)."
);
const P_EXECUTABLE: ParamInfo = p!(
    "\"<executable>\"",
    ParamRole::Arg(0),
    "The program to run, without a shell."
);
const P_PARAMS: ParamInfo = p!(
    "\"<param>\"",
    ParamRole::ArgsFrom(1),
    "An argument passed to the program as is (no variable substitution)."
);

static INSTRUCTIONS: &[InstructionInfo] = &[
    InstructionInfo {
        keyword: Keyword::Add,
        summary: "Adds files from the build context, URLs or Git repositories to the image. Local tar archives are extracted. Prefer `COPY` for plain files.",
        anchor: "add",
        signatures: &[
            SignatureInfo {
                label: "ADD [--chown=<user>:<group>] [--chmod=<perms>] [--link] [--checksum=<hash>] [--keep-git-dir] [--exclude=<path>] <src> ... <dest>",
                doc: "Adds files, URLs or Git repositories.",
                form: Form::Plain,
                params: &[P_CHOWN, P_CHMOD, P_LINK, P_CHECKSUM, P_KEEP_GIT_DIR, P_EXCLUDE, P_SRC, P_DEST],
            },
            SignatureInfo {
                label: "ADD [--chown=<user>:<group>] [--chmod=<perms>] [--link] [--checksum=<hash>] [--keep-git-dir] [--exclude=<path>] [\"<src>\", ... \"<dest>\"]",
                doc: "JSON form, for paths with spaces.",
                form: Form::Json,
                params: &[P_CHOWN, P_CHMOD, P_LINK, P_CHECKSUM, P_KEEP_GIT_DIR, P_EXCLUDE, P_JSON_SRC, P_JSON_DEST],
            },
        ],
    },
    InstructionInfo {
        keyword: Keyword::Arg,
        summary: "Declares a build argument that `docker build --build-arg` can set. Before the first `FROM` it is global (usable in `FROM` lines); inside a stage it is visible from this line to the end of the stage.",
        anchor: "arg",
        signatures: &[SignatureInfo {
            label: "ARG <name>[=<default value>] ...",
            doc: "Declares build arguments.",
            form: Form::Any,
            params: &[
                p!("<name>", ParamRole::Before('='), "The name of the build argument."),
                p!("[=<default value>]", ParamRole::After('='), "The value used when no `--build-arg` sets it."),
            ],
        }],
    },
    InstructionInfo {
        keyword: Keyword::Cmd,
        summary: "The default command of the container (or the default arguments of `ENTRYPOINT`). Only the last `CMD` of the final stage counts.",
        anchor: "cmd",
        signatures: &[
            SignatureInfo {
                label: "CMD [\"<executable>\", \"<param>\", ...]",
                doc: "Exec form (preferred): runs the program directly, so it receives signals.",
                form: Form::Json,
                params: &[P_EXECUTABLE, P_PARAMS],
            },
            SignatureInfo {
                label: "CMD <command>",
                doc: "Shell form: runs `/bin/sh -c <command>`.",
                form: Form::Plain,
                params: &[P_COMMAND],
            },
        ],
    },
    InstructionInfo {
        keyword: Keyword::Copy,
        summary: "Copies files from the build context, another stage (`--from=<stage>`), an image or a named context into the image.",
        anchor: "copy",
        signatures: &[
            SignatureInfo {
                label: "COPY [--from=<stage|image|context>] [--chown=<user>:<group>] [--chmod=<perms>] [--link] [--parents] [--exclude=<path>] <src> ... <dest>",
                doc: "Copies files.",
                form: Form::Plain,
                params: &[P_FROM_STAGE, P_CHOWN, P_CHMOD, P_LINK, P_PARENTS, P_EXCLUDE, P_SRC, P_DEST],
            },
            SignatureInfo {
                label: "COPY [--from=<stage|image|context>] [--chown=<user>:<group>] [--chmod=<perms>] [--link] [--parents] [--exclude=<path>] [\"<src>\", ... \"<dest>\"]",
                doc: "JSON form, for paths with spaces.",
                form: Form::Json,
                params: &[P_FROM_STAGE, P_CHOWN, P_CHMOD, P_LINK, P_PARENTS, P_EXCLUDE, P_JSON_SRC, P_JSON_DEST],
            },
        ],
    },
    InstructionInfo {
        keyword: Keyword::Entrypoint,
        summary: "The program the container runs; `CMD` supplies its default arguments. Use the exec form so that the program receives signals (`docker stop`).",
        anchor: "entrypoint",
        signatures: &[
            SignatureInfo {
                label: "ENTRYPOINT [\"<executable>\", \"<param>\", ...]",
                doc: "Exec form (preferred).",
                form: Form::Json,
                params: &[P_EXECUTABLE, P_PARAMS],
            },
            SignatureInfo {
                label: "ENTRYPOINT <command>",
                doc: "Shell form: `/bin/sh -c`, ignores CMD and does not receive signals.",
                form: Form::Plain,
                params: &[P_COMMAND],
            },
        ],
    },
    InstructionInfo {
        keyword: Keyword::Env,
        summary: "Sets environment variables for the rest of the stage, for stages built `FROM` it, and in the running container.",
        anchor: "env",
        signatures: &[SignatureInfo {
            label: "ENV <key>=<value> ...",
            doc: "Sets environment variables.",
            form: Form::Any,
            params: &[
                p!("<key>", ParamRole::Before('='), "The variable name."),
                p!("<value>", ParamRole::After('='), "The value; quote it or escape spaces."),
            ],
        }],
    },
    InstructionInfo {
        keyword: Keyword::Expose,
        summary: "Documents the ports the container listens on (it publishes nothing). .NET 8+ images listen on 8080 by default (`ASPNETCORE_HTTP_PORTS`).",
        anchor: "expose",
        signatures: &[SignatureInfo {
            label: "EXPOSE <port>[/<protocol>] ...",
            doc: "Documents listening ports.",
            form: Form::Any,
            params: &[
                p!("<port>", ParamRole::Before('/'), "A port number or range (`8080`, `8000-8010`)."),
                p!("[/<protocol>]", ParamRole::After('/'), "`tcp` (default) or `udp`."),
            ],
        }],
    },
    InstructionInfo {
        keyword: Keyword::From,
        summary: "Starts a build stage from a base image, an earlier stage or `scratch`. `AS <name>` names the stage for `COPY --from`, `--target` and later `FROM` lines.",
        anchor: "from",
        signatures: &[SignatureInfo {
            label: "FROM [--platform=<platform>] <image> [AS <name>]",
            doc: "Starts a build stage.",
            form: Form::Any,
            params: &[
                P_PLATFORM,
                p!("<image>", ParamRole::Arg(0), "`name[:tag][@digest]`, an earlier stage name, or `scratch`. Global ARGs are substituted."),
                p!("AS", ParamRole::Arg(1), "Names the stage."),
                p!("<name>", ParamRole::Arg(2), "The stage name: lower case letters, digits, `-`, `_` and `.`, starting with a letter."),
            ],
        }],
    },
    InstructionInfo {
        keyword: Keyword::Healthcheck,
        summary: "Tells the engine how to test that the container still works (`HEALTHCHECK NONE` disables a check inherited from the base image). Chiseled .NET images have no shell or curl: use the exec form with a program of the app.",
        anchor: "healthcheck",
        signatures: &[
            SignatureInfo {
                label: "HEALTHCHECK [--interval=<duration>] [--timeout=<duration>] [--start-period=<duration>] [--start-interval=<duration>] [--retries=<n>] CMD <command>",
                doc: "Runs the command to check health: exit 0 is healthy, 1 unhealthy.",
                form: Form::Any,
                params: &[
                    p!("[--interval=<duration>]", ParamRole::Flag("interval"), "Time between checks (default `30s`)."),
                    p!("[--timeout=<duration>]", ParamRole::Flag("timeout"), "Time after which a check fails (default `30s`)."),
                    p!("[--start-period=<duration>]", ParamRole::Flag("start-period"), "Start-up time during which failures do not count (default `0s`)."),
                    p!("[--start-interval=<duration>]", ParamRole::Flag("start-interval"), "Time between checks during the start period (default `5s`)."),
                    p!("[--retries=<n>]", ParamRole::Flag("retries"), "Consecutive failures before the container is unhealthy (default `3`)."),
                    p!("CMD", ParamRole::Arg(0), "Introduces the check command."),
                    p!("<command>", ParamRole::ArgsFrom(1), "The check command, shell or JSON form."),
                ],
            },
            SignatureInfo {
                label: "HEALTHCHECK NONE",
                doc: "Disables any health check inherited from the base image.",
                form: Form::HealthcheckNone,
                params: &[p!("NONE", ParamRole::Arg(0), "Disables the health check.")],
            },
        ],
    },
    InstructionInfo {
        keyword: Keyword::Label,
        summary: "Adds metadata to the image, e.g. `org.opencontainers.image.source`.",
        anchor: "label",
        signatures: &[SignatureInfo {
            label: "LABEL <key>=<value> ...",
            doc: "Adds metadata.",
            form: Form::Any,
            params: &[
                p!("<key>", ParamRole::Before('='), "The label key, e.g. `org.opencontainers.image.title`."),
                p!("<value>", ParamRole::After('='), "The label value; quote it if it has spaces."),
            ],
        }],
    },
    InstructionInfo {
        keyword: Keyword::Maintainer,
        summary: "Deprecated: use `LABEL org.opencontainers.image.authors=\"<name>\"` instead.",
        anchor: "maintainer-deprecated",
        signatures: &[SignatureInfo {
            label: "MAINTAINER <name>",
            doc: "Deprecated.",
            form: Form::Any,
            params: &[p!("<name>", ParamRole::ArgsFrom(0), "The author.")],
        }],
    },
    InstructionInfo {
        keyword: Keyword::Onbuild,
        summary: "Registers an instruction that runs when another build uses this image as its base (not `FROM`, `MAINTAINER` or `ONBUILD`).",
        anchor: "onbuild",
        signatures: &[SignatureInfo {
            label: "ONBUILD <INSTRUCTION>",
            doc: "Adds a trigger instruction.",
            form: Form::Any,
            params: &[p!("<INSTRUCTION>", ParamRole::ArgsFrom(0), "Any instruction but FROM, MAINTAINER and ONBUILD.")],
        }],
    },
    InstructionInfo {
        keyword: Keyword::Run,
        summary: "Runs a command in a new layer at build time. `--mount=type=cache` keeps package caches (e.g. `/root/.nuget/packages`) between builds.",
        anchor: "run",
        signatures: &[
            SignatureInfo {
                label: "RUN [--mount=<mount>] [--network=<network>] [--security=<security>] <command>",
                doc: "Shell form: runs `/bin/sh -c <command>` (or the SHELL).",
                form: Form::Plain,
                params: &[P_MOUNT, P_NETWORK, P_SECURITY, P_COMMAND],
            },
            SignatureInfo {
                label: "RUN [--mount=<mount>] [--network=<network>] [--security=<security>] [\"<executable>\", \"<param>\", ...]",
                doc: "Exec form: runs the program without a shell.",
                form: Form::Json,
                params: &[P_MOUNT, P_NETWORK, P_SECURITY, P_EXECUTABLE, P_PARAMS],
            },
        ],
    },
    InstructionInfo {
        keyword: Keyword::Shell,
        summary: "Changes the shell used by the shell forms of RUN, CMD and ENTRYPOINT, e.g. `SHELL [\"pwsh\", \"-Command\"]` on Windows images.",
        anchor: "shell",
        signatures: &[SignatureInfo {
            label: "SHELL [\"<executable>\", \"<param>\", ...]",
            doc: "JSON form only.",
            form: Form::Any,
            params: &[P_EXECUTABLE, P_PARAMS],
        }],
    },
    InstructionInfo {
        keyword: Keyword::Stopsignal,
        summary: "The signal that stops the container (default `SIGTERM`).",
        anchor: "stopsignal",
        signatures: &[SignatureInfo {
            label: "STOPSIGNAL <signal>",
            doc: "Sets the stop signal.",
            form: Form::Any,
            params: &[p!("<signal>", ParamRole::Arg(0), "A name such as `SIGINT` or a number such as `9`.")],
        }],
    },
    InstructionInfo {
        keyword: Keyword::User,
        summary: "The user (and group) for the rest of the stage and the running container. .NET 8+ images define `APP_UID` for their non-root `app` user: `USER $APP_UID`.",
        anchor: "user",
        signatures: &[SignatureInfo {
            label: "USER <user>[:<group>]",
            doc: "Sets the user.",
            form: Form::Any,
            params: &[
                p!("<user>", ParamRole::Before(':'), "A user name or UID."),
                p!("[:<group>]", ParamRole::After(':'), "A group name or GID."),
            ],
        }],
    },
    InstructionInfo {
        keyword: Keyword::Volume,
        summary: "Declares mount points for externally mounted volumes. Changes to these paths after VOLUME are discarded at build time.",
        anchor: "volume",
        signatures: &[
            SignatureInfo {
                label: "VOLUME [\"<path>\", ...]",
                doc: "JSON form.",
                form: Form::Json,
                params: &[p!("\"<path>\"", ParamRole::ArgsFrom(0), "A mount point in the container.")],
            },
            SignatureInfo {
                label: "VOLUME <path> ...",
                doc: "Plain form.",
                form: Form::Plain,
                params: &[p!("<path>", ParamRole::ArgsFrom(0), "A mount point in the container.")],
            },
        ],
    },
    InstructionInfo {
        keyword: Keyword::Workdir,
        summary: "The working directory for the following RUN, CMD, ENTRYPOINT, COPY and ADD (created when missing). Use absolute paths.",
        anchor: "workdir",
        signatures: &[SignatureInfo {
            label: "WORKDIR <path>",
            doc: "Sets the working directory.",
            form: Form::Any,
            params: &[p!("<path>", ParamRole::ArgsFrom(0), "An absolute path such as `/app`.")],
        }],
    },
];

pub(crate) fn instruction(keyword: Keyword) -> Option<&'static InstructionInfo> {
    INSTRUCTIONS.iter().find(|i| i.keyword == keyword)
}

/// A flag of one or more instructions.
pub(crate) struct FlagInfo {
    pub keywords: &'static [Keyword],
    /// Without dashes.
    pub name: &'static str,
    /// The value placeholder, `None` for a boolean flag.
    pub value: Option<&'static str>,
    pub doc: &'static str,
    pub anchor: &'static str,
    /// Values to complete after `--name=`.
    pub values: &'static [&'static str],
}

impl FlagInfo {
    pub fn url(&self) -> String {
        format!("{REFERENCE}#{}", self.anchor)
    }

    pub fn usage(&self) -> String {
        match self.value {
            Some(v) => format!("--{}={v}", self.name),
            None => format!("--{}", self.name),
        }
    }

    pub fn markdown(&self, keyword: Keyword) -> String {
        format!(
            "**{} {}**\n\n{}\n\n[Dockerfile reference]({})",
            keyword.as_str(),
            self.usage(),
            self.doc,
            self.url()
        )
    }
}

static FLAGS: &[FlagInfo] = &[
    FlagInfo {
        keywords: &[Keyword::From],
        name: "platform",
        value: Some("<platform>"),
        doc: "The platform of the base image, such as `linux/amd64`. `--platform=$BUILDPLATFORM` on the SDK stage builds natively and cross-compiles with `-a $TARGETARCH`.",
        anchor: "from",
        values: &["$BUILDPLATFORM", "$TARGETPLATFORM", "linux/amd64", "linux/arm64", "windows/amd64"],
    },
    FlagInfo {
        keywords: &[Keyword::Run],
        name: "mount",
        value: Some("type=<type>[,<option>=<value>...]"),
        doc: "Mounts something while the command runs: `type=cache` (a persistent cache such as the NuGet packages folder), `type=bind` (files of the context or another stage), `type=secret`, `type=ssh` or `type=tmpfs`.",
        anchor: "run---mount",
        values: &[],
    },
    FlagInfo {
        keywords: &[Keyword::Run],
        name: "network",
        value: Some("<default|none|host>"),
        doc: "The network of the command: `default`, `none` (no network) or `host` (needs the `network.host` entitlement).",
        anchor: "run---network",
        values: &["default", "none", "host"],
    },
    FlagInfo {
        keywords: &[Keyword::Run],
        name: "security",
        value: Some("<sandbox|insecure>"),
        doc: "`insecure` runs the command without sandbox (needs the `security.insecure` entitlement); `sandbox` is the default.",
        anchor: "run---security",
        values: &["sandbox", "insecure"],
    },
    FlagInfo {
        keywords: &[Keyword::Copy],
        name: "from",
        value: Some("<stage|image|context>"),
        doc: "Copies from an earlier build stage (by name or index), an image, or a named build context instead of the build context.",
        anchor: "copy---from",
        values: &[],
    },
    FlagInfo {
        keywords: &[Keyword::Copy, Keyword::Add],
        name: "chown",
        value: Some("<user>:<group>"),
        doc: "Sets the owner of the copied files (names or numeric IDs; Linux containers only). Without it files belong to root.",
        anchor: "copy---chown---chmod",
        values: &["$APP_UID", "app:app", "root:root"],
    },
    FlagInfo {
        keywords: &[Keyword::Copy, Keyword::Add],
        name: "chmod",
        value: Some("<perms>"),
        doc: "Sets the permissions of the copied files, in octal (`755`) or symbolic (`u=rwx,go=rx`) notation.",
        anchor: "copy---chown---chmod",
        values: &["755", "644", "+x"],
    },
    FlagInfo {
        keywords: &[Keyword::Copy, Keyword::Add],
        name: "link",
        value: None,
        doc: "Copies the files into an independent layer, so that changes to earlier layers do not invalidate it and it can be reused when the base image changes.",
        anchor: "copy---link",
        values: &[],
    },
    FlagInfo {
        keywords: &[Keyword::Copy],
        name: "parents",
        value: None,
        doc: "Keeps the parent folders of the sources under the destination (`COPY --parents src/*/*.csproj ./`).",
        anchor: "copy---parents",
        values: &[],
    },
    FlagInfo {
        keywords: &[Keyword::Copy, Keyword::Add],
        name: "exclude",
        value: Some("<path>"),
        doc: "A path or wildcard pattern to leave out of the copy; can be given several times.",
        anchor: "copy---exclude",
        values: &["**/bin", "**/obj"],
    },
    FlagInfo {
        keywords: &[Keyword::Add],
        name: "checksum",
        value: Some("<hash>"),
        doc: "Verifies the checksum of a remote source: `sha256:<hex>`.",
        anchor: "add---checksum",
        values: &["sha256:"],
    },
    FlagInfo {
        keywords: &[Keyword::Add],
        name: "keep-git-dir",
        value: None,
        doc: "Keeps the `.git` folder when the source is a Git repository.",
        anchor: "add---keep-git-dir",
        values: &[],
    },
    FlagInfo {
        keywords: &[Keyword::Healthcheck],
        name: "interval",
        value: Some("<duration>"),
        doc: "Time between two checks (default `30s`). A duration such as `30s`, `1m30s` or `500ms`.",
        anchor: "healthcheck",
        values: &["30s"],
    },
    FlagInfo {
        keywords: &[Keyword::Healthcheck],
        name: "timeout",
        value: Some("<duration>"),
        doc: "Time after which a check is considered failed (default `30s`). A duration such as `30s`, `1m30s` or `500ms`.",
        anchor: "healthcheck",
        values: &["30s"],
    },
    FlagInfo {
        keywords: &[Keyword::Healthcheck],
        name: "start-period",
        value: Some("<duration>"),
        doc: "Start-up time during which failed checks do not count (default `0s`). A duration such as `30s`, `1m30s` or `500ms`.",
        anchor: "healthcheck",
        values: &["5s"],
    },
    FlagInfo {
        keywords: &[Keyword::Healthcheck],
        name: "start-interval",
        value: Some("<duration>"),
        doc: "Time between checks during the start period (default `5s`). A duration such as `30s`, `1m30s` or `500ms`.",
        anchor: "healthcheck",
        values: &["5s"],
    },
    FlagInfo {
        keywords: &[Keyword::Healthcheck],
        name: "retries",
        value: Some("<n>"),
        doc: "Consecutive failures needed to report the container unhealthy (default `3`).",
        anchor: "healthcheck",
        values: &["3"],
    },
];

/// The flags valid for an instruction, in documentation order.
pub(crate) fn flags_of(keyword: Keyword) -> impl Iterator<Item = &'static FlagInfo> {
    FLAGS.iter().filter(move |f| f.keywords.contains(&keyword))
}

pub(crate) fn flag(keyword: Keyword, name: &str) -> Option<&'static FlagInfo> {
    flags_of(keyword).find(|f| f.name.eq_ignore_ascii_case(name))
}

/// A `--mount` type and its options.
pub(crate) struct MountType {
    pub name: &'static str,
    pub doc: &'static str,
    /// The snippet offered after `--mount=`.
    pub snippet: &'static str,
    pub options: &'static [(&'static str, &'static str)],
}

static MOUNT_TYPES: &[MountType] = &[
    MountType {
        name: "cache",
        doc: "A cache folder kept between builds, e.g. the NuGet packages folder for `dotnet restore`.",
        snippet: "type=cache,target=${1:/root/.nuget/packages}",
        options: &[
            ("id", "Identifies the cache (default: the target path)."),
            ("target", "Where the cache is mounted (also `dst`, `destination`)."),
            ("ro", "Mounts read-only (also `readonly`)."),
            ("sharing", "`shared` (default), `private` or `locked`: how concurrent builds share the cache."),
            ("from", "A stage or image whose folder seeds the cache."),
            ("source", "The path in `from` that seeds the cache."),
            ("mode", "Permissions of a new cache folder, octal (default `0755`)."),
            ("uid", "User ID of a new cache folder (default `0`)."),
            ("gid", "Group ID of a new cache folder (default `0`)."),
        ],
    },
    MountType {
        name: "bind",
        doc: "Mounts files of the build context, a stage or an image (read-only by default), without copying them into a layer.",
        snippet: "type=bind,source=${1:.},target=${2:/src}",
        options: &[
            ("target", "Where the files are mounted (also `dst`, `destination`)."),
            ("source", "The path in `from` (default: its root)."),
            ("from", "A stage, image or named context (default: the build context)."),
            ("rw", "Allows writes; they are discarded (also `readwrite`)."),
        ],
    },
    MountType {
        name: "secret",
        doc: "Mounts a secret passed with `docker build --secret`, such as a NuGet.config with feed credentials; it never ends up in a layer.",
        snippet: "type=secret,id=${1:nuget},target=${2:/root/.nuget/NuGet/NuGet.Config}",
        options: &[
            ("id", "The secret's ID (default: the target's file name)."),
            ("target", "Where the secret file is mounted (default `/run/secrets/<id>`)."),
            ("env", "Exposes the secret as this environment variable instead of (or besides) a file."),
            ("required", "Fails the build when the secret is not given."),
            ("mode", "File permissions, octal (default `0400`)."),
            ("uid", "User ID of the file (default `0`)."),
            ("gid", "Group ID of the file (default `0`)."),
        ],
    },
    MountType {
        name: "ssh",
        doc: "Gives the command access to the SSH agent passed with `docker build --ssh`.",
        snippet: "type=ssh",
        options: &[
            ("id", "The SSH agent socket or key ID (default `default`)."),
            ("target", "The socket path (default `/run/buildkit/ssh_agent.${N}`)."),
            ("required", "Fails the build when the key is not available."),
            ("mode", "Socket permissions, octal (default `0600`)."),
            ("uid", "User ID of the socket (default `0`)."),
            ("gid", "Group ID of the socket (default `0`)."),
        ],
    },
    MountType {
        name: "tmpfs",
        doc: "An in-memory file system for the duration of the command.",
        snippet: "type=tmpfs,target=${1:/tmp}",
        options: &[
            ("target", "Where the tmpfs is mounted (also `dst`, `destination`)."),
            ("size", "The maximum size in bytes."),
        ],
    },
];

pub(crate) fn mount_types() -> &'static [MountType] {
    MOUNT_TYPES
}

pub(crate) fn mount_type(name: &str) -> Option<&'static MountType> {
    MOUNT_TYPES.iter().find(|m| m.name == name)
}

/// The canonical name of a `--mount` option key (`dst` -> `target`).
pub(crate) fn canonical_mount_key(key: &str) -> &str {
    match key {
        "dst" | "destination" => "target",
        "src" => "source",
        "readonly" => "ro",
        "readwrite" => "rw",
        other => other,
    }
}

pub(crate) struct DirectiveInfo {
    pub name: &'static str,
    pub doc: &'static str,
    pub snippet: &'static str,
    pub values: &'static [&'static str],
}

impl DirectiveInfo {
    pub fn url(&self) -> String {
        format!("{REFERENCE}#{}", self.name)
    }
    pub fn markdown(&self) -> String {
        format!(
            "**# {}=**\n\n{}\n\n[Dockerfile reference]({})",
            self.name,
            self.doc,
            self.url()
        )
    }
}

static DIRECTIVES: &[DirectiveInfo] = &[
    DirectiveInfo {
        name: "syntax",
        doc: "The Dockerfile frontend (syntax version) BuildKit uses for this file, e.g. `docker/dockerfile:1` for the latest stable 1.x. Must be on the first lines, before any instruction, comment or blank line.",
        snippet: "syntax=${1:docker/dockerfile:1}",
        values: &["docker/dockerfile:1", "docker/dockerfile:1-labs"],
    },
    DirectiveInfo {
        name: "escape",
        doc: "The escape and line-continuation character: `\\` (default) or `` ` `` (handy on Windows, where `\\` is the path separator).",
        snippet: "escape=${1:`}",
        values: &["`", "\\"],
    },
    DirectiveInfo {
        name: "check",
        doc: "Configures BuildKit's build checks: `skip=<rule>[,<rule>...]` (or `skip=all`), `error=true` to fail the build on a violation, `experimental=<rule>` to enable experimental checks. Separate settings with `;`.",
        snippet: "check=skip=${1:rule}",
        values: &["skip=", "error=true", "experimental=all"],
    },
];

pub(crate) fn directives() -> &'static [DirectiveInfo] {
    DIRECTIVES
}

pub(crate) fn directive(name: &str) -> Option<&'static DirectiveInfo> {
    DIRECTIVES
        .iter()
        .find(|d| d.name.eq_ignore_ascii_case(name))
}

/// BuildKit's build check names, for `# check=skip=`.
pub(crate) const BUILDKIT_CHECKS: &[&str] = &[
    "ConsistentInstructionCasing",
    "CopyIgnoredFile",
    "DuplicateStageName",
    "ExposeInvalidFormat",
    "ExposeProtoCasing",
    "FromAsCasing",
    "FromPlatformFlagConstDisallowed",
    "InvalidBaseImagePlatform",
    "InvalidDefaultArgInFrom",
    "InvalidDefinitionDescription",
    "JSONArgsRecommended",
    "LegacyKeyValueFormat",
    "MaintainerDeprecated",
    "MultipleInstructionsDisallowed",
    "NoEmptyContinuation",
    "RedundantTargetPlatform",
    "ReservedStageName",
    "SecretsUsedInArgOrEnv",
    "StageNameCasing",
    "UndefinedArgInFrom",
    "UndefinedVar",
    "WorkdirRelativePath",
];

/// ARGs usable without an ARG instruction (BuildKit's predefined proxy arguments).
pub(crate) const PREDEFINED_ARGS: &[&str] = &[
    "HTTP_PROXY",
    "http_proxy",
    "HTTPS_PROXY",
    "https_proxy",
    "FTP_PROXY",
    "ftp_proxy",
    "NO_PROXY",
    "no_proxy",
    "ALL_PROXY",
    "all_proxy",
];

/// Documentation of BuildKit's automatic platform ARGs.
pub(crate) fn automatic_arg_doc(name: &str) -> Option<&'static str> {
    Some(match name {
        "TARGETPLATFORM" => "The platform of the build result, e.g. `linux/amd64`.",
        "TARGETOS" => "The OS of `TARGETPLATFORM`, e.g. `linux`.",
        "TARGETARCH" => "The architecture of `TARGETPLATFORM`, e.g. `amd64` or `arm64` (`dotnet -a` takes `x64`/`arm64`; `-a $TARGETARCH` works because the SDK maps `amd64` to `x64`).",
        "TARGETVARIANT" => "The variant of `TARGETPLATFORM`, e.g. `v7`.",
        "BUILDPLATFORM" => "The platform of the machine running the build, e.g. `linux/amd64`.",
        "BUILDOS" => "The OS of `BUILDPLATFORM`.",
        "BUILDARCH" => "The architecture of `BUILDPLATFORM`.",
        "BUILDVARIANT" => "The variant of `BUILDPLATFORM`.",
        _ => return None,
    })
}

/// A `dotnet` CLI option.
pub(crate) struct DotnetOption {
    /// Spellings, the preferred one first (`--configuration`, `-c`).
    pub names: &'static [&'static str],
    pub value: Option<&'static str>,
    pub doc: &'static str,
}

pub(crate) struct DotnetVerb {
    pub name: &'static str,
    pub doc: &'static str,
    pub options: &'static [DotnetOption],
}

impl DotnetVerb {
    pub fn url(&self) -> String {
        format!(
            "https://learn.microsoft.com/dotnet/core/tools/dotnet-{}",
            self.name
        )
    }
    pub fn markdown(&self) -> String {
        format!(
            "**dotnet {}**\n\n{}\n\n[.NET CLI reference]({})",
            self.name,
            self.doc,
            self.url()
        )
    }
    pub fn option(&self, name: &str) -> Option<&'static DotnetOption> {
        let lower = name.to_ascii_lowercase();
        let lower = lower.as_str();
        // `-p:Name=Value` and `/p:...` are spelled with the property attached.
        let base = match lower.find([':', '=']) {
            Some(i) if lower.starts_with('-') || lower.starts_with('/') => &lower[..i],
            _ => lower,
        };
        let base = match base {
            "/p" | "-property" | "/property" => "-p",
            other => other,
        };
        self.options.iter().find(|o| o.names.contains(&base))
    }
}

impl DotnetOption {
    pub fn markdown(&self, verb: &str) -> String {
        let spellings: Vec<String> = self
            .names
            .iter()
            .map(|n| match self.value {
                Some(v) => format!("`{n} {v}`"),
                None => format!("`{n}`"),
            })
            .collect();
        format!("**dotnet {verb}** {}\n\n{}", spellings.join(", "), self.doc)
    }
}

macro_rules! opt {
    ([$($name:expr),+], $value:expr, $doc:expr) => {
        DotnetOption {
            names: &[$($name),+],
            value: $value,
            doc: $doc,
        }
    };
}

const O_CONFIGURATION: DotnetOption = opt!(
    ["--configuration", "-c"],
    Some("<CONFIGURATION>"),
    "The build configuration: `Release` for images (the default is `Release` for publish since .NET 8, `Debug` otherwise)."
);
const O_FRAMEWORK: DotnetOption = opt!(
    ["--framework", "-f"],
    Some("<FRAMEWORK>"),
    "The target framework to build, e.g. `net9.0` (needed for multi-targeting projects)."
);
const O_RUNTIME: DotnetOption = opt!(
    ["--runtime", "-r"],
    Some("<RUNTIME_IDENTIFIER>"),
    "The runtime identifier, e.g. `linux-x64` or `linux-musl-arm64`. Restore with the same RID when building with `--no-restore`."
);
const O_ARCH: DotnetOption = opt!(
    ["--arch", "-a"],
    Some("<ARCH>"),
    "The target architecture (`x64`, `arm64`; `amd64` from `$TARGETARCH` is accepted). Restore with the same value when building with `--no-restore`."
);
const O_OS: DotnetOption = opt!(
    ["--os"],
    Some("<OS>"),
    "The target operating system, e.g. `linux`."
);
const O_OUTPUT: DotnetOption = opt!(
    ["--output", "-o"],
    Some("<OUTPUT_DIR>"),
    "The output folder, e.g. `/app/publish`; `COPY --from=<stage>` must take it from there."
);
const O_NO_RESTORE: DotnetOption = opt!(
    ["--no-restore"],
    None,
    "Skips the implicit restore: use after a separate `dotnet restore` layer."
);
const O_NO_BUILD: DotnetOption = opt!(
    ["--no-build"],
    None,
    "Skips the build (implies `--no-restore`): use after `dotnet build` with the same configuration."
);
const O_SELF_CONTAINED: DotnetOption = opt!(
    ["--self-contained", "--sc"],
    None,
    "Bundles the .NET runtime with the app; run it on `runtime-deps` images."
);
const O_NO_SELF_CONTAINED: DotnetOption = opt!(
    ["--no-self-contained"],
    None,
    "Framework-dependent output: needs an image with the .NET runtime (`runtime` or `aspnet`)."
);
const O_PROPERTY: DotnetOption = opt!(
    ["-p", "--property"],
    Some("<NAME>=<VALUE>"),
    "Sets an MSBuild property, e.g. `-p:UseAppHost=false`, `-p:PublishAot=true`, `-p:InvariantGlobalization=true`."
);
const O_VERBOSITY: DotnetOption = opt!(
    ["--verbosity", "-v"],
    Some("<LEVEL>"),
    "`q[uiet]`, `m[inimal]`, `n[ormal]`, `d[etailed]` or `diag[nostic]`."
);
const O_SOURCE: DotnetOption = opt!(
    ["--source", "-s"],
    Some("<SOURCE>"),
    "A NuGet feed to restore from (repeatable)."
);
const O_CONFIGFILE: DotnetOption = opt!(
    ["--configfile"],
    Some("<FILE>"),
    "The NuGet.config to use; mount it as a secret when it holds credentials."
);
const O_PACKAGES: DotnetOption = opt!(
    ["--packages"],
    Some("<PACKAGES_DIR>"),
    "The folder for restored packages (default `~/.nuget/packages`)."
);
const O_LOCKED_MODE: DotnetOption = opt!(
    ["--locked-mode"],
    None,
    "Fails when `packages.lock.json` does not match the project."
);
const O_UCR: DotnetOption = opt!(
    ["--use-current-runtime", "--ucr"],
    None,
    "Uses the RID of the machine running the build."
);
const O_VERSION_SUFFIX: DotnetOption = opt!(
    ["--version-suffix"],
    Some("<SUFFIX>"),
    "Sets `$(VersionSuffix)`."
);
const O_ARTIFACTS: DotnetOption = opt!(
    ["--artifacts-path"],
    Some("<PATH>"),
    "Puts all build outputs under this folder."
);

static DOTNET_VERBS: &[DotnetVerb] = &[
    DotnetVerb {
        name: "restore",
        doc: "Restores the NuGet packages of a project or solution. Copy only the project files (and Directory.*.props, NuGet.config) before it, so the layer is cached until they change.",
        options: &[
            O_SOURCE,
            O_CONFIGFILE,
            O_RUNTIME,
            O_ARCH,
            O_OS,
            O_PACKAGES,
            O_LOCKED_MODE,
            opt!(["--use-lock-file"], None, "Creates or uses `packages.lock.json`."),
            opt!(["--force"], None, "Restores even when the last restore succeeded."),
            opt!(["--no-cache"], None, "Does not cache HTTP requests."),
            opt!(["--disable-parallel"], None, "Restores one project at a time."),
            O_VERBOSITY,
            O_PROPERTY,
        ],
    },
    DotnetVerb {
        name: "build",
        doc: "Builds a project or solution and its dependencies.",
        options: &[
            O_CONFIGURATION,
            O_FRAMEWORK,
            O_RUNTIME,
            O_ARCH,
            O_OS,
            O_OUTPUT,
            O_NO_RESTORE,
            opt!(["--no-dependencies"], None, "Builds only the given project, not its references."),
            opt!(["--no-incremental"], None, "Rebuilds everything."),
            O_SELF_CONTAINED,
            O_NO_SELF_CONTAINED,
            O_UCR,
            O_SOURCE,
            O_VERSION_SUFFIX,
            O_ARTIFACTS,
            O_VERBOSITY,
            O_PROPERTY,
        ],
    },
    DotnetVerb {
        name: "publish",
        doc: "Compiles the app and writes it with its dependencies to a folder for deployment: the output the final image copies.",
        options: &[
            O_CONFIGURATION,
            O_FRAMEWORK,
            O_RUNTIME,
            O_ARCH,
            O_OS,
            O_OUTPUT,
            O_NO_RESTORE,
            O_NO_BUILD,
            O_SELF_CONTAINED,
            O_NO_SELF_CONTAINED,
            O_UCR,
            O_SOURCE,
            O_VERSION_SUFFIX,
            O_ARTIFACTS,
            opt!(["--manifest"], Some("<MANIFEST>"), "Trims packages listed in a target manifest (runtime store)."),
            O_VERBOSITY,
            O_PROPERTY,
        ],
    },
    DotnetVerb {
        name: "test",
        doc: "Builds and runs the tests of a project or solution. A failing test fails the build step.",
        options: &[
            O_CONFIGURATION,
            O_FRAMEWORK,
            O_RUNTIME,
            O_ARCH,
            O_OS,
            O_OUTPUT,
            O_NO_RESTORE,
            O_NO_BUILD,
            opt!(["--filter"], Some("<EXPRESSION>"), "Runs only the matching tests, e.g. `Category!=Integration`."),
            opt!(["--logger", "-l"], Some("<LOGGER>"), "A test logger, e.g. `trx` or `console;verbosity=detailed`."),
            opt!(["--results-directory"], Some("<DIR>"), "Where test results go."),
            opt!(["--settings", "-s"], Some("<SETTINGS_FILE>"), "A `.runsettings` file."),
            opt!(["--collect"], Some("<DATA_COLLECTOR>"), "A data collector, e.g. `XPlat Code Coverage`."),
            opt!(["--blame"], None, "Reports the test that crashed the host."),
            O_VERBOSITY,
            O_PROPERTY,
        ],
    },
    DotnetVerb {
        name: "run",
        doc: "Builds and runs a project from source (needs the SDK: use `dotnet <App>.dll` in runtime images).",
        options: &[
            O_CONFIGURATION,
            O_FRAMEWORK,
            O_RUNTIME,
            O_ARCH,
            O_OS,
            opt!(["--project"], Some("<PROJECT>"), "The project to run."),
            opt!(["--launch-profile"], Some("<NAME>"), "A profile of launchSettings.json."),
            opt!(["--no-launch-profile"], None, "Ignores launchSettings.json."),
            O_NO_RESTORE,
            O_NO_BUILD,
            O_VERBOSITY,
            O_PROPERTY,
        ],
    },
    DotnetVerb {
        name: "pack",
        doc: "Creates NuGet packages.",
        options: &[
            O_CONFIGURATION,
            O_OUTPUT,
            O_NO_RESTORE,
            O_NO_BUILD,
            opt!(["--include-symbols"], None, "Also creates a symbols package."),
            opt!(["--include-source"], None, "Includes source files in the symbols package."),
            O_VERSION_SUFFIX,
            O_RUNTIME,
            O_VERBOSITY,
            O_PROPERTY,
        ],
    },
    DotnetVerb {
        name: "clean",
        doc: "Deletes the outputs of a previous build.",
        options: &[O_CONFIGURATION, O_FRAMEWORK, O_RUNTIME, O_OUTPUT, O_VERBOSITY],
    },
    DotnetVerb {
        name: "tool",
        doc: "Installs or manages .NET tools, e.g. `dotnet tool install --global dotnet-ef` (add `~/.dotnet/tools` to PATH).",
        options: &[
            opt!(["--global", "-g"], None, "Installs for the user (`~/.dotnet/tools`)."),
            opt!(["--tool-path"], Some("<PATH>"), "Installs into this folder."),
            opt!(["--version"], Some("<VERSION>"), "The tool version."),
            O_CONFIGFILE,
            opt!(["--add-source"], Some("<SOURCE>"), "An extra NuGet feed."),
        ],
    },
    DotnetVerb {
        name: "workload",
        doc: "Installs or manages optional SDK workloads (e.g. `wasm-tools`).",
        options: &[
            O_SOURCE,
            O_CONFIGFILE,
            opt!(["--skip-manifest-update"], None, "Does not update workload manifests."),
        ],
    },
    DotnetVerb {
        name: "new",
        doc: "Creates a project from a template.",
        options: &[
            opt!(["--output", "-o"], Some("<OUTPUT>"), "Where to create the project."),
            opt!(["--name", "-n"], Some("<NAME>"), "The project name."),
            O_FRAMEWORK,
        ],
    },
    DotnetVerb {
        name: "nuget",
        doc: "NuGet commands: `add source`, `push`, `locals`, ...",
        options: &[],
    },
    DotnetVerb {
        name: "dev-certs",
        doc: "Manages the HTTPS development certificate (not for production images).",
        options: &[],
    },
    DotnetVerb {
        name: "msbuild",
        doc: "Runs MSBuild with the given arguments.",
        options: &[O_PROPERTY, O_VERBOSITY],
    },
];

pub(crate) fn dotnet_verbs() -> &'static [DotnetVerb] {
    DOTNET_VERBS
}

pub(crate) fn dotnet_verb(name: &str) -> Option<&'static DotnetVerb> {
    DOTNET_VERBS
        .iter()
        .find(|v| v.name.eq_ignore_ascii_case(name))
}

/// Common MSBuild properties offered after `-p:`.
pub(crate) const MSBUILD_PROPERTIES: &[(&str, &str)] = &[
    (
        "UseAppHost=false",
        "No native launcher: run with `dotnet App.dll` (smaller output).",
    ),
    (
        "PublishAot=true",
        "Native AOT: a self-contained native executable; run it on `runtime-deps`.",
    ),
    (
        "PublishTrimmed=true",
        "Trims unused framework code (self-contained only).",
    ),
    (
        "PublishSingleFile=true",
        "Bundles the app into one file (needs a RID).",
    ),
    (
        "PublishReadyToRun=true",
        "Precompiles for faster start-up (needs a RID).",
    ),
    (
        "InvariantGlobalization=true",
        "No ICU: needed on images without ICU (chiseled, alpine without icu-libs).",
    ),
    ("ContainerImageTag=", "The tag for `/t:PublishContainer`."),
    ("Version=", "The assembly and package version."),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_instruction_is_documented_with_unique_parameter_labels() {
        for keyword in Keyword::ALL {
            let info = instruction(keyword).unwrap_or_else(|| panic!("{keyword:?}"));
            assert!(!info.signatures.is_empty());
            for sig in info.signatures {
                assert!(sig.label.starts_with(keyword.as_str()), "{}", sig.label);
                for param in sig.params {
                    assert_eq!(
                        sig.label.matches(param.label).count(),
                        1,
                        "{} in {}",
                        param.label,
                        sig.label
                    );
                }
            }
        }
    }

    #[test]
    fn flags_are_listed_in_the_signatures_of_their_instructions() {
        for f in FLAGS {
            for &k in f.keywords {
                let info = instruction(k).unwrap();
                for sig in info
                    .signatures
                    .iter()
                    .filter(|s| s.form != Form::HealthcheckNone)
                {
                    assert!(
                        sig.params.iter().any(|p| p.role == ParamRole::Flag(f.name)),
                        "--{} missing in {}",
                        f.name,
                        sig.label
                    );
                }
            }
        }
    }

    #[test]
    fn dotnet_options_by_any_spelling() {
        let publish = dotnet_verb("publish").unwrap();
        assert_eq!(publish.option("-c").unwrap().names[0], "--configuration");
        assert_eq!(
            publish.option("/p:UseAppHost=false").unwrap().names[0],
            "-p"
        );
        assert_eq!(publish.option("--SC").unwrap().names[0], "--self-contained");
        assert!(publish.option("--bogus").is_none());
        assert_eq!(canonical_mount_key("dst"), "target");
    }
}
