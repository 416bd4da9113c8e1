//! A reader for the POSIX shell scripts of RUN instructions: which programs run, with which
//! arguments, in which pipelines, with source ranges for every word.
//!
//! It understands what decides those questions in real Dockerfiles: quoting and escapes,
//! `&&`/`||`/`;`/`|` chains, line breaks, comments, redirections (`2>&1` is not an `&`),
//! heredocs inside scripts, `$(...)`, backticks and `<(...)` (whose commands run too),
//! leading `VAR=value` assignments, wrappers such as `sudo` and `env`, and compound-command
//! keywords. It evaluates nothing.
//!
//! The scripts of a whole file are kept flat in one [`ScriptStore`] (one list of words, one of
//! commands, ...): a large file has thousands of short scripts, and a few vectors of each
//! cost less to fill and to free than the vectors of every command.

use std::borrow::Cow;
use std::ops::Range;

use crate::text::TextRange;

/// A word with quotes removed and escapes applied; expansions (`$X`, `$(...)`) are kept raw.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct ShellWord<'a> {
    /// Borrowed from the script whenever it reads as written (most words do: `apt-get`,
    /// `'quoted'`, `"$HOME"`); a copy only when quotes or escapes split it.
    pub text: Cow<'a, str>,
    pub range: TextRange,
    /// Byte offsets in the script text the word was read from (empty for exec-form words).
    pub raw: Range<usize>,
}

impl ShellWord<'_> {
    /// The same word, owning its text (for words read from a text that does not outlive them).
    fn into_owned(self) -> ShellWord<'static> {
        ShellWord {
            text: Cow::Owned(self.text.into_owned()),
            range: self.range,
            raw: self.raw,
        }
    }
}

/// Scripts read one after another, stored flat: a script is a range of `commands`, a command a
/// range of `words`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct ScriptStore<'a> {
    words: Vec<ShellWord<'a>>,
    commands: Vec<CommandData>,
    /// Delimiters of heredocs redirected into commands (`<<EOF`).
    heredocs: Vec<Cow<'a, str>>,
    /// Every `|` and `|&`.
    pipes: Vec<TextRange>,
    scripts: Vec<ScriptData>,
    /// The words of the commands being read (a `$(...)` inside a command stacks the words of
    /// its own commands on top), moved to `words` as each command ends. Empty between scripts.
    pending: Vec<ShellWord<'a>>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
struct ScriptData {
    commands: Range<usize>,
    pipes: Range<usize>,
}

/// One simple command: `sudo -E env DEBIAN_FRONTEND=noninteractive apt-get install -y curl`.
#[derive(Clone, Debug, PartialEq, Eq)]
struct CommandData {
    /// Its words in [`ScriptStore::words`]: the wrappers, then the assignments, then the
    /// program and its arguments.
    words: Range<usize>,
    wrappers: usize,
    assignments: usize,
    heredocs: Range<usize>,
    pipeline: usize,
    pipe_position: usize,
    substituted: bool,
    /// A copy of the program's file name, so that the rules asking for it do not each read
    /// the program's text.
    short_name: ShortName,
    /// Where the program's file name starts in its text (`apt-get` in `/usr/bin/apt-get`), so
    /// that reading the name needs no search and no UTF-8 check.
    name_at: usize,
}

/// A short string kept inline (`None` when longer than its buffer).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct ShortName {
    len: Option<u8>,
    bytes: [u8; SHORT_NAME_CAPACITY],
}

const SHORT_NAME_CAPACITY: usize = 22;

impl ShortName {
    pub(crate) fn new(text: &str) -> ShortName {
        let mut name = ShortName {
            len: None,
            bytes: [0; SHORT_NAME_CAPACITY],
        };
        if let Some(slot) = name.bytes.get_mut(..text.len()) {
            slot.copy_from_slice(text.as_bytes());
            name.len = u8::try_from(text.len()).ok();
        }
        name
    }

    /// Whether [`ShortName::new`] keeps `text` (and [`ShortName::get`] gives it back).
    pub(crate) fn fits(text: &str) -> bool {
        text.len() <= SHORT_NAME_CAPACITY
    }

    /// The string; `None` when it did not fit.
    #[cfg(test)]
    fn get(&self) -> Option<&str> {
        std::str::from_utf8(self.as_bytes()?).ok()
    }

    fn as_bytes(&self) -> Option<&[u8]> {
        self.bytes.get(..usize::from(self.len?))
    }
}

/// One command of a [`ScriptStore`], with the words it reads.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Command<'r, 'a> {
    data: &'r CommandData,
    /// The command's own words (`data.words` of the store's words).
    words: &'r [ShellWord<'a>],
    heredocs: &'r [Cow<'a, str>],
}

impl<'r, 'a> Command<'r, 'a> {
    /// Programs that run the real program: `sudo`, `env`, `nohup`, `exec`, ...
    pub fn wrappers(&self) -> &'r [ShellWord<'a>] {
        self.words.get(..self.data.wrappers).unwrap_or(&[])
    }

    /// `NAME=value` words before the program (and those given to `env`).
    pub fn assignments(&self) -> &'r [ShellWord<'a>] {
        let start = self.data.wrappers;
        self.words
            .get(start..start + self.data.assignments)
            .unwrap_or(&[])
    }

    /// The program and its arguments.
    fn program_and_args(&self) -> &'r [ShellWord<'a>] {
        self.words
            .get(self.data.wrappers + self.data.assignments..)
            .unwrap_or(&[])
    }

    pub fn program(&self) -> &'r ShellWord<'a> {
        // A command is only stored with a program (`ScriptStore::finish_command`).
        &self.program_and_args()[0]
    }

    pub fn args(&self) -> &'r [ShellWord<'a>] {
        self.program_and_args().get(1..).unwrap_or(&[])
    }

    /// Delimiters of heredocs redirected into this command (`<<EOF`).
    pub fn heredocs(&self) -> &'r [Cow<'a, str>] {
        self.heredocs
    }

    /// Commands of one pipeline share this number.
    pub fn pipeline(&self) -> usize {
        self.data.pipeline
    }

    /// 0 for the first command of its pipeline, 1 for the one after the first `|`, ...
    pub fn pipe_position(&self) -> usize {
        self.data.pipe_position
    }

    /// Runs inside `$(...)`, backticks or `<(...)`.
    pub fn substituted(&self) -> bool {
        self.data.substituted
    }

    /// The program's file name: `/usr/bin/apt-get` -> `apt-get`.
    pub fn name(&self) -> &'r str {
        let text: &'r str = &self.program().text;
        text.get(self.data.name_at..).unwrap_or(text)
    }

    pub fn is(&self, name: &str) -> bool {
        match self.data.short_name.as_bytes() {
            Some(short) => short == name.as_bytes(),
            None => self.name() == name,
        }
    }

    /// From the first wrapper (or the program) to the last argument.
    pub fn range(&self) -> TextRange {
        let start = self.wrappers().first().unwrap_or(self.program()).range;
        let end = self.args().last().unwrap_or(self.program()).range;
        start.cover(end)
    }

    /// Long option names (`--yes`, `--progress=bar` -> `progress`) and single-letter
    /// options (`-qy` -> `q`, `y`), as hadolint reads them. Stops at `--`.
    pub fn options(&self) -> Vec<(String, &'r ShellWord<'a>)> {
        let mut out = Vec::new();
        self.for_each_option(|name, arg| {
            out.push((name.to_string(), arg));
            false
        });
        out
    }

    pub fn has_option(&self, names: &[&str]) -> bool {
        self.for_each_option(|name, _| names.contains(&name))
    }

    /// Calls `visit` with each option of [`Command::options`] (a single letter as a slice of
    /// its argument), without copying them, until it returns true; whether it did.
    fn for_each_option(&self, mut visit: impl FnMut(&str, &'r ShellWord<'a>) -> bool) -> bool {
        for arg in self.args() {
            let text: &str = &arg.text;
            if text == "--" {
                break;
            }
            if let Some(long) = text.strip_prefix("--") {
                let name = long.split('=').next().unwrap_or(long);
                if visit(name, arg) {
                    return true;
                }
            } else if let Some(short) = text.strip_prefix('-') {
                for (at, c) in short.char_indices() {
                    if visit(&short[at..at + c.len_utf8()], arg) {
                        return true;
                    }
                }
            }
        }
        false
    }

    pub fn has_arg(&self, text: &str) -> bool {
        self.args().iter().any(|a| a.text == text)
    }

    /// The arguments that are not options, skipping the values of `options_with_value`
    /// (given as they are written: `-t`, `--target-release`).
    pub fn operands(&self, options_with_value: &[&str]) -> Vec<&'r ShellWord<'a>> {
        let mut out = Vec::new();
        let mut args = self.args().iter();
        let mut only_operands = false;
        while let Some(arg) = args.next() {
            let text: &str = &arg.text;
            if only_operands {
                out.push(arg);
            } else if text == "--" {
                only_operands = true;
            } else if text.starts_with('-') && text.len() > 1 {
                let takes_value = options_with_value.iter().any(|o| {
                    // `-t value`, but not `-tvalue` nor `--target-release=value`.
                    *o == text
                });
                if takes_value {
                    args.next();
                }
            } else {
                out.push(arg);
            }
        }
        out
    }
}

