use std::cmp::Ordering;

use super::published::{is_under, stage_image, ImageSdk, SdkVersion};
use super::restore_model::SolutionView;
use crate::declare_rule;
use crate::dotnet::GlobalJson;
use crate::rules::{Diagnostics, RuleContext};
use crate::text::TextRange;

declare_rule! {
/// ## What it does
/// Checks that the SDK image of each stage that runs `dotnet` satisfies the SDK version that
/// global.json pins, under its `rollForward` policy. The global.json that counts is the one
/// the `dotnet` command finds: the nearest one at or above its working directory among the
/// files the stage has copied in (a global.json that is not copied does not apply; the
/// restore rules report that). Needs the solution.
///
/// ## Why is this bad?
/// The .NET host picks the SDK from global.json before doing anything else. When the image
/// has no SDK the policy accepts, every `dotnet` command fails with "A compatible .NET SDK
/// was not found" (and the list of installed SDKs), typically when the image tag was
/// bumped and global.json was not, or the other way round.
///
/// How the single SDK of an image is matched against the pin `X.Y.Fpp` (feature band `F`,
/// patch `pp`):
///
/// | rollForward | the image's SDK must be |
/// |---|---|
/// | `disable` | exactly the pinned version |
/// | `patch`, `latestPatch` (the default) | in the same `X.Y.Fxx` band, patch at least `pp` |
/// | `feature`, `latestFeature` | `X.Y`, at least the pinned version |
/// | `minor`, `latestMinor` | major `X`, at least the pinned version |
/// | `major`, `latestMajor` | at least the pinned version |
///
/// A fixed tag (`sdk:9.0.100`) says exactly which SDK the image has. A floating tag
/// (`sdk:9.0`) always has the newest patch of the newest feature band of its version, which
/// the embedded catalog knows as of its snapshot: older bands are never in it, and a pin
/// newer than the catalog's SDK is not reported (a later image may have it). Tags the
/// catalog does not know only give the `X.Y` version. Prerelease labels and
/// `allowPrerelease` are not considered.
///
/// ## Example
/// ```dockerfile
/// # global.json: { "sdk": { "version": "8.0.100", "rollForward": "latestPatch" } }
/// FROM mcr.microsoft.com/dotnet/sdk:9.0 AS build
/// WORKDIR /src
/// COPY global.json ./
/// RUN dotnet restore
/// ```
///
/// ## Use instead
/// ```dockerfile
/// # global.json: { "sdk": { "version": "9.0.100", "rollForward": "latestFeature" } }
/// FROM mcr.microsoft.com/dotnet/sdk:9.0 AS build
/// ```
///
/// ## Fix safety
/// No automatic fix.
///
/// ## References
/// - [global.json overview](https://learn.microsoft.com/dotnet/core/tools/global-json)
    GlobalJsonSdkMismatch {
        severity: Error,
        origin: Dotnet,
        summary: "global.json pins an SDK version the build image cannot satisfy.",
    }
}

/// Whether the SDK of an image satisfies a pin.
#[derive(Debug, PartialEq, Eq)]
enum Verdict {
    Satisfied,
    Fails,
    /// Cannot tell from what the tag says.
    Unknown,
}

/// How a floating tag's SDK (newest band, newest patch) compares with the pin within one
/// `X.Y`: `Some(Greater)` when it is surely newer, `Some(Less)` when surely older.
fn compare_same_channel(sdk: &ImageSdk, pin: SdkVersion) -> Option<Ordering> {
    let version = sdk.version?;
    if sdk.exact {
        return Some(version.cmp(&pin));
    }
    match version.feature_band().cmp(&pin.feature_band()) {
        // Older bands never come back to a floating tag.
        Ordering::Greater => Some(Ordering::Greater),
        // The newest patch of the band: at least any pinned patch the catalog knows.
        Ordering::Equal if version.patch() >= pin.patch() => Some(Ordering::Greater),
        // A newer band or patch than the catalog's may be out by now.
        _ => None,
    }
}

