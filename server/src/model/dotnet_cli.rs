//! `dotnet restore|build|publish|test` command lines inside RUN instructions.

use crate::syntax::words::split_shell_words_borrowed;
use crate::text::TextRange;
use compact_str::CompactString;

/// A word of a command line with its source range.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CliWord {
    /// Most words (`Release`, `$TARGETARCH`, `/app/publish`) fit inline: no allocation.
    pub text: CompactString,
    pub range: TextRange,
}

/// A parsed `dotnet <verb> ...` invocation.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DotnetCommand {
    /// From `dotnet` to the last argument.
    pub range: TextRange,
    /// `restore`, `build`, `publish`, `test`, or another verb as written.
    pub verb: CompactString,
    pub verb_range: TextRange,
    /// The project, solution or folder argument, when given.
    pub project: Option<CliWord>,
    pub configuration: Option<CliWord>,
    pub runtime: Option<CliWord>,
    pub arch: Option<CliWord>,
    pub os: Option<CliWord>,
    pub output: Option<CliWord>,
    pub framework: Option<CliWord>,
    pub no_restore: bool,
    pub no_build: bool,
    /// `--self-contained` / `--sc` (optionally `true`/`false`), `--no-self-contained`.
    pub self_contained: Option<bool>,
    /// `-p:Name=Value`, `/p:Name=Value`, `--property:Name=Value`.
    pub properties: Vec<(CompactString, CompactString, TextRange)>,
    /// `--source`/`-s` feeds and `--configfile`.
    pub sources: Vec<CliWord>,
    pub config_file: Option<CliWord>,
}

impl DotnetCommand {
    pub fn is(&self, verb: &str) -> bool {
        self.verb.eq_ignore_ascii_case(verb)
    }

    /// Whether this command restores packages (explicitly or implicitly).
    pub fn restores(&self) -> bool {
        match self.verb.as_str() {
            "restore" => true,
            "build" | "publish" | "test" | "pack" | "run" => !self.no_restore && !self.no_build,
            _ => false,
        }
    }

    pub fn property(&self, name: &str) -> Option<&str> {
        self.properties
            .iter()
            .rev()
            .find(|(n, _, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v, _)| v.as_str())
    }
}

const OPTIONS_WITH_VALUE: &[&str] = &[
    "-c",
    "--configuration",
    "-r",
    "--runtime",
    "-a",
    "--arch",
    "--os",
    "-o",
    "--output",
    "-f",
    "--framework",
    "-s",
    "--source",
    "-v",
    "--verbosity",
    "--version-suffix",
    "--packages",
    "--configfile",
    "-l",
    "--logger",
    "--results-directory",
    "--settings",
    "--filter",
    "--property",
    "-p",
    "--artifacts-path",
    "--ucr",
];

/// Finds every `dotnet` invocation in a shell command. `map` turns byte offsets in
/// `command` into source ranges.
pub fn parse_dotnet_commands(
    command: &str,
    map: &dyn Fn(usize, usize) -> TextRange,
) -> Vec<DotnetCommand> {
    let mut commands = Vec::new();
    push_dotnet_commands(command, map, &mut commands, DotnetCommand::default, |c| c);
    commands
}

/// [`parse_dotnet_commands`], appending an element made by `new` to `out` for each command
/// and parsing the command into it, reached by `command_of`. A command is large: built
/// where it is stored, it is not copied on its way there.
pub(crate) fn push_dotnet_commands<T>(
    command: &str,
    map: &dyn Fn(usize, usize) -> TextRange,
    out: &mut Vec<T>,
    new: impl Fn() -> T,
    command_of: impl Fn(&mut T) -> &mut DotnetCommand,
) {
    if !may_name_dotnet(command) {
        return;
    }
    let words = split_shell_words_borrowed(command);
    for segment in words.split(|(w, _, _)| matches!(w.as_ref(), "&&" | "||" | ";" | "|" | "&")) {
        let Some(pos) = segment.iter().position(|(w, _, _)| is_dotnet(w)) else {
            continue;
        };
        let words = &segment[pos..];
        let text = |i: usize| -> &str { &words[i].0 };
        let range = |i: usize| map(words[i].1, words[i].2);
        out.push(new());
        let parsed = out
            .last_mut()
            .is_some_and(|slot| parse_into(command_of(slot), words.len(), &text, &range));
        if !parsed {
            out.pop();
        }
    }
}

/// The word that starts a `dotnet` command.
fn is_dotnet(word: &str) -> bool {
    word == "dotnet" || word.ends_with("/dotnet") || word.eq_ignore_ascii_case("dotnet.exe")
}