/// One script of a [`ScriptStore`]: its commands in source order, and its pipe operators.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Script<'r, 'a> {
    store: &'r ScriptStore<'a>,
    data: &'r ScriptData,
}

impl<'r, 'a> Script<'r, 'a> {
    pub fn commands(&self) -> impl DoubleEndedIterator<Item = Command<'r, 'a>> + 'r {
        let store = self.store;
        self.data
            .commands
            .clone()
            .filter_map(move |index| store.command(index))
    }

    /// Every `|` and `|&`.
    pub fn pipes(&self) -> &'r [TextRange] {
        self.store.pipes.get(self.data.pipes.clone()).unwrap_or(&[])
    }

    /// The commands of the same pipeline that run before `command` (they feed its input).
    pub fn upstream(&self, command: Command<'r, 'a>) -> impl Iterator<Item = Command<'r, 'a>> {
        self.commands().filter(move |c| {
            c.pipeline() == command.pipeline() && c.pipe_position() < command.pipe_position()
        })
    }
}

impl<'a> ScriptStore<'a> {
    /// Room for the scripts of about `bytes` bytes of shell text, so that reading them does
    /// not grow (and copy) the buffers over and over.
    pub(crate) fn with_capacity(bytes: usize) -> ScriptStore<'a> {
        ScriptStore {
            words: Vec::with_capacity(bytes / BYTES_PER_WORD),
            commands: Vec::with_capacity(bytes / BYTES_PER_COMMAND),
            heredocs: Vec::new(),
            pipes: Vec::new(),
            scripts: Vec::with_capacity(bytes / BYTES_PER_SCRIPT),
            pending: Vec::with_capacity(MAX_WORDS_PER_COMMAND),
        }
    }

    pub(crate) fn script_count(&self) -> usize {
        self.scripts.len()
    }

    pub(crate) fn script(&self, index: usize) -> Option<Script<'_, 'a>> {
        Some(Script {
            store: self,
            data: self.scripts.get(index)?,
        })
    }

    fn command(&self, index: usize) -> Option<Command<'_, 'a>> {
        let data = self.commands.get(index)?;
        Some(Command {
            data,
            words: self.words.get(data.words.clone())?,
            heredocs: self.heredocs.get(data.heredocs.clone())?,
        })
    }

    /// The commands of every script, in order.
    pub(crate) fn all_commands(&self) -> impl Iterator<Item = Command<'_, 'a>> {
        (0..self.commands.len()).filter_map(|index| self.command(index))
    }

    /// Reads `text` as a shell script. `map` turns byte offsets in `text` into source ranges.
    /// Returns the index of the script.
    pub(crate) fn parse_script(
        &mut self,
        text: &'a str,
        map: &dyn Fn(usize, usize) -> TextRange,
    ) -> usize {
        let (commands, pipes) = (self.commands.len(), self.pipes.len());
        self.read_script(text, map, 0);
        self.push_script(commands, pipes)
    }

    /// Reads the text of `word` as a shell script (`sh -c 'script'`): its words borrow from
    /// the same source as `word` does, or own their text when `word` owns its own.
    pub(crate) fn parse_word_script(
        &mut self,
        word: &ShellWord<'a>,
        map: &dyn Fn(usize, usize) -> TextRange,
    ) -> usize {
        let (commands, pipes) = (self.commands.len(), self.pipes.len());
        self.read_word_script(word, map, 0);
        self.push_script(commands, pipes)
    }

    /// A script of one command whose words are given (exec form): no shell reads them.
    /// `None` when the words make no command.
    pub(crate) fn push_command(
        &mut self,
        words: impl IntoIterator<Item = ShellWord<'a>>,
    ) -> Option<usize> {
        let (commands, pipes) = (self.commands.len(), self.pipes.len());
        let base = self.pending.len();
        self.pending.extend(words);
        self.finish_command(base, &[], 0, 0, false);
        (self.commands.len() > commands).then(|| self.push_script(commands, pipes))
    }

    fn push_script(&mut self, commands: usize, pipes: usize) -> usize {
        self.scripts.push(ScriptData {
            commands: commands..self.commands.len(),
            pipes: pipes..self.pipes.len(),
        });
        self.scripts.len() - 1
    }

    fn read_word_script(
        &mut self,
        word: &ShellWord<'a>,
        map: &dyn Fn(usize, usize) -> TextRange,
        depth: usize,
    ) {
        match word.text {
            Cow::Borrowed(text) => self.read_script(text, map, depth),
            Cow::Owned(ref text) => {
                // The words cannot borrow from `text`: read apart, then copied.
                let mut owned = ScriptStore::default();
                owned.read_script(text, map, depth);
                self.append_owned(owned);
            }
        }
    }

    /// Appends the commands and pipes of `other`, copying the text of its words.
    fn append_owned(&mut self, other: ScriptStore<'_>) {
        let (words, heredocs) = (self.words.len(), self.heredocs.len());
        self.words.extend(
            other
                .words
                .into_iter()
                .map(|w| -> ShellWord<'a> { w.into_owned() }),
        );
        self.heredocs.extend(
            other
                .heredocs
                .into_iter()
                .map(|h| Cow::Owned(h.into_owned())),
        );
        self.pipes.extend(other.pipes);
        self.commands
            .extend(other.commands.into_iter().map(|c| CommandData {
                words: c.words.start + words..c.words.end + words,
                heredocs: c.heredocs.start + heredocs..c.heredocs.end + heredocs,
                ..c
            }));
    }

    /// Reads `text` and the `sh -c` scripts inside it: appends their commands, in source
    /// order, and their pipes.
    fn read_script(
        &mut self,
        text: &'a str,
        map: &dyn Fn(usize, usize) -> TextRange,
        depth: usize,
    ) {
        let (first_command, first_pipe) = (self.commands.len(), self.pipes.len());
        let mut reader = Reader {
            text,
            map,
            store: self,
            next_pipeline: 0,
        };
        reader.parse(0, text.len(), false);
        let mut next_pipeline = reader.next_pipeline + 1;
        if depth < MAX_NESTING {
            for index in first_command..self.commands.len() {
                let Some(body) = self
                    .command(index)
                    .as_ref()
                    .and_then(shell_c_script)
                    .cloned()
                else {
                    continue;
                };
                let raw = text.get(body.raw.clone()).unwrap_or("");
                let body_text: &str = &body.text;
                let base = if raw == body_text {
                    Some(body.raw.start)
                } else if raw.len() == body_text.len() + 2
                    && (raw.starts_with('\'') || raw.starts_with('"'))
                    && raw.get(1..raw.len() - 1) == Some(body_text)
                {
                    Some(body.raw.start + 1)
                } else {
                    None
                };
                let whole = body.range;
                let inner_map = |s: usize, e: usize| match base {
                    Some(b) => map(b + s, b + e),
                    None => whole,
                };
                let (nested_commands, nested_pipes) = (self.commands.len(), self.pipes.len());
                self.read_word_script(&body, &inner_map, depth + 1);
                let nested = self.commands.get_mut(nested_commands..).unwrap_or_default();
                for c in nested.iter_mut() {
                    c.pipeline += next_pipeline;
                }
                next_pipeline += nested.len() + (self.pipes.len() - nested_pipes) + 1;
            }
        }
        let words = &self.words;
        // The first wrapper, or the program: not an assignment before it.
        let first_word = |c: &CommandData| {
            let first = match c.wrappers {
                0 => c.words.start + c.assignments,
                _ => c.words.start,
            };
            words.get(first).map(|w| w.range.start())
        };
        // One command (most scripts) needs neither sorting nor deduplicating.
        if self.commands.len() > first_command + 1 {
            if let Some(commands) = self.commands.get_mut(first_command..) {
                // Nearly always in order already (only substitutions and `sh -c` scripts
                // come before their command): a stable sort would leave them as they are.
                if !commands.is_sorted_by_key(first_word) {
                    commands.sort_by_key(first_word);
                }
            }
            // `sh -c "$(curl x)"`: the substitution is read in the outer script and again in
            // the inner one; keep one.
            dedup_from(&mut self.commands, first_command, |a, b| {
                same_words(words, a, b)
            });
        }
        if self.pipes.len() > first_pipe + 1 {
            if let Some(pipes) = self.pipes.get_mut(first_pipe..) {
                if !pipes.is_sorted_by_key(|r| r.start()) {
                    pipes.sort_by_key(|r| r.start());
                }
            }
            dedup_from(&mut self.pipes, first_pipe, |a, b| a == b);
        }
    }

    /// Ends the command whose words are `pending[base..]`: stores it (unless the words are
    /// no command, such as the header of `for x in a b`) and takes the words off `pending`.
    fn finish_command(
        &mut self,
        base: usize,
        heredocs: &[(Cow<'a, str>, bool)],
        pipeline: usize,
        pipe_position: usize,
        substituted: bool,
    ) {
        let Some(moved) = self
            .move_plain_command(base)
            .or_else(|| self.move_shaped_command(base))
        else {
            return;
        };
        let MovedCommand {
            first_word,
            wrappers,
            assignments,
            short_name,
            name_at,
        } = moved;
        let first_heredoc = self.heredocs.len();
        self.heredocs
            .extend(heredocs.iter().map(|(delimiter, _)| delimiter.clone()));
        self.commands.push(CommandData {
            words: first_word..self.words.len(),
            wrappers,
            assignments,
            heredocs: first_heredoc..self.heredocs.len(),
            pipeline,
            pipe_position,
            substituted,
            short_name,
            name_at,
        });
    }

    /// When the first of `pending[base..]` is the program (most commands), moves the words to
    /// [`ScriptStore::words`] as they are: what [`command_shape`] would find, without its
    /// searches. `None` leaves `pending` as it is.
    fn move_plain_command(&mut self, base: usize) -> Option<MovedCommand> {
        if !fast_paths() {
            return None;
        }
        let first = self.pending.get(base)?;
        let name = basename(&first.text);
        if !is_plain_program(&first.text, name) {
            return None;
        }
        let (short_name, name_at) = (ShortName::new(name), first.text.len() - name.len());
        let first_word = self.words.len();
        if base == 0 {
            // One copy of the block; `pending` keeps its buffer.
            self.words.append(&mut self.pending);
        } else {
            self.words.extend(self.pending.drain(base..));
        }
        Some(MovedCommand {
            first_word,
            wrappers: 0,
            assignments: 0,
            short_name,
            name_at,
        })
    }

    /// Moves the words of `pending[base..]` to [`ScriptStore::words`] in the order
    /// [`CommandData`] keeps them: wrappers, assignments, then the program and its arguments.
    /// `None` when the words are no command (they are dropped).
    fn move_shaped_command(&mut self, base: usize) -> Option<MovedCommand> {
        let Some(shape) = command_shape(self.pending.get(base..).unwrap_or(&[])) else {
            self.pending.truncate(base);
            return None;
        };
        let first_word = self.words.len();
        if shape.program_at == 0 {
            self.words.extend(self.pending.drain(base..));
        } else {
            // Keywords, wrappers and assignments before the program (rare): the wrappers
            // first, then the assignments, and the keywords and wrapper options left out.
            let mut taken: Vec<Option<ShellWord<'a>>> =
                self.pending.drain(base..).map(Some).collect();
            let count = taken.len();
            let mut take = |at: usize| taken.get_mut(at).and_then(Option::take);
            let before: Vec<ShellWord<'a>> = shape
                .wrappers_at
                .iter()
                .chain(&shape.assignments_at)
                .filter_map(|&at| take(at))
                .collect();
            let rest: Vec<ShellWord<'a>> =
                (shape.program_at..count).filter_map(&mut take).collect();
            self.words.extend(before);
            self.words.extend(rest);
        }
        let (wrappers, assignments) = (shape.wrappers_at.len(), shape.assignments_at.len());
        let Some(program) = self.words.get(first_word + wrappers + assignments) else {
            self.words.truncate(first_word);
            return None;
        };
        let name = basename(&program.text);
        Some(MovedCommand {
            first_word,
            wrappers,
            assignments,
            short_name: ShortName::new(name),
            name_at: program.text.len() - name.len(),
        })
    }
}

/// Where [`ScriptStore::finish_command`] moved a command's words.
struct MovedCommand {
    /// Its first word in [`ScriptStore::words`].
    first_word: usize,
    /// How many wrappers, then assignments, come before the program.
    wrappers: usize,
    assignments: usize,
    /// The program's name, and where it starts in its word (after any directory).
    short_name: ShortName,
    name_at: usize,
}

/// Keeps the first of each run of items from `from` on that `same` says are equal (as
/// `Vec::dedup_by` does for a whole vector).
fn dedup_from<T>(items: &mut Vec<T>, from: usize, mut same: impl FnMut(&T, &T) -> bool) {
    let mut kept = from;
    for index in from..items.len() {
        let repeated = kept > from && same(&items[index], &items[kept - 1]);
        if !repeated {
            items.swap(kept, index);
            kept += 1;
        }
    }
    items.truncate(kept);
}

fn same_words(words: &[ShellWord], a: &CommandData, b: &CommandData) -> bool {
    // The wrappers, the program and its arguments: the words but the assignments.
    fn read<'w, 'a>(
        words: &'w [ShellWord<'a>],
        c: &CommandData,
    ) -> (&'w [ShellWord<'a>], &'w [ShellWord<'a>]) {
        let all = words.get(c.words.clone()).unwrap_or(&[]);
        let wrappers = all.get(..c.wrappers).unwrap_or(&[]);
        let program_and_args = all.get(c.wrappers + c.assignments..).unwrap_or(&[]);
        (wrappers, program_and_args)
    }
    let (a_wrappers, a_rest) = read(words, a);
    let (b_wrappers, b_rest) = read(words, b);
    let same = |x: &ShellWord, y: &ShellWord| x.text == y.text && x.range == y.range;
    a_rest.first().map(|w| w.range) == b_rest.first().map(|w| w.range)
        && a_rest.len() == b_rest.len()
        && a_wrappers.len() == b_wrappers.len()
        && a_wrappers.iter().zip(b_wrappers).all(|(x, y)| same(x, y))
        && a_rest.iter().zip(b_rest).all(|(x, y)| same(x, y))
}

