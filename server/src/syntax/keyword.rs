/// A Dockerfile instruction keyword. Keywords are case-insensitive.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Keyword {
    Add,
    Arg,
    Cmd,
    Copy,
    Entrypoint,
    Env,
    Expose,
    From,
    Healthcheck,
    Label,
    Maintainer,
    Onbuild,
    Run,
    Shell,
    Stopsignal,
    User,
    Volume,
    Workdir,
    /// Anything else; BuildKit parses it and the builder rejects it.
    Unknown,
}

impl Keyword {
    pub const ALL: [Keyword; 18] = [
        Keyword::Add,
        Keyword::Arg,
        Keyword::Cmd,
        Keyword::Copy,
        Keyword::Entrypoint,
        Keyword::Env,
        Keyword::Expose,
        Keyword::From,
        Keyword::Healthcheck,
        Keyword::Label,
        Keyword::Maintainer,
        Keyword::Onbuild,
        Keyword::Run,
        Keyword::Shell,
        Keyword::Stopsignal,
        Keyword::User,
        Keyword::Volume,
        Keyword::Workdir,
    ];

    pub fn from_text(text: &str) -> Keyword {
        // ASCII case-insensitive, as `eq_ignore_ascii_case`: other bytes never match. The
        // length and the first letter leave at most two candidates.
        let bytes = text.as_bytes();
        let Some(first) = bytes.first() else {
            return Keyword::Unknown;
        };
        let candidates: &[Keyword] = match (bytes.len(), first.to_ascii_uppercase()) {
            (3, b'A') => &[Keyword::Add, Keyword::Arg],
            (3, b'C') => &[Keyword::Cmd],
            (3, b'E') => &[Keyword::Env],
            (3, b'R') => &[Keyword::Run],
            (4, b'C') => &[Keyword::Copy],
            (4, b'F') => &[Keyword::From],
            (4, b'U') => &[Keyword::User],
            (5, b'L') => &[Keyword::Label],
            (5, b'S') => &[Keyword::Shell],
            (6, b'E') => &[Keyword::Expose],
            (6, b'V') => &[Keyword::Volume],
            (7, b'O') => &[Keyword::Onbuild],
            (7, b'W') => &[Keyword::Workdir],
            (10, b'E') => &[Keyword::Entrypoint],
            (10, b'M') => &[Keyword::Maintainer],
            (10, b'S') => &[Keyword::Stopsignal],
            (11, b'H') => &[Keyword::Healthcheck],
            _ => &[],
        };
        // Keywords are letters: a byte matches a letter in either case iff it equals it with
        // the case bit set (other bytes, non-ASCII ones included, never do).
        candidates
            .iter()
            .copied()
            .find(|k| {
                k.as_str()
                    .bytes()
                    .zip(bytes)
                    .all(|(k, &b)| k | 0x20 == b | 0x20)
            })
            .unwrap_or(Keyword::Unknown)
    }

    /// The upper-case spelling; `""` for unknown keywords.
    pub fn as_str(self) -> &'static str {
        match self {
            Keyword::Add => "ADD",
            Keyword::Arg => "ARG",
            Keyword::Cmd => "CMD",
            Keyword::Copy => "COPY",
            Keyword::Entrypoint => "ENTRYPOINT",
            Keyword::Env => "ENV",
            Keyword::Expose => "EXPOSE",
            Keyword::From => "FROM",
            Keyword::Healthcheck => "HEALTHCHECK",
            Keyword::Label => "LABEL",
            Keyword::Maintainer => "MAINTAINER",
            Keyword::Onbuild => "ONBUILD",
            Keyword::Run => "RUN",
            Keyword::Shell => "SHELL",
            Keyword::Stopsignal => "STOPSIGNAL",
            Keyword::User => "USER",
            Keyword::Volume => "VOLUME",
            Keyword::Workdir => "WORKDIR",
            Keyword::Unknown => "",
        }
    }

    /// Instructions whose arguments may start heredocs (BuildKit: RUN, COPY, ADD).
    pub fn can_contain_heredoc(self) -> bool {
        matches!(self, Keyword::Run | Keyword::Copy | Keyword::Add)
    }
}