/// False when no word of `command` can be a `dotnet` command. A word's characters are
/// characters of the command in order, with only quotes, backslashes and escaped line
/// breaks left out between them; so a word containing `dotnet` (in any case) needs these
/// letters in the command with at most such characters between them.
fn may_name_dotnet(command: &str) -> bool {
    let bytes = command.as_bytes();
    memchr::memchr2_iter(b'd', b'D', bytes).any(|i| {
        let mut rest = bytes[i + 1..]
            .iter()
            .filter(|b| !matches!(b, b'"' | b'\'' | b'\\' | b'\n'));
        b"otnet"
            .iter()
            .all(|c| rest.next().is_some_and(|b| b.eq_ignore_ascii_case(c)))
    })
}

/// `text` in ASCII lower case, in `buf`; empty when it is longer than any option name.
/// Bytes, not `str`: the option names are ASCII, and no UTF-8 check is needed to compare.
fn ascii_lower<'b>(text: &str, buf: &'b mut [u8; 24]) -> &'b [u8] {
    let Some(dst) = buf.get_mut(..text.len()) else {
        return b"";
    };
    for (d, s) in dst.iter_mut().zip(text.bytes()) {
        *d = s.to_ascii_lowercase();
    }
    dst
}

/// `text` in ASCII lower case.
fn ascii_lowercase(text: &str) -> CompactString {
    let mut lower = CompactString::from(text);
    lower.make_ascii_lowercase();
    lower
}

/// Parses `dotnet verb args...` from already-split words (also used for exec-form RUN).
pub fn parse_invocation(words: &[CliWord]) -> Option<DotnetCommand> {
    invocation(words.len(), &|i| words[i].text.as_str(), &|i| {
        words[i].range
    })
}

/// [`parse_invocation`] over syntax words (exec-form RUN), copying only the words it keeps.
pub(crate) fn parse_words(words: &[crate::syntax::Word]) -> Option<DotnetCommand> {
    invocation(words.len(), &|i| words[i].text.as_str(), &|i| {
        words[i].range
    })
}

/// [`parse_invocation`] over `len` words given by their text and range, so that only the
/// words the command keeps are copied (and only their ranges computed).
fn invocation<'w>(
    len: usize,
    word_text: &impl Fn(usize) -> &'w str,
    word_range: &impl Fn(usize) -> TextRange,
) -> Option<DotnetCommand> {
    let mut cmd = DotnetCommand::default();
    parse_into(&mut cmd, len, word_text, word_range).then_some(cmd)
}