/// `/usr/bin/apt-get` -> `apt-get`.
pub(crate) fn basename(path: &str) -> &str {
    match path.bytes().rposition(|b| b == b'/' || b == b'\\') {
        Some(slash) => &path[slash + 1..],
        None => path,
    }
}

/// Shells that read a script: as programs they make `curl ... | sh` run downloaded code.
pub(crate) const POSIX_SHELLS: &[&str] = &["sh", "bash", "ash", "dash", "zsh", "ksh", "mksh"];

/// Whether `name` is one of [`POSIX_SHELLS`].
fn is_posix_shell(name: &[u8]) -> bool {
    matches!(
        name,
        b"sh" | b"bash" | b"ash" | b"dash" | b"zsh" | b"ksh" | b"mksh"
    )
}

/// Room reserved in a [`ScriptStore`] per byte of shell text: a word per `BYTES_PER_WORD`,
/// and so on (guesses from the RUNs of real files; the vectors grow past them when needed).
const BYTES_PER_WORD: usize = 8;
const BYTES_PER_COMMAND: usize = 48;
const BYTES_PER_SCRIPT: usize = 64;
/// The words of a long command, reserved once for the commands being read.
const MAX_WORDS_PER_COMMAND: usize = 16;

/// How deep `sh -c "sh -c '...'"` is followed.
const MAX_NESTING: usize = 4;

/// The script of `sh -c 'script'` (also `bash -ec`, `bash -o pipefail -c`).
pub(crate) fn shell_c_script<'r, 'a>(command: &Command<'r, 'a>) -> Option<&'r ShellWord<'a>> {
    // The inline name's bytes, matched at once: no UTF-8 check, no search per command.
    let is_shell = match command.data.short_name.as_bytes() {
        Some(name) => is_posix_shell(name),
        None => POSIX_SHELLS.contains(&command.name()),
    };
    if !is_shell {
        return None;
    }
    let mut saw_c = false;
    let mut args = command.args().iter();
    while let Some(arg) = args.next() {
        let text: &str = &arg.text;
        if text == "-o" || text == "+o" {
            args.next();
        } else if (text.starts_with('-') || text.starts_with('+'))
            && text.len() > 1
            && !text.starts_with("--")
        {
            saw_c |= text[1..].contains('c');
            if text[1..].ends_with('o') {
                args.next();
            }
        } else if text.starts_with("--") {
            continue;
        } else {
            return saw_c.then_some(arg);
        }
    }
    None
}

