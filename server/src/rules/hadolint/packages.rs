//! Package-manager command lines shared by the apt, apk and pip rules.

use super::shell::{Command, ShellWord};
use crate::text::TextRange;

/// apt-get options that take a separate value.
const APT_GET_OPTIONS_WITH_VALUE: &[&str] = &[
    "-o",
    "--option",
    "-c",
    "--config-file",
    "-t",
    "--target-release",
    "--default-release",
];

/// apk options that take a separate value.
const APK_OPTIONS_WITH_VALUE: &[&str] = &[
    "-t",
    "--virtual",
    "-X",
    "--repository",
    "--repositories-file",
    "-p",
    "--root",
    "--arch",
    "--cache-dir",
    "--keys-dir",
    "--cache-max-age",
];

/// An `apt-get <verb>`, `apk <verb>` or `pip install` command line.
pub(crate) struct PackageCommand<'r, 'a> {
    pub command: Command<'r, 'a>,
    pub verb: &'r ShellWord<'a>,
    /// The operands after the verb: packages for `install`/`add`.
    pub operands: Vec<&'r ShellWord<'a>>,
}

impl PackageCommand<'_, '_> {
    /// From the program to the verb: `apt-get install`, `apt-get -q install`.
    pub fn range(&self) -> TextRange {
        self.command.program().range.cover(self.verb.range)
    }
}

fn package_command<'r, 'a>(
    command: Command<'r, 'a>,
    program: &str,
    options_with_value: &[&str],
) -> Option<PackageCommand<'r, 'a>> {
    if !command.is(program) {
        return None;
    }
    let mut operands = command.operands(options_with_value).into_iter();
    let verb = operands.next()?;
    Some(PackageCommand {
        command,
        verb,
        operands: operands.collect(),
    })
}

/// `apt-get <verb> ...`.
pub(crate) fn apt_get<'r, 'a>(command: Command<'r, 'a>) -> Option<PackageCommand<'r, 'a>> {
    package_command(command, "apt-get", APT_GET_OPTIONS_WITH_VALUE)
}

/// `apt <verb> ...` (the end-user tool, same verbs).
pub(crate) fn apt<'r, 'a>(command: Command<'r, 'a>) -> Option<PackageCommand<'r, 'a>> {
    package_command(command, "apt", APT_GET_OPTIONS_WITH_VALUE)
}

/// `apk <verb> ...`.
pub(crate) fn apk<'r, 'a>(command: Command<'r, 'a>) -> Option<PackageCommand<'r, 'a>> {
    package_command(command, "apk", APK_OPTIONS_WITH_VALUE)
}

/// The values given to apt-get's `-o`/`--option` (`APT::Install-Recommends=false`).
pub(crate) fn apt_config_values<'r>(command: Command<'r, '_>) -> Vec<&'r str> {
    let mut values = Vec::new();
    let mut args = command.args().iter();
    while let Some(arg) = args.next() {
        let text: &str = &arg.text;
        if text == "-o" || text == "--option" {
            values.extend(args.next().map(|w| &*w.text));
        } else if let Some(v) = text
            .strip_prefix("--option=")
            .or_else(|| text.strip_prefix("-o").filter(|v| !v.is_empty()))
        {
            values.push(v);
        }
    }
    values
}

/// Whether an apt configuration value (`APT::Get::Assume-Yes=true`) sets `key` to a true or
/// false value as `expected` says.
pub(crate) fn apt_config_is(values: &[&str], key: &str, expected: bool) -> bool {
    values.iter().any(|v| {
        let Some((k, val)) = v.split_once('=') else {
            return false;
        };
        let val = val.trim_matches(['"', '\'']).to_ascii_lowercase();
        let truthy = matches!(val.as_str(), "1" | "true" | "yes" | "on");
        let falsy = matches!(val.as_str(), "0" | "false" | "no" | "off");
        k.eq_ignore_ascii_case(key) && if expected { truthy } else { falsy }
    })
}

/// `pip install`, `pip3 install`, `python3 -m pip install`: the command and its `install` word.
pub(crate) fn pip_install<'r, 'a>(command: &Command<'r, 'a>) -> Option<&'r ShellWord<'a>> {
    let name = command.name();
    let is_version_suffix = |s: &str| s.chars().all(|c| c.is_ascii_digit() || c == '.');
    let args: &[ShellWord] = if name.strip_prefix("pip").is_some_and(is_version_suffix) {
        command.args()
    } else if name.strip_prefix("python").is_some_and(is_version_suffix) {
        let module = command
            .args()
            .windows(2)
            .position(|w| w[0].text == "-m" && w[1].text == "pip")?;
        command.args().get(module + 2..)?
    } else {
        return None;
    };
    args.iter()
        .find(|a| !a.text.starts_with('-'))
        .filter(|a| a.text == "install")
}

/// Truthy values of environment switches such as `PIP_NO_CACHE_DIR`.
pub(crate) fn is_truthy(value: &str) -> bool {
    matches!(
        value
            .trim_matches(['"', '\''])
            .to_ascii_lowercase()
            .as_str(),
        "1" | "true" | "on" | "yes"
    )
}