/// [`invocation`] into `cmd`, a default command; false (and `cmd` untouched) when the words
/// are no `dotnet <verb>` command.
///
/// Generic rather than `dyn`: the accessors, called for every word, are then inlined.
fn parse_into<'w>(
    cmd: &mut DotnetCommand,
    len: usize,
    word_text: &impl Fn(usize) -> &'w str,
    word_range: &impl Fn(usize) -> TextRange,
) -> bool {
    if len < 2 {
        return false;
    }
    let verb = word_text(1);
    if verb.starts_with('-') {
        return false;
    }
    let cli_word = |i: usize| CliWord {
        text: CompactString::from(word_text(i)),
        range: word_range(i),
    };
    cmd.range = word_range(0).cover(word_range(len - 1));
    cmd.verb = ascii_lowercase(verb);
    cmd.verb_range = word_range(1);
    let mut i = 2;
    while i < len {
        let text = word_text(i);
        let current = i;
        let range = move || word_range(current);
        let (name, inline_value) = match text.bytes().position(|b| b == b':' || b == b'=') {
            Some(idx) if text.starts_with('-') || text.starts_with('/') => {
                (&text[..idx], Some(&text[idx + 1..]))
            }
            _ => (text, None),
        };
        let mut lower_buf = [0u8; 24];
        let lower = ascii_lower(name, &mut lower_buf);
        if matches!(
            lower,
            b"-p" | b"/p" | b"--property" | b"-property" | b"/property"
        ) && inline_value.is_some()
        {
            for prop in inline_value.unwrap_or("").split(';') {
                if let Some((k, v)) = prop.split_once('=') {
                    cmd.properties
                        .push((CompactString::from(k), CompactString::from(v), range()));
                }
            }
            i += 1;
            continue;
        }
        let take_value = |i: &mut usize| -> Option<CliWord> {
            if let Some(v) = inline_value {
                return Some(CliWord {
                    text: CompactString::from(v),
                    range: range(),
                });
            }
            *i += 1;
            (*i < len).then(|| cli_word(*i))
        };
        match lower {
            b"-c" | b"--configuration" => cmd.configuration = take_value(&mut i),
            b"-r" | b"--runtime" => cmd.runtime = take_value(&mut i),
            b"-a" | b"--arch" => cmd.arch = take_value(&mut i),
            b"--os" => cmd.os = take_value(&mut i),
            b"-o" | b"--output" => cmd.output = take_value(&mut i),
            b"-f" | b"--framework" => cmd.framework = take_value(&mut i),
            b"-s" | b"--source" => {
                if let Some(v) = take_value(&mut i) {
                    cmd.sources.push(v);
                }
            }
            b"--configfile" => cmd.config_file = take_value(&mut i),
            b"--no-restore" => cmd.no_restore = true,
            b"--no-build" => cmd.no_build = true,
            b"--self-contained" | b"--sc" => {
                cmd.self_contained = Some(match inline_value {
                    Some(v) => !v.eq_ignore_ascii_case("false"),
                    None => match (i + 1 < len).then(|| word_text(i + 1)) {
                        Some(v)
                            if v.eq_ignore_ascii_case("true")
                                || v.eq_ignore_ascii_case("false") =>
                        {
                            i += 1;
                            v.eq_ignore_ascii_case("true")
                        }
                        _ => true,
                    },
                })
            }
            b"--no-self-contained" => cmd.self_contained = Some(false),
            b"-p" | b"--property" => {
                // `-p Name=Value` with a separate value.
                if let Some(v) = take_value(&mut i) {
                    for prop in v.text.split(';') {
                        if let Some((k, val)) = prop.split_once('=') {
                            cmd.properties.push((
                                CompactString::from(k),
                                CompactString::from(val),
                                v.range,
                            ));
                        }
                    }
                }
            }
            // Every option name starts with `-`: most other words need no search.
            _ if lower.first() == Some(&b'-')
                && OPTIONS_WITH_VALUE.iter().any(|o| o.as_bytes() == lower) =>
            {
                // The value is skipped.
                if inline_value.is_none() {
                    i += 1;
                }
            }
            _ if text.starts_with('-')
                || (text.starts_with('/') && text.len() > 1 && inline_value.is_some()) => {}
            _ => {
                if cmd.project.is_none() {
                    cmd.project = Some(CliWord {
                        text: CompactString::from(text),
                        range: range(),
                    });
                }
            }
        }
        i += 1;
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(cmd: &str) -> Vec<DotnetCommand> {
        parse_dotnet_commands(cmd, &|s, e| TextRange::new(s, e))
    }

    #[test]
    fn parses_restore_and_publish_chains() {
        let text = "dotnet restore \"src/Api/Api.csproj\" -r linux-musl-x64 && dotnet publish src/Api/Api.csproj -c Release -o /app/publish --no-restore /p:UseAppHost=false -p:PublishAot=true";
        let cmds = parse(text);
        assert_eq!(cmds.len(), 2);
        assert_eq!(cmds[0].verb, "restore");
        assert_eq!(cmds[0].project.as_ref().unwrap().text, "src/Api/Api.csproj");
        assert_eq!(cmds[0].runtime.as_ref().unwrap().text, "linux-musl-x64");
        let publish = &cmds[1];
        assert!(publish.is("publish"));
        assert_eq!(publish.configuration.as_ref().unwrap().text, "Release");
        assert_eq!(publish.output.as_ref().unwrap().text, "/app/publish");
        assert!(publish.no_restore);
        assert_eq!(publish.property("UseAppHost"), Some("false"));
        assert_eq!(publish.property("publishaot"), Some("true"));
        let r = publish.verb_range;
        assert_eq!(&text[r.as_range()], "publish");
        let r = publish.project.as_ref().unwrap().range;
        assert_eq!(&text[r.as_range()], "src/Api/Api.csproj");
    }

    #[test]
    fn options_with_inline_values_and_self_contained() {
        let cmds = parse(
            "/usr/bin/dotnet publish --configuration=Debug --sc false -a $TARGETARCH App.fsproj",
        );
        let c = &cmds[0];
        assert_eq!(c.configuration.as_ref().unwrap().text, "Debug");
        assert_eq!(c.self_contained, Some(false));
        assert_eq!(c.arch.as_ref().unwrap().text, "$TARGETARCH");
        assert_eq!(c.project.as_ref().unwrap().text, "App.fsproj");
        assert!(parse("echo dotnet").is_empty());
        assert!(parse("dotnet --info").is_empty());
    }
}