struct Reader<'a, 'm, 's> {
    text: &'a str,
    map: &'m dyn Fn(usize, usize) -> TextRange,
    store: &'s mut ScriptStore<'a>,
    next_pipeline: usize,
}

/// A set of ASCII bytes as a lookup table over every byte value (so that a scan needs no
/// separate check for non-ASCII bytes, which are never members).
const fn ascii_set(members: &[u8]) -> [bool; 256] {
    let mut set = [false; 256];
    let mut i = 0;
    while i < members.len() {
        set[members[i] as usize] = true;
        i += 1;
    }
    set
}

/// The index of the first byte of `bytes` marked in `set`, or its length; four bytes a step,
/// with one branch (slower than a byte at a time on short runs).
fn first_marked(bytes: &[u8], set: &[bool; 256]) -> usize {
    let marked = |b: u8| set[usize::from(b)];
    let mut at = 0;
    let mut chunks = bytes.chunks_exact(4);
    for chunk in &mut chunks {
        if let &[a, b, c, d] = chunk {
            if marked(a) | marked(b) | marked(c) | marked(d) {
                break;
            }
        }
        at += 4;
    }
    let rest = bytes.get(at..).unwrap_or(&[]);
    at + rest.iter().position(|&b| marked(b)).unwrap_or(rest.len())
}

/// What ends or changes the reading of an unquoted word.
const WORD_SPECIAL: &[bool; 256] = &ascii_set(b" \t\r\n|&;()<>\\'\"`$");

/// Whether the shortcuts for common shapes are taken; the tests compare the results with
/// and without them.
#[cfg(not(test))]
fn fast_paths() -> bool {
    true
}

#[cfg(test)]
thread_local! {
    static FAST_PATHS: std::cell::Cell<bool> = const { std::cell::Cell::new(true) };
}

#[cfg(test)]
fn fast_paths() -> bool {
    FAST_PATHS.with(std::cell::Cell::get)
}

/// What ends an unquoted word.
fn ends_word(b: u8) -> bool {
    matches!(
        b,
        b' ' | b'\t' | b'\r' | b'\n' | b'|' | b'&' | b';' | b'(' | b')' | b'<' | b'>'
    )
}

/// The characters of a variable name after `$`.
const NAME_CHAR: &[bool; 256] =
    &ascii_set(b"_0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ");

/// The one-character parameters after `$` (`$?`, `$1`, ...).
const DOLLAR_SPECIAL: &[u8] = b"?#@*!$-0123456789";

/// What changes the reading of a double-quoted string.
const QUOTED_SPECIAL: &[bool; 256] = &ascii_set(b"\"\\`$");

/// A word being read: its text and where it started.
struct PendingWord {
    start: usize,
    text: WordText,
}

/// The text of a word being read: a slice of the script while it reads as written, a copy
/// once quotes or escapes make it differ.
enum WordText {
    Source(std::ops::Range<usize>),
    Owned(String),
}

impl WordText {
    /// Appends `source[from..to]`.
    fn push_source(&mut self, source: &str, from: usize, to: usize) {
        let Some(piece) = source.get(from..to).filter(|p| !p.is_empty()) else {
            return;
        };
        match self {
            WordText::Source(range) if range.start == range.end => *range = from..to,
            WordText::Source(range) if range.end == from => range.end = to,
            WordText::Source(range) => {
                let before = source.get(range.clone()).unwrap_or("");
                let mut owned = String::with_capacity(before.len() + piece.len());
                owned.push_str(before);
                owned.push_str(piece);
                *self = WordText::Owned(owned);
            }
            WordText::Owned(text) => text.push_str(piece),
        }
    }

    fn into_cow(self, source: &str) -> Cow<'_, str> {
        match self {
            WordText::Source(range) => Cow::Borrowed(source.get(range).unwrap_or("")),
            WordText::Owned(text) => Cow::Owned(text),
        }
    }
}

/// What the next word is for.
#[derive(Clone, Copy, PartialEq, Eq)]
enum NextWord {
    Argument,
    RedirectTarget,
    HeredocDelimiter { strip_tabs: bool },
}

impl<'a> Reader<'a, '_, '_> {
    fn char_at(&self, i: usize) -> Option<char> {
        match self.text.as_bytes().get(i) {
            Some(&b) if b.is_ascii() => Some(b as char),
            Some(_) => self.text.get(i..).and_then(|s| s.chars().next()),
            None => None,
        }
    }

    /// The offset of the first byte from `i` marked in `special` (all of them ASCII, so the
    /// offset is a character boundary), or `end`.
    fn plain_end(&self, i: usize, end: usize, special: &[bool; 256]) -> usize {
        let bytes = self.text.as_bytes().get(i..end).unwrap_or(&[]);
        let len = bytes
            .iter()
            .position(|&b| special[usize::from(b)])
            .unwrap_or(bytes.len());
        i + len
    }

    fn byte(&self, i: usize) -> Option<u8> {
        self.text.as_bytes().get(i).copied()
    }

    fn new_pipeline(&mut self) -> usize {
        self.next_pipeline += 1;
        self.next_pipeline
    }

