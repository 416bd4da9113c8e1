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
        // ASCII case-insensitive, as `eq_ignore_ascii_case`: other bytes never match.
        // Keywords are letters: a byte matches a letter in either case iff it equals the
        // lower-case letter once the case bit is set (other bytes, non-ASCII ones included,
        // never do). So set the bit on every byte and compare the whole word, packed in one
        // integer, with the packed lower-case names (set bytes are never zero, so the zero
        // padding fixes the length).
        let bytes = text.as_bytes();
        let len = bytes.len();
        // Fixed-size loads (two overlapping ones cover a length range; the bytes they share
        // are the same, so or-ing them is harmless): no variable-length copy.
        let load4 = |at: usize| {
            u32::from_le_bytes([bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]])
        };
        let load8 = |at: usize| u64::from(load4(at)) | u64::from(load4(at + 4)) << 32;
        // Variable shifts on u32/u64 only: on a u128 they are slow.
        let word = match len {
            1..=3 => u128::from(
                bytes
                    .iter()
                    .enumerate()
                    .fold(0u32, |acc, (i, &b)| acc | u32::from(b) << (8 * i)),
            ),
            4..=8 => u128::from(u64::from(load4(0)) | u64::from(load4(len - 4)) << (8 * (len - 4))),
            9..=11 => u128::from(load8(0)) | u128::from(load8(len - 8) >> (8 * (16 - len))) << 64,
            _ => return Keyword::Unknown,
        };
        // The case bit of each of the word's bytes, by length (a table: shifting a u128 by a
        // variable amount is slow).
        const CASE_BITS: [u128; 12] = {
            let mut table = [0u128; 12];
            let mut len = 1;
            while len < 12 {
                table[len] = u128::from_le_bytes([0x20; 16]) & ((1u128 << (8 * len)) - 1);
                len += 1;
            }
            table
        };
        let case_bits = CASE_BITS[len];
        // Constants as patterns: the compiler turns the match into a few comparisons.
        const ADD: u128 = pack("ADD");
        const ARG: u128 = pack("ARG");
        const CMD: u128 = pack("CMD");
        const COPY: u128 = pack("COPY");
        const ENTRYPOINT: u128 = pack("ENTRYPOINT");
        const ENV: u128 = pack("ENV");
        const EXPOSE: u128 = pack("EXPOSE");
        const FROM: u128 = pack("FROM");
        const HEALTHCHECK: u128 = pack("HEALTHCHECK");
        const LABEL: u128 = pack("LABEL");
        const MAINTAINER: u128 = pack("MAINTAINER");
        const ONBUILD: u128 = pack("ONBUILD");
        const RUN: u128 = pack("RUN");
        const SHELL: u128 = pack("SHELL");
        const STOPSIGNAL: u128 = pack("STOPSIGNAL");
        const USER: u128 = pack("USER");
        const VOLUME: u128 = pack("VOLUME");
        const WORKDIR: u128 = pack("WORKDIR");
        match word | case_bits {
            ADD => Keyword::Add,
            ARG => Keyword::Arg,
            CMD => Keyword::Cmd,
            COPY => Keyword::Copy,
            ENTRYPOINT => Keyword::Entrypoint,
            ENV => Keyword::Env,
            EXPOSE => Keyword::Expose,
            FROM => Keyword::From,
            HEALTHCHECK => Keyword::Healthcheck,
            LABEL => Keyword::Label,
            MAINTAINER => Keyword::Maintainer,
            ONBUILD => Keyword::Onbuild,
            RUN => Keyword::Run,
            SHELL => Keyword::Shell,
            STOPSIGNAL => Keyword::Stopsignal,
            USER => Keyword::User,
            VOLUME => Keyword::Volume,
            WORKDIR => Keyword::Workdir,
            _ => Keyword::Unknown,
        }
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

/// A name packed as [`Keyword::from_text`] packs a word.
const fn pack(name: &str) -> u128 {
    let bytes = name.as_bytes();
    let mut buf = [0u8; 16];
    let mut i = 0;
    while i < bytes.len() {
        buf[i] = bytes[i] | 0x20;
        i += 1;
    }
    u128::from_le_bytes(buf)
}
