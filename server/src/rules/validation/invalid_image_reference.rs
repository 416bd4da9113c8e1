use super::reference::check_image_reference;
use crate::declare_rule;
use crate::model::BaseImage;
use crate::rules::{Diagnostics, RuleContext};

declare_rule! {
/// ## What it does
/// Checks that the image of each `FROM` is a valid reference:
/// `[registry[:port]/]repository[:tag][@sha256:digest]`, with a lower-case repository, a tag
/// of letters, digits, `_`, `.` and `-`, and a well-formed digest. Images written with
/// variables are left to `InvalidDefaultArgInFrom`.
///
/// ## Why is this bad?
/// BuildKit stops with "invalid reference format" before pulling anything.
///
/// ## Example
/// ```dockerfile
/// FROM mcr.microsoft.com/dotnet/ASPNET:10.0
/// FROM mcr.microsoft.com/dotnet/sdk:
/// ```
///
/// ## Use instead
/// ```dockerfile
/// FROM mcr.microsoft.com/dotnet/aspnet:10.0
/// FROM mcr.microsoft.com/dotnet/sdk:10.0
/// ```
///
/// ## Fix safety
/// No automatic fix.
    InvalidImageReference {
        severity: Error,
        origin: Validation,
        summary: "A FROM image that is not a valid image reference.",
    }
}

impl InvalidImageReference {
    fn run(ctx: &RuleContext, out: &mut Diagnostics) {
        for stage in &ctx.model.stages {
            let BaseImage::Image { word, .. } = &stage.base else {
                continue;
            };
            if word.text.contains('$') {
                continue;
            }
            if let Err(why) = check_image_reference(&word.text) {
                out.report(
                    &Self::META,
                    word.range,
                    format!("invalid reference format: {why}"),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::check_rule;

    #[test]
    fn reports_invalid_references() {
        assert_eq!(
            check_rule(
                "InvalidImageReference",
                "FROM mcr.microsoft.com/dotnet/ASPNET:10.0\nFROM mcr.microsoft.com/dotnet/sdk:\nFROM ubuntu@sha256:123\n"
            ),
            [
                "1:6-1:42 invalid reference format: repository name (dotnet/ASPNET) must be lowercase",
                "2:6-2:35 invalid reference format: the tag after `:` is empty",
                "3:6-3:23 invalid reference format: digest `sha256:123` must look like `sha256:` followed by the hexadecimal hash",
            ]
        );
    }

    #[test]
    fn silent_on_valid_references() {
        assert!(check_rule(
            "InvalidImageReference",
            "ARG V=10.0\nFROM mcr.microsoft.com/dotnet/sdk:$V AS build\nFROM build\nFROM scratch\nFROM localhost:5000/app:1.0-rc.1\n"
        )
        .is_empty());
    }
}