fn verdict(pin: SdkVersion, policy: &str, sdk: &ImageSdk) -> Verdict {
    let channel = (sdk.channel.major, sdk.channel.minor);
    let pinned = (pin.major, pin.minor);
    let from_order = |order: Option<Ordering>| match order {
        Some(Ordering::Less) => Verdict::Fails,
        Some(_) => Verdict::Satisfied,
        None => Verdict::Unknown,
    };
    match policy.to_ascii_lowercase().as_str() {
        "disable" => {
            if channel != pinned {
                return Verdict::Fails;
            }
            match (sdk.version, sdk.exact) {
                (Some(v), true) => {
                    if v == pin {
                        Verdict::Satisfied
                    } else {
                        Verdict::Fails
                    }
                }
                // A floating tag has its band's newest patch: an older pin is never there.
                (Some(v), false) if v > pin => Verdict::Fails,
                _ => Verdict::Unknown,
            }
        }
        "patch" | "latestpatch" => {
            if channel != pinned {
                return Verdict::Fails;
            }
            let Some(version) = sdk.version else {
                return Verdict::Unknown;
            };
            match version.feature_band().cmp(&pin.feature_band()) {
                Ordering::Equal if sdk.exact => {
                    if version.patch() >= pin.patch() {
                        Verdict::Satisfied
                    } else {
                        Verdict::Fails
                    }
                }
                Ordering::Equal => Verdict::Satisfied,
                Ordering::Greater => Verdict::Fails,
                Ordering::Less if sdk.exact => Verdict::Fails,
                Ordering::Less => Verdict::Unknown,
            }
        }
        "feature" | "latestfeature" => {
            if channel != pinned {
                return Verdict::Fails;
            }
            from_order(compare_same_channel(sdk, pin))
        }
        "minor" | "latestminor" => {
            if channel.0 != pinned.0 || channel.1 < pinned.1 {
                return Verdict::Fails;
            }
            if channel.1 > pinned.1 {
                return Verdict::Satisfied;
            }
            from_order(compare_same_channel(sdk, pin))
        }
        "major" | "latestmajor" => match channel.cmp(&pinned) {
            Ordering::Less => Verdict::Fails,
            Ordering::Greater => Verdict::Satisfied,
            Ordering::Equal => from_order(compare_same_channel(sdk, pin)),
        },
        _ => Verdict::Unknown,
    }
}

/// What a policy accepts, for the message.
fn allowed(pin: SdkVersion, policy: &str) -> String {
    match policy.to_ascii_lowercase().as_str() {
        "disable" => format!("exactly {pin}"),
        "patch" | "latestpatch" => format!(
            "{pin} or a later {}.{}.{}xx patch",
            pin.major,
            pin.minor,
            pin.feature_band()
        ),
        "feature" | "latestfeature" => format!("{pin} or a later {}.{} SDK", pin.major, pin.minor),
        "minor" | "latestminor" => format!("{pin} or a later {}.x SDK", pin.major),
        _ => format!("{pin} or later"),
    }
}