    /// Reads `text[start..end]`: a list of pipelines.
    fn parse(&mut self, start: usize, end: usize, substituted: bool) {
        // The words of the command being read are stacked on `pending` from here on (those of
        // an enclosing command, when this is a `$(...)`, lie below).
        let base = self.store.pending.len();
        // The heredocs opened on the current line; the command being read redirects those
        // from `heredocs_from` on. Kept once, and copied into a command only when there is
        // one: `RUN <<EOF` opens a heredoc with no command.
        let mut pending_bodies: Vec<(Cow<'a, str>, bool)> = Vec::new();
        let mut heredocs_from = 0;
        let mut pipeline = self.new_pipeline();
        let mut position = 0;
        let mut next = NextWord::Argument;
        let mut i = start;
        // Ends the command being read; the value is where the next command's heredocs start.
        macro_rules! finish {
            () => {{
                // No command: its heredocs go with it.
                if self.store.pending.len() > base {
                    self.store.finish_command(
                        base,
                        pending_bodies.get(heredocs_from..).unwrap_or(&[]),
                        pipeline,
                        position,
                        substituted,
                    );
                }
                pending_bodies.len()
            }};
        }
        while i < end {
            let Some(c) = self.char_at(i) else { break };
            match c {
                ' ' | '\t' | '\r' if !fast_paths() => i += 1,
                ' ' | '\t' | '\r' => {
                    // Continuation lines leave long runs of indentation: skipped at once.
                    let blanks = self.text.as_bytes().get(i + 1..end).unwrap_or(&[]);
                    i += 1 + blanks
                        .iter()
                        .position(|b| !matches!(b, b' ' | b'\t' | b'\r'))
                        .unwrap_or(blanks.len());
                }
                '\\' if self.byte(i + 1) == Some(b'\n') => i += 2,
                '\n' => {
                    finish!();
                    pipeline = self.new_pipeline();
                    position = 0;
                    i += 1;
                    i = self.skip_heredoc_bodies(i, end, &mut pending_bodies);
                    heredocs_from = 0;
                }
                '#' => {
                    while i < end && self.byte(i) != Some(b'\n') {
                        i += 1;
                    }
                }
                '|' if self.byte(i + 1) == Some(b'|') => {
                    heredocs_from = finish!();
                    pipeline = self.new_pipeline();
                    position = 0;
                    i += 2;
                }
                '|' => {
                    // `|&` pipes stderr too.
                    let len = if self.byte(i + 1) == Some(b'&') { 2 } else { 1 };
                    heredocs_from = finish!();
                    self.store.pipes.push((self.map)(i, i + len));
                    position += 1;
                    i += len;
                }
                '&' if self.byte(i + 1) == Some(b'>') => {
                    // `&>file`, `&>>file`.
                    i += if self.byte(i + 2) == Some(b'>') { 3 } else { 2 };
                    next = NextWord::RedirectTarget;
                }
                '&' | ';' | '(' | ')' => {
                    heredocs_from = finish!();
                    pipeline = self.new_pipeline();
                    position = 0;
                    let doubled =
                        matches!((c, self.byte(i + 1)), ('&', Some(b'&')) | (';', Some(b';')));
                    i += if doubled { 2 } else { 1 };
                }
                '<' | '>' => {
                    if matches!(self.byte(i + 1), Some(b'(')) {
                        // Process substitution: a word whose commands run.
                        let (word, after) = self.read_word(i, end);
                        if let Some(w) = word {
                            self.push_word(w, &mut next, &mut pending_bodies);
                        }
                        i = after;
                        continue;
                    }
                    i = self.read_redirect(i, &mut next);
                }
                _ => {
                    // The common words, pushed as they are read, without the general reader:
                    // plain (`-c`, `$X`) or quoted whole (`"src/App.csproj"`).
                    let plain = match c {
                        '"' => self
                            .quoted_word_end(i, end)
                            .map(|after| (i + 1..after - 1, after)),
                        _ => self.plain_word_end(i, end).map(|after| (i..after, after)),
                    };
                    if let Some((text, after)) = plain {
                        let text = self.text.get(text).unwrap_or("");
                        if next == NextWord::Argument && !self.is_fd_number(text, after) {
                            let range = (self.map)(i, after);
                            self.store.pending.push(ShellWord {
                                text: Cow::Borrowed(text),
                                range,
                                raw: i..after,
                            });
                            i = after;
                            continue;
                        }
                    }
                    let (word, after) = self.read_word(i, end);
                    if let Some(w) = word {
                        // `2>&1`: digits directly before a redirection are a file descriptor.
                        if !self.is_fd_number(&w.text, after) {
                            self.push_word(w, &mut next, &mut pending_bodies);
                        }
                    }
                    i = after.max(i + 1);
                }
            }
        }
        finish!();
    }

    /// Where the word at `start` ends when it reads as written and needs nothing of the
    /// general reader (plain bytes and `$NAME`s: `-c`, `$TARGETARCH`, `/app/$X/y`); `None`
    /// otherwise (also when fast paths are off).
    fn plain_word_end(&self, start: usize, end: usize) -> Option<usize> {
        if !fast_paths() {
            return None;
        }
        let bytes = self.text.as_bytes().get(..end)?;
        let mut i = start;
        loop {
            i = self.plain_end(i, end, WORD_SPECIAL);
            match bytes.get(i) {
                None => break,
                Some(&b) if ends_word(b) => break,
                // `$NAME`, `$?` or a lone `$`, as `read_dollar` reads them: the text stays the
                // source.
                Some(b'$') => match bytes.get(i + 1) {
                    Some(b'(' | b'{' | b'\'') => return None,
                    Some(&b) if NAME_CHAR[usize::from(b)] => {
                        let name = bytes.get(i + 1..).unwrap_or(&[]);
                        i += 1 + name
                            .iter()
                            .position(|&b| !NAME_CHAR[usize::from(b)])
                            .unwrap_or(name.len());
                    }
                    Some(b) if DOLLAR_SPECIAL.contains(b) => i += 2,
                    _ => i += 1,
                },
                Some(_) => return None,
            }
        }
        (i > start).then_some(i)
    }

    /// Where the word at `start` ends when it is one double-quoted string with nothing to
    /// unescape or expand (`"src/App.csproj"`): its quoted text, as written, is the word.
    /// `None` otherwise (also when fast paths are off).
    fn quoted_word_end(&self, start: usize, end: usize) -> Option<usize> {
        if !fast_paths() || self.byte(start) != Some(b'"') {
            return None;
        }
        // Four bytes a step: quoted words are mostly paths, longer than the others.
        let quoted = self.text.as_bytes().get(start + 1..end).unwrap_or(&[]);
        let close = start + 1 + first_marked(quoted, QUOTED_SPECIAL);
        let after = close + 1;
        (close < end
            && self.byte(close) == Some(b'"')
            && (after == end || self.byte(after).is_some_and(ends_word)))
        .then_some(after)
    }

    /// Whether the word `text`, read up to `after`, is the file descriptor of a redirection
    /// (`2>&1`).
    fn is_fd_number(&self, text: &str, after: usize) -> bool {
        // The byte after first: it is rarely a redirection.
        matches!(self.byte(after), Some(b'<' | b'>')) && text.bytes().all(|b| b.is_ascii_digit())
    }

    fn push_word(
        &mut self,
        word: ShellWord<'a>,
        next: &mut NextWord,
        pending_bodies: &mut Vec<(Cow<'a, str>, bool)>,
    ) {
        match std::mem::replace(next, NextWord::Argument) {
            NextWord::Argument => self.store.pending.push(word),
            NextWord::RedirectTarget => {}
            NextWord::HeredocDelimiter { strip_tabs } => {
                pending_bodies.push((word.text, strip_tabs));
            }
        }
    }

    /// Reads a redirection operator at `i`; the word after it is its target.
    fn read_redirect(&mut self, i: usize, next: &mut NextWord) -> usize {
        let rest = &self.text.as_bytes()[i..];
        let (len, kind) = match rest {
            [b'<', b'<', b'<', ..] => (3, NextWord::RedirectTarget),
            [b'<', b'<', b'-', ..] => (3, NextWord::HeredocDelimiter { strip_tabs: true }),
            [b'<', b'<', ..] => (2, NextWord::HeredocDelimiter { strip_tabs: false }),
            [b'<' | b'>', b'&' | b'>' | b'|', ..] => (2, NextWord::RedirectTarget),
            _ => (1, NextWord::RedirectTarget),
        };
        *next = kind;
        i + len
    }

    /// After a line break: skips the bodies of the heredocs opened on the line before.
    fn skip_heredoc_bodies(
        &self,
        mut i: usize,
        end: usize,
        pending: &mut Vec<(Cow<'a, str>, bool)>,
    ) -> usize {
        for (delimiter, strip_tabs) in pending.drain(..) {
            while i < end {
                let line_end = self.text[i..end].find('\n').map_or(end, |n| i + n);
                let line = &self.text[i..line_end];
                let line = if strip_tabs {
                    line.trim_start_matches('\t')
                } else {
                    line
                };
                i = (line_end + 1).min(end);
                if line.trim_end_matches('\r') == &*delimiter {
                    break;
                }
            }
        }
        i
    }

    /// Reads one word starting at `i`. Returns it (`None` when nothing was read) and the
    /// offset after it.
    fn read_word(&mut self, start: usize, end: usize) -> (Option<ShellWord<'a>>, usize) {
        // Most words are plain (`apt-get`, `-y`): their text is their source.
        let mut i = self.plain_end(start, end, WORD_SPECIAL);
        let text = self.text;
        // A word that starts at a special character (`<(`, a quote) is read below.
        if i > start && (i == end || self.byte(i).is_some_and(ends_word)) {
            let range = (self.map)(start, i);
            return (
                Some(ShellWord {
                    text: Cow::Borrowed(&text[start..i]),
                    range,
                    raw: start..i,
                }),
                i,
            );
        }
        if i == start {
            if let Some(after) = self.quoted_word_end(start, end) {
                let close = after - 1;
                return (
                    Some(ShellWord {
                        text: Cow::Borrowed(&text[start + 1..close]),
                        range: (self.map)(start, after),
                        raw: start..after,
                    }),
                    after,
                );
            }
        }
        let mut word = PendingWord {
            start,
            text: WordText::Source(start..i),
        };
        while i < end {
            let Some(c) = self.char_at(i) else { break };
            match c {
                ' ' | '\t' | '\r' | '\n' | '|' | '&' | ';' | '(' | ')' => break,
                '<' | '>' => {
                    if self.byte(i + 1) == Some(b'(') && i == start {
                        let close = self.matching_paren(i + 2, end);
                        self.parse(i + 2, close, true);
                        let stop = (close + 1).min(end);
                        word.text.push_source(text, i, stop);
                        i = stop;
                    } else {
                        break;
                    }
                }
                '\\' => {
                    let escaped = self.char_at(i + 1);
                    let len = escaped.map_or(0, char::len_utf8);
                    if escaped != Some('\n') {
                        word.text.push_source(text, i + 1, i + 1 + len);
                    }
                    i += 1 + len;
                }
                '\'' => {
                    let close = self.text[i + 1..end].find('\'').map_or(end, |n| i + 1 + n);
                    word.text.push_source(text, i + 1, close);
                    i = (close + 1).min(end);
                }
                '"' => i = self.read_double_quoted(i + 1, end, &mut word),
                '`' => i = self.read_backticks(i, end, &mut word),
                '$' => i = self.read_dollar(i, end, &mut word),
                _ => {
                    // A run of plain characters is taken at once.
                    let stop = self.plain_end(i + c.len_utf8(), end, WORD_SPECIAL);
                    word.text.push_source(text, i, stop);
                    i = stop;
                }
            }
        }
        if i == start {
            return (None, i);
        }
        let range = (self.map)(word.start, i);
        (
            Some(ShellWord {
                text: word.text.into_cow(text),
                range,
                raw: word.start..i,
            }),
            i,
        )
    }

    fn read_double_quoted(&mut self, mut i: usize, end: usize, word: &mut PendingWord) -> usize {
        while i < end {
            let Some(c) = self.char_at(i) else { break };
            match c {
                '"' => return i + 1,
                '\\' => {
                    let escaped = self.char_at(i + 1);
                    let after = i + 1 + escaped.map_or(0, char::len_utf8);
                    match escaped {
                        Some('$' | '`' | '"' | '\\') => {
                            word.text.push_source(self.text, i + 1, after)
                        }
                        Some('\n') | None => {}
                        // The backslash stays.
                        Some(_) => word.text.push_source(self.text, i, after),
                    }
                    i = after;
                }
                '`' => i = self.read_backticks(i, end, word),
                '$' => i = self.read_dollar(i, end, word),
                _ => {
                    let stop = self.plain_end(i + c.len_utf8(), end, QUOTED_SPECIAL);
                    word.text.push_source(self.text, i, stop);
                    i = stop;
                }
            }
        }
        end
    }

    fn read_backticks(&mut self, i: usize, end: usize, word: &mut PendingWord) -> usize {
        let mut j = i + 1;
        while j < end {
            match self.byte(j) {
                Some(b'\\') => j += 2,
                Some(b'`') => break,
                _ => j += 1,
            }
        }
        let close = j.min(end);
        self.parse(i + 1, close, true);
        let stop = (close + 1).min(end);
        word.text.push_source(self.text, i, stop);
        stop
    }

    /// `$(...)`, `$((...))`, `${...}`, `$'...'`, `$NAME` or a lone `$`.
    fn read_dollar(&mut self, i: usize, end: usize, word: &mut PendingWord) -> usize {
        let stop = match self.byte(i + 1) {
            Some(b'(') if self.byte(i + 2) == Some(b'(') => {
                (self.matching_paren(i + 2, end) + 1).min(end)
            }
            Some(b'(') => {
                let close = self.matching_paren(i + 2, end);
                self.parse(i + 2, close, true);
                (close + 1).min(end)
            }
            Some(b'{') => {
                let mut depth = 0usize;
                let mut j = i + 1;
                while j < end {
                    match self.byte(j) {
                        Some(b'{') => depth += 1,
                        Some(b'}') => {
                            depth = depth.saturating_sub(1);
                            if depth == 0 {
                                break;
                            }
                        }
                        Some(b'\\') => j += 1,
                        _ => {}
                    }
                    j += 1;
                }
                (j + 1).min(end)
            }
            Some(b'\'') => {
                let mut j = i + 2;
                while j < end {
                    match self.byte(j) {
                        Some(b'\\') => j += 2,
                        Some(b'\'') => break,
                        _ => j += 1,
                    }
                }
                let close = j.min(end);
                word.text.push_source(self.text, i + 2, close);
                return (close + 1).min(end);
            }
            _ => {
                let name = self.text.as_bytes().get(i + 1..end).unwrap_or(&[]);
                let mut j = i
                    + 1
                    + name
                        .iter()
                        .position(|&b| !NAME_CHAR[usize::from(b)])
                        .unwrap_or(name.len());
                if j == i + 1 && self.byte(j).is_some_and(|b| DOLLAR_SPECIAL.contains(&b)) {
                    j += 1;
                }
                j
            }
        };
        word.text.push_source(self.text, i, stop);
        stop
    }

    /// The offset of the `)` closing a `(` whose content starts at `i` (or `end`).
    fn matching_paren(&self, mut i: usize, end: usize) -> usize {
        let mut depth = 1usize;
        while i < end {
            match self.byte(i) {
                Some(b'\\') => i += 1,
                Some(b'\'') => {
                    i = self.text[i + 1..end].find('\'').map_or(end, |n| i + 1 + n);
                }
                Some(b'"') => {
                    i += 1;
                    while i < end {
                        match self.byte(i) {
                            Some(b'\\') => i += 1,
                            Some(b'"') => break,
                            _ => {}
                        }
                        i += 1;
                    }
                }
                Some(b'(') => depth += 1,
                Some(b')') => {
                    depth -= 1;
                    if depth == 0 {
                        return i;
                    }
                }
                _ => {}
            }
            i += 1;
        }
        end
    }
}

/// Reserved words that may stand before a command (`if`, `then`, `!`, `{`, ...).
/// A `match` rather than a list: it compares lengths before bytes.
fn is_command_prefix_keyword(word: &str) -> bool {
    matches!(
        word,
        "if" | "then"
            | "else"
            | "elif"
            | "fi"
            | "do"
            | "done"
            | "while"
            | "until"
            | "!"
            | "{"
            | "}"
            | "time"
            | "esac"
    )
}

/// Wrappers and the options of theirs that take a value.
const WRAPPERS: &[(&str, &[&str])] = &[
    (
        "sudo",
        &[
            "-u", "-g", "-C", "-D", "-h", "-p", "-r", "-t", "-T", "-U", "--user", "--group",
        ],
    ),
    ("doas", &["-u", "-C"]),
    (
        "env",
        &["-u", "-C", "-S", "--unset", "--chdir", "--split-string"],
    ),
    ("nohup", &[]),
    ("exec", &["-a"]),
    ("command", &[]),
    ("builtin", &[]),
    ("nice", &["-n", "--adjustment"]),
    ("eatmydata", &[]),
    ("stdbuf", &["-i", "-o", "-e"]),
];

/// Whether a command whose first word is `text` (with file name `name`) has that word for its
/// program: no keyword, assignment or wrapper before it.
fn is_plain_program(text: &str, name: &str) -> bool {
    !is_command_prefix_keyword(text)
        && !matches!(text, "for" | "select" | "case")
        && !is_wrapper(name)
        && !is_assignment(text)
}

/// Whether `name` is one of [`WRAPPERS`]; a `match` compares lengths before bytes.
fn is_wrapper(name: &str) -> bool {
    matches!(
        name,
        "sudo"
            | "doas"
            | "env"
            | "nohup"
            | "exec"
            | "command"
            | "builtin"
            | "nice"
            | "eatmydata"
            | "stdbuf"
    )
}

fn is_assignment(word: &str) -> bool {
    // A name (letters, digits and `_`, not starting with a digit) directly before the first
    // `=`; bytes, as every name character is ASCII.
    let bytes = word.as_bytes();
    let name_len = bytes
        .iter()
        .position(|&b| !NAME_CHAR[usize::from(b)])
        .unwrap_or(bytes.len());
    name_len > 0 && !bytes[0].is_ascii_digit() && bytes.get(name_len) == Some(&b'=')
}

/// Where the program of a command's words is, and the assignments and wrappers before it.
struct CommandShape {
    program_at: usize,
    /// Recorded only when there are some (rarely).
    assignments_at: Vec<usize>,
    wrappers_at: Vec<usize>,
}

/// The shape of the command of `words`: the program with its arguments, after the keywords,
/// assignments and wrappers before it. `None` when the words are no command.
fn command_shape(words: &[ShellWord]) -> Option<CommandShape> {
    // `for x in a b`, `case x in`: the header is not a command.
    let mut program_at = 0;
    while let Some(w) = words.get(program_at) {
        if is_command_prefix_keyword(&w.text) {
            program_at += 1;
        } else if matches!(&*w.text, "for" | "select" | "case") {
            return None;
        } else {
            break;
        }
    }
    let mut assignments_at = Vec::new();
    let mut wrappers_at = Vec::new();
    loop {
        while words
            .get(program_at)
            .is_some_and(|w| is_assignment(&w.text))
        {
            assignments_at.push(program_at);
            program_at += 1;
        }
        let program_name = basename(&words.get(program_at)?.text);
        let wrapper = WRAPPERS.iter().find(|(name, _)| *name == program_name);
        let Some((_, valued)) = wrapper else {
            break;
        };
        let args_at = program_at + 1;
        let mut skip = 0;
        while let Some(w) = words.get(args_at + skip) {
            if w.text == "--" {
                skip += 1;
                break;
            }
            if !w.text.starts_with('-') || w.text.len() < 2 {
                break;
            }
            skip += if valued.contains(&&*w.text) { 2 } else { 1 };
        }
        let after_options = (args_at + skip).min(words.len());
        let looks_up_only = program_name == "command"
            && words
                .get(args_at..after_options)
                .unwrap_or(&[])
                .iter()
                .any(|w| w.text == "-v" || w.text == "-V");
        if words.len() <= args_at + skip || looks_up_only {
            // `sudo -i`, `env` alone: the wrapper is the program.
            break;
        }
        wrappers_at.push(program_at);
        program_at = args_at + skip;
    }
    Some(CommandShape {
        program_at,
        assignments_at,
        wrappers_at,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `text` read as the one script of a store.
    fn script(text: &str) -> ScriptStore<'_> {
        let mut store = ScriptStore::default();
        store.parse_script(text, &|s, e| TextRange::new(s, e));
        store
    }

    fn commands<'r, 'a>(store: &'r ScriptStore<'a>) -> Vec<Command<'r, 'a>> {
        store
            .script(0)
            .map(|s| s.commands().collect())
            .unwrap_or_default()
    }

    fn pipes<'r>(store: &'r ScriptStore) -> &'r [TextRange] {
        store.script(0).map_or(&[], |s| s.pipes())
    }

    /// Each command as `program arg arg` with `|n` for its pipe position.
    fn shape(text: &str) -> Vec<String> {
        commands(&script(text))
            .iter()
            .map(|c| {
                let mut s = String::new();
                for w in c.wrappers() {
                    s.push_str(&format!("[{}] ", w.text));
                }
                s.push_str(&c.program().text);
                for a in c.args() {
                    s.push(' ');
                    s.push_str(&a.text);
                }
                if c.pipe_position() > 0 {
                    s.push_str(&format!(" |{}", c.pipe_position()));
                }
                if c.substituted() {
                    s.push_str(" (sub)");
                }
                s
            })
            .collect()
    }

    #[test]
    fn splits_chains_and_pipelines() {
        assert_eq!(
            shape("apt-get update && apt-get install -y curl; curl -sSL x | bash -s -- a"),
            [
                "apt-get update",
                "apt-get install -y curl",
                "curl -sSL x",
                "bash -s -- a |1"
            ]
        );
        assert_eq!(shape("a || b & c"), ["a", "b", "c"]);
        assert_eq!(shape("a |& b"), ["a", "b |1"]);
    }

    #[test]
    fn redirections_are_not_operators_or_arguments() {
        assert_eq!(
            shape("curl -fsSL x 2>&1 >/dev/null | tee log &>/dev/null; cat < in >> out"),
            ["curl -fsSL x", "tee log |1", "cat"]
        );
        assert_eq!(shape("echo a 2> err b"), ["echo a b"]);
    }

    #[test]
    fn quotes_escapes_and_comments() {
        assert_eq!(
            shape("echo 'a | b' \"c && $HOME\" d\\ e # curl | sh\nls"),
            ["echo a | b c && $HOME d e", "ls"]
        );
        assert_eq!(
            shape("apt-get install \\\n  curl"),
            ["apt-get install curl"]
        );
    }

    #[test]
    fn substitutions_run_commands() {
        assert_eq!(
            shape("V=\"$(curl -s x | jq -r .v)\" && bash -c \"$(wget -qO- y)\" && bash <(curl z)"),
            [
                "curl -s x (sub)",
                "jq -r .v |1 (sub)",
                "bash -c $(wget -qO- y)",
                // The inner shell runs what wget printed.
                "$(wget -qO- y)",
                "wget -qO- y (sub)",
                "bash <(curl z)",
                "curl z (sub)"
            ]
        );
        assert_eq!(
            shape("echo `uname -m` $((1+2)) ${A:-b}"),
            ["echo `uname -m` $((1+2)) ${A:-b}", "uname -m (sub)"]
        );
    }

    #[test]
    fn wrappers_assignments_and_keywords() {
        assert_eq!(
            shape("sudo -u root -E env -i DEBIAN_FRONTEND=noninteractive apt-get install -y x"),
            ["[sudo] [env] apt-get install -y x"]
        );
        // Sorted by the program, not by an assignment before it.
        assert_eq!(shape("A=$(curl x) make"), ["curl x (sub)", "make"]);
        let s = script("A=1 B=2 make");
        assert_eq!(commands(&s)[0].assignments().len(), 2);
        assert_eq!(
            shape("if [ -f x ]; then cd /a; else sudo; fi; for f in a b; do rm $f; done"),
            ["[ -f x ]", "cd /a", "sudo", "rm $f"]
        );
        assert_eq!(
            shape("(cd src && make) | tee x"),
            ["cd src", "make", "tee x |1"]
        );
    }

    #[test]
    fn shell_c_scripts_are_read() {
        let text = "bash -o pipefail -c 'cd /src && curl x | sh' && sh -ec \"echo \\$HOME\"";
        let s = script(text);
        let names: Vec<&str> = commands(&s).iter().map(|c| c.name()).collect();
        assert_eq!(names, ["bash", "cd", "curl", "sh", "sh", "echo"]);
        let cd = commands(&s)[1];
        assert_eq!(&text[cd.program().range.as_range()], "cd");
        assert_eq!(pipes(&s).len(), 1);
        assert_eq!(&text[pipes(&s)[0].as_range()], "|");
        // With escapes the offsets cannot be mapped: the whole argument stands in.
        let escaped = commands(&s)[5];
        assert_eq!(
            &text[escaped.program().range.as_range()],
            "\"echo \\$HOME\""
        );
        assert_eq!(
            shape("command -v curl && command curl x"),
            ["command -v curl", "[command] curl x"]
        );
    }

    #[test]
    fn heredocs_inside_scripts_are_skipped() {
        assert_eq!(
            shape("cat <<EOT > /etc/x\ncurl | sh\nEOT\napt-get update\n"),
            ["cat", "apt-get update"]
        );
        let s = script("bash <<-'EOF'\n\techo hi\n\tEOF\n");
        assert_eq!(commands(&s)[0].heredocs(), ["EOF"]);
        assert_eq!(commands(&s).len(), 1);
    }

    #[test]
    fn word_ranges_are_exact() {
        let text = "sudo  apt-get 'install' \"-y\"";
        let s = script(text);
        let c = commands(&s)[0];
        assert_eq!(&text[c.wrappers()[0].range.as_range()], "sudo");
        assert_eq!(&text[c.program().range.as_range()], "apt-get");
        assert_eq!(&text[c.args()[0].range.as_range()], "'install'");
        assert_eq!(&text[c.range().as_range()], text);
        assert_eq!(pipes(&s), []);
        let s = script("a | b");
        assert_eq!(pipes(&s), [TextRange::new(2, 3)]);
    }

    #[test]
    fn options_and_operands() {
        let s = script("apt-get -o Dpkg::Options::=x -qy install --no-install-recommends -t bookworm curl=1 wget");
        let c = commands(&s)[0];
        assert!(c.has_option(&["y"]));
        assert!(c.has_option(&["no-install-recommends"]));
        let ops: Vec<&str> = c.operands(&["-o", "-t"]).iter().map(|w| &*w.text).collect();
        assert_eq!(ops, ["install", "curl=1", "wget"]);
    }

    #[test]
    fn assignments_are_names_before_an_equals_sign() {
        // The definition the byte scan replaces.
        fn reference(word: &str) -> bool {
            match word.split_once('=') {
                Some((name, _)) => {
                    !name.is_empty()
                        && name.chars().enumerate().all(|(i, c)| {
                            c == '_' || c.is_ascii_alphabetic() || (i > 0 && c.is_ascii_digit())
                        })
                }
                None => false,
            }
        }
        for word in [
            "A=1",
            "_=x",
            "A1=",
            "1A=x",
            "=x",
            "A",
            "a-b=c",
            "A==",
            "é=1",
            "Aé=1",
            "A=é",
            "",
            "PATH=$PATH:/x",
            "a.b=c",
            "__9=9",
        ] {
            assert_eq!(is_assignment(word), reference(word), "{word:?}");
        }
    }

    #[test]
    fn blank_runs_and_variables() {
        assert_eq!(
            shape("dotnet publish  \t  -a $TARGETARCH\t\r -o $1x $? ${A}b$B_2-c"),
            ["dotnet publish -a $TARGETARCH -o $1x $? ${A}b$B_2-c"]
        );
        let text = "a   $HOME/x   \r";
        let s = script(text);
        assert_eq!(&text[commands(&s)[0].args()[0].range.as_range()], "$HOME/x");
    }

    #[test]
    fn byte_tables_hold_what_they_name() {
        for b in 0..=u8::MAX {
            let i = usize::from(b);
            assert_eq!(NAME_CHAR[i], b.is_ascii_alphanumeric() || b == b'_', "{b}");
            assert_eq!(
                WORD_SPECIAL[i],
                b" \t\r\n|&;()<>\\'\"`$".contains(&b),
                "{b}"
            );
            assert_eq!(QUOTED_SPECIAL[i], b"\"\\`$".contains(&b), "{b}");
        }
    }

    #[test]
    fn short_names_fit_exactly_when_kept() {
        for len in 0..30 {
            for unit in ["a", "é", "/"] {
                let text = &unit.repeat(len);
                let name = ShortName::new(text);
                let kept = name.get();
                assert_eq!(ShortName::fits(text), kept.is_some(), "{text:?}");
                assert!(kept.is_none_or(|k| k == text), "{text:?}");
            }
        }
    }

    /// The script read with the shortcuts, then without them.
    fn both_ways(text: &str) -> (ScriptStore<'_>, ScriptStore<'_>) {
        let fast = script(text);
        FAST_PATHS.with(|f| f.set(false));
        let slow = script(text);
        FAST_PATHS.with(|f| f.set(true));
        (fast, slow)
    }

    #[test]
    fn shortcuts_read_as_the_full_reader_does() {
        for text in [
            "dotnet restore \"src/A/A.csproj\" -a $TARGETARCH",
            "dotnet publish \"src/A.csproj\"        -c $C         -o /app/publish   /p:X=false",
            "echo \"a\"b \"c\"|d \"\" \"e f\";g \"h\"&&i \"$x\" \"`j`\" \"k\\\"l\" \"m",
            "a \"b\"<c \"d\">(e) \"f\"(g) \"é\"ü \"x\"\\\ny",
            "  \t\r a  \t b\\\n   c # d \"e\"\n\"f\"",
            "bash -c \"apt-get install -y x\" && sh -c \"a | b\"",
            "cat <<\"EOF\" > x\n\"body\"\nEOF\n\"y\"",
            "$(\"a\" \"b\") `\"c\"` <(\"d\")",
            "\"open",
            "\"\"",
        ] {
            let (fast, slow) = both_ways(text);
            assert_eq!(fast, slow, "{text:?}");
        }
    }

    #[test]
    fn name_matches_agree_with_their_lists() {
        let mut candidates: Vec<String> = Vec::new();
        for name in WRAPPERS
            .iter()
            .map(|(n, _)| *n)
            .chain(POSIX_SHELLS.iter().copied())
        {
            for variant in [
                name.to_string(),
                format!("{name}x"),
                format!("x{name}"),
                name[1..].to_string(),
                name[..name.len() - 1].to_string(),
                name.to_uppercase(),
            ] {
                candidates.push(variant);
            }
        }
        candidates.extend(["", "apt-get", "if", "for", "A=1", "/usr/bin/env"].map(String::from));
        for name in &candidates {
            let wrapper = WRAPPERS.iter().any(|(n, _)| n == name);
            assert_eq!(is_wrapper(name), wrapper, "{name:?}");
            let shell = POSIX_SHELLS.contains(&name.as_str());
            assert_eq!(is_posix_shell(name.as_bytes()), shell, "{name:?}");
            // A plain program is what `command_shape` finds at the first word, alone.
            if is_plain_program(name, basename(name)) {
                let words = [ShellWord {
                    text: Cow::Borrowed(name.as_str()),
                    range: TextRange::new(0, 0),
                    raw: 0..0,
                }];
                let shape = command_shape(&words).expect("a program");
                assert_eq!(shape.program_at, 0, "{name:?}");
                assert!(shape.wrappers_at.is_empty() && shape.assignments_at.is_empty());
            }
        }
    }

    /// Words that make the reader take its rarer turns: keywords, wrappers, assignments,
    /// shells with scripts, redirections, expansions.
    const VOCABULARY: &[&str] = &[
        "sudo",
        "-u",
        "root",
        "-E",
        "env",
        "-i",
        "A=1",
        "B_2=$X",
        "1A=x",
        "nohup",
        "command",
        "-v",
        "exec",
        "/usr/bin/env",
        "if",
        "then",
        "fi",
        "for",
        "x",
        "in",
        "do",
        "done",
        "!",
        "{",
        "}",
        "case",
        "esac",
        "sh",
        "bash",
        "-c",
        "-ec",
        "-o",
        "pipefail",
        "'a | b'",
        "\"c && d\"",
        "\"$(e f)\"",
        "$(g h)",
        "`i`",
        "<(j)",
        "&&",
        "||",
        "|",
        "|&",
        ";",
        "&",
        "(",
        ")",
        "<<EOF",
        "<<-'EOF'",
        "EOF",
        "2>&1",
        ">",
        "&>",
        "/dev/null",
        "$?",
        "$1x",
        "${A:-b}",
        "$$",
        "$",
        "$'k'",
        "a$B/c",
        "a\\ b",
        "\"\"",
        "apt-get",
        "install",
        "--",
        "#",
        "é",
        "$((1+2))",
    ];

    /// The texts of the BuildKit corpus and of the fuzz seeds, each whole and as the shell
    /// lines and heredoc bodies of its RUNs, read both ways.
    #[test]
    fn shortcuts_read_the_corpora_as_the_full_reader_does() {
        let mut texts = crate::bench_support::corpus_texts(&[
            "tests/buildkit/corpus",
            "fuzz/seeds/analysis",
            "fuzz/seeds/parser",
        ]);
        assert!(texts.len() > 500, "{}", texts.len());
        texts.push(crate::bench_support::generated_dockerfile(300));
        let mut scripts = 0;
        for text in &texts {
            let tree = crate::syntax::parse(text);
            let mut pieces = vec![text.clone()];
            for inst in &tree.instructions {
                if let crate::syntax::Args::Shell(line) = &inst.args {
                    pieces.push(line.text.to_string());
                }
                pieces.extend(inst.heredocs.iter().map(|h| h.content.to_string()));
            }
            for piece in &pieces {
                let (fast, slow) = both_ways(piece);
                assert_eq!(fast, slow, "{piece:?}");
                scripts += 1;
            }
        }
        assert!(scripts > 1000, "{scripts}");
    }

    proptest::proptest! {
        #[test]
        fn dedup_from_keeps_the_head_and_dedups_the_tail(
            items in proptest::collection::vec(0u8..3, 0..12),
            from in 0usize..12,
        ) {
            let from = from.min(items.len());
            let mut expected = items[from..].to_vec();
            expected.dedup();
            expected.splice(0..0, items[..from].iter().copied());
            let mut got = items.clone();
            dedup_from(&mut got, from, |a, b| a == b);
            proptest::prop_assert_eq!(got, expected);
        }

        #[test]
        fn shortcuts_agree_with_the_full_reader(text in "[a-z $(){}`'\"|&;<>\\\n\t\r#=0-9é?!@*_A-Z/-]{0,60}") {
            let (fast, slow) = both_ways(&text);
            proptest::prop_assert_eq!(fast, slow);
        }

        #[test]
        fn first_marked_finds_the_first_marked_byte(
            bytes in proptest::collection::vec(proptest::sample::select(&b"ab \t\r$\"\\\xc3"[..]), 0..40),
        ) {
            for set in [WORD_SPECIAL, QUOTED_SPECIAL, NAME_CHAR] {
                let expected = bytes.iter().position(|&b| set[usize::from(b)]).unwrap_or(bytes.len());
                proptest::prop_assert_eq!(first_marked(&bytes, set), expected);
            }
        }

        #[test]
        fn shortcuts_agree_on_shell_vocabulary(
            tokens in proptest::collection::vec(proptest::sample::select(VOCABULARY), 0..24),
            glue in proptest::collection::vec(proptest::sample::select(&[" ", "", "\n", " \\\n "][..]), 24),
        ) {
            let mut text = String::new();
            for (token, glue) in tokens.iter().zip(&glue) {
                text.push_str(token);
                text.push_str(glue);
            }
            let (fast, slow) = both_ways(&text);
            proptest::prop_assert_eq!(fast, slow);
        }

        #[test]
        fn ranges_stay_inside_the_text(text in "[a-z $(){}`'\"|&;<>\\\n#=0-9é-]{0,60}") {
            let s = script(&text);
            for c in commands(&s) {
                for w in c.wrappers().iter().chain(std::iter::once(c.program())).chain(c.args()) {
                    proptest::prop_assert!(w.range.start() <= w.range.end());
                    proptest::prop_assert!(text.get(w.range.as_range()).is_some());
                }
            }
            for p in pipes(&s) {
                proptest::prop_assert!(text.get(p.as_range()).is_some());
            }
        }
    }

    #[test]
    fn broken_input_does_not_panic() {
        for text in [
            "echo \"open",
            "echo 'open",
            "$(",
            "`",
            "${",
            "a <",
            "2>",
            "x\\",
            "é|ü",
            "$'a",
            "<(a",
            "cat <<",
        ] {
            let _ = script(text);
        }
    }
}