impl GlobalJsonSdkMismatch {
    fn run(ctx: &RuleContext, out: &mut Diagnostics) {
        let (Some(view), Some(workspace)) = (SolutionView::of(ctx), ctx.workspace()) else {
            return;
        };
        let (facts, fs) = (view.facts, &view.fs);
        let context_dir = &facts.build_context.dir;
        let global_jsons: Vec<(&GlobalJson, String)> = workspace
            .global_jsons()
            .filter_map(|g| {
                let rel = g.path.strip_prefix(context_dir).ok()?;
                let rel: Vec<String> = rel
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().to_string())
                    .collect();
                Some((g, rel.join("/")))
            })
            .collect();
        if global_jsons.is_empty() {
            return;
        }
        let mut reported: Vec<(usize, &std::path::Path)> = Vec::new();
        for invocation in &ctx.model.dotnet_commands {
            let Some(image) = stage_image(ctx.model, invocation.stage) else {
                continue;
            };
            let Some(sdk) = image.sdk() else { continue };
            let workdir = ctx.workdir_at(invocation.stage, invocation.instruction);
            // The nearest global.json at or above the working directory.
            let found = global_jsons
                .iter()
                .filter_map(|(g, rel)| {
                    let container =
                        fs.to_container(invocation.stage, invocation.instruction, rel)?;
                    let dir = match container.rfind('/') {
                        Some(0) | None => "/".to_string(),
                        Some(i) => container[..i].to_string(),
                    };
                    is_under(workdir, &dir).then_some((*g, dir.len()))
                })
                .max_by_key(|(_, depth)| *depth)
                .map(|(g, _)| g);
            let Some(global) = found else { continue };
            if reported.contains(&(image.stage, global.path.as_path())) {
                continue;
            }
            let Some(pin) = global.sdk_version.as_deref().and_then(SdkVersion::parse) else {
                continue;
            };
            let policy = global.effective_roll_forward();
            if verdict(pin, policy, &sdk) != Verdict::Fails {
                continue;
            }
            reported.push((image.stage, global.path.as_path()));
            let policy_text = match &global.roll_forward {
                Some(p) => p.clone(),
                None => format!("{policy} (the default)"),
            };
            let command = &invocation.command;
            let range = TextRange::new(command.range.start(), command.verb_range.end());
            out.report(
                &Self::META,
                range,
                format!(
                    "global.json pins SDK {pin} with rollForward {policy_text} ({}), but {} has {}: dotnet {} fails with \"A compatible .NET SDK was not found\"",
                    allowed(pin, policy),
                    image.name(),
                    sdk.describe(),
                    command.verb
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::images::DotnetVersion;
    use crate::rules::dotnet::test_support::{check_rule_in_files, check_rule_in_solution};
    use crate::rules::test_support::check_rule;

    fn sdk(text: &str, exact: bool) -> ImageSdk {
        let version = SdkVersion::parse(text);
        let v = version.expect("version");
        ImageSdk {
            channel: DotnetVersion::new(v.major, v.minor),
            version,
            exact,
        }
    }

    fn pin(text: &str) -> SdkVersion {
        SdkVersion::parse(text).expect("pin")
    }

    #[test]
    fn roll_forward_policies_against_one_sdk() {
        use Verdict::*;
        let fixed = sdk("8.0.204", true);
        let floating = sdk("8.0.317", false);
        let cases = [
            ("8.0.204", "disable", &fixed, Satisfied),
            ("8.0.201", "disable", &fixed, Fails),
            ("8.0.300", "disable", &floating, Fails),
            ("8.0.200", "latestPatch", &fixed, Satisfied),
            ("8.0.205", "latestPatch", &fixed, Fails),
            ("8.0.100", "patch", &fixed, Fails),
            ("8.0.300", "latestPatch", &floating, Satisfied),
            ("8.0.100", "latestPatch", &floating, Fails),
            ("8.0.400", "latestPatch", &floating, Unknown),
            ("8.0.100", "latestFeature", &fixed, Satisfied),
            ("8.0.300", "feature", &fixed, Fails),
            ("8.0.400", "latestFeature", &floating, Unknown),
            ("9.0.100", "latestFeature", &floating, Fails),
            ("7.0.100", "latestFeature", &floating, Fails),
            ("7.0.100", "latestMajor", &floating, Satisfied),
            ("8.0.100", "latestMinor", &fixed, Satisfied),
            ("9.0.100", "minor", &fixed, Fails),
            ("9.0.100", "major", &fixed, Fails),
            ("8.0.100", "sometimes", &fixed, Unknown),
        ];
        for (p, policy, image, expected) in cases {
            assert_eq!(verdict(pin(p), policy, image), expected, "{p} {policy}");
        }
        let channel_only = ImageSdk {
            channel: DotnetVersion::new(6, 0),
            version: None,
            exact: false,
        };
        assert_eq!(
            verdict(pin("6.0.100"), "latestPatch", &channel_only),
            Unknown
        );
        assert_eq!(verdict(pin("8.0.100"), "latestPatch", &channel_only), Fails);
        assert_eq!(
            verdict(pin("5.0.100"), "latestMajor", &channel_only),
            Satisfied
        );
    }

    #[test]
    fn reports_the_global_json_fixture() {
        assert_eq!(
            check_rule_in_solution("GlobalJsonSdkMismatch", "global-json", "Dockerfile"),
            ["5:5-5:19 global.json pins SDK 8.0.100 with rollForward latestPatch (8.0.100 or a later 8.0.1xx patch), but mcr.microsoft.com/dotnet/sdk:9.0 has SDK 9.0.3xx: dotnet restore fails with \"A compatible .NET SDK was not found\""]
        );
    }

    #[test]
    fn a_global_json_counts_only_once_it_is_copied_above_the_working_directory() {
        let csproj = "<Project Sdk=\"Microsoft.NET.Sdk\"><PropertyGroup><OutputType>Exe</OutputType><TargetFramework>net8.0</TargetFramework></PropertyGroup></Project>";
        let global = "{ \"sdk\": { \"version\": \"8.0.400\", \"rollForward\": \"disable\" } }";
        let run = |dockerfile: &str| {
            check_rule_in_files(
                "GlobalJsonSdkMismatch",
                &[
                    ("global.json", global),
                    ("App/App.csproj", csproj),
                    ("Dockerfile", dockerfile),
                ],
                "Dockerfile",
            )
        };
        assert_eq!(
            run("FROM mcr.microsoft.com/dotnet/sdk:8.0.100 AS build\nWORKDIR /src\nCOPY App/App.csproj App/\nRUN dotnet restore App/App.csproj\nCOPY . .\nRUN dotnet publish App/App.csproj -o /out\n"),
            ["6:5-6:19 global.json pins SDK 8.0.400 with rollForward disable (exactly 8.0.400), but mcr.microsoft.com/dotnet/sdk:8.0.100 has SDK 8.0.100: dotnet publish fails with \"A compatible .NET SDK was not found\""]
        );
        // Copied below the working directory: the host does not look down.
        assert!(run("FROM mcr.microsoft.com/dotnet/sdk:8.0.100 AS build\nWORKDIR /src\nCOPY global.json config/\nCOPY App/ App/\nRUN dotnet publish App/App.csproj -o /out\n").is_empty());
    }

    #[test]
    fn silent_when_the_pin_is_satisfied() {
        assert!(check_rule_in_solution("GlobalJsonSdkMismatch", "good", "Dockerfile").is_empty());
        let good = include_str!("../../../../tests/data/good.Dockerfile");
        assert!(check_rule("GlobalJsonSdkMismatch", good).is_empty());
    }
}
