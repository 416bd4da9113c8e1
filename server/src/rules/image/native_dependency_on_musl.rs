use super::projects::{app_projects, file_name, with_references};
use super::support::{describe_image_of, image_of_stage, stage_images};
use crate::declare_rule;
use crate::images::Libc;
use crate::rules::{Diagnostics, RuleContext};

/// A NuGet package whose native library is built against glibc only.
struct GlibcOnly {
    package: &'static str,
    instead: &'static str,
}

/// Kept small on purpose: a package belongs here only when its native assets are known to be
/// glibc builds without a `linux-musl-*` runtime, with a public source. A miss is better than a
/// false alarm.
const GLIBC_ONLY: &[GlibcOnly] = &[
    // libgrpc_csharp_ext.x64.so is built for glibc; loading it on Alpine fails ("Error loading
    // shared library ld-linux-x86-64.so.2", "__strdup: symbol not found"). The gRPC maintainers
    // call Alpine "best effort" and point to grpc-dotnet, which has no native code:
    // https://github.com/grpc/grpc/issues/21446 (also #15605, #29134).
    GlibcOnly {
        package: "Grpc.Core",
        instead: "use Grpc.Net.Client / Grpc.AspNetCore (no native code)",
    },
    // libonnxruntime.so in the NuGet package is a glibc build ("__snprintf_chk: symbol not
    // found" on musl); there is no linux-musl runtime in the package:
    // https://github.com/microsoft/onnxruntime/issues/6800 and #17986.
    GlibcOnly {
        package: "Microsoft.ML.OnnxRuntime",
        instead: "use a Debian, Ubuntu or Azure Linux image",
    },
    // The GPU builds are glibc + CUDA builds for linux-x64 only (same sources as above).
    GlibcOnly {
        package: "Microsoft.ML.OnnxRuntime.Gpu",
        instead: "use a Debian, Ubuntu or Azure Linux image",
    },
    GlibcOnly {
        package: "Microsoft.ML.OnnxRuntime.Gpu.Linux",
        instead: "use a Debian, Ubuntu or Azure Linux image",
    },
];

declare_rule! {
/// ## What it does
/// Checks apps whose final image uses musl libc (the `-alpine` .NET images) for NuGet packages
/// known to ship native code built for glibc only, from a short, sourced list: `Grpc.Core`
/// (the legacy native gRPC stack) and `Microsoft.ML.OnnxRuntime` (and its GPU packages).
/// Packages referenced by the app's referenced projects count too.
///
/// Which projects the Dockerfile builds is taken from its `dotnet publish`/`dotnet build`
/// commands and from the project folder that contains the Dockerfile; without an indexed
/// solution the rule stays silent.
///
/// ## Why is this bad?
/// A glibc build of a native library does not load on musl: the app builds and starts, then
/// fails with `DllNotFoundException` or "Error loading shared library ld-linux-x86-64.so.2"
/// when it first calls into the package.
///
/// ## Example
/// ```dockerfile
/// # Api.csproj references Grpc.Core
/// FROM mcr.microsoft.com/dotnet/aspnet:10.0-alpine
/// ```
///
/// ## Use instead
/// ```dockerfile
/// FROM mcr.microsoft.com/dotnet/aspnet:10.0-noble-chiseled
/// ```
/// or replace the package (`Grpc.Net.Client` instead of `Grpc.Core`).
///
/// ## Fix safety
/// No automatic fix.
///
/// ## References
/// - [grpc/grpc#21446: Grpc.Core on Alpine](https://github.com/grpc/grpc/issues/21446)
/// - [microsoft/onnxruntime#6800: onnxruntime on Alpine](https://github.com/microsoft/onnxruntime/issues/6800)
    NativeDependencyOnMusl {
        severity: Warning,
        origin: Image,
        summary: "An app on a musl (Alpine) image that references a package with glibc-only native code.",
    }
}

impl NativeDependencyOnMusl {
    fn run(ctx: &RuleContext, out: &mut Diagnostics) {
        let Some(final_stage) = ctx.model.final_stage() else {
            return;
        };
        let images = stage_images(ctx);
        let Some(image) = image_of_stage(ctx.model, images, final_stage.index) else {
            return;
        };
        if image.facts().and_then(|facts| facts.libc) != Some(Libc::Musl) {
            return;
        }
        let Some(workspace) = ctx.workspace() else {
            return;
        };
        let described = describe_image_of(ctx.model, image, final_stage.index);
        let mut reported: Vec<&str> = Vec::new();
        for project in app_projects(ctx) {
            for owner in with_references(workspace, project) {
                for known in GLIBC_ONLY {
                    let Some(reference) = owner.package(known.package) else {
                        continue;
                    };
                    if reported.contains(&known.package) {
                        continue;
                    }
                    reported.push(known.package);
                    let through = if std::ptr::eq(owner, project) {
                        String::new()
                    } else {
                        format!(" (through {})", file_name(owner))
                    };
                    out.report(
                        &Self::META,
                        image.tag_range(),
                        format!(
                            "{described} uses musl libc, but {} references {}{through}, whose native library is built for glibc only and fails to load on Alpine; {}",
                            file_name(project),
                            reference.name,
                            known.instead
                        ),
                    );
                }
            }
        }
    }
}

/// The glibc-only packages the app of the final image references (directly or through its
/// project references), whatever the image: what moving it to Alpine would break.
pub(crate) fn glibc_only_packages(ctx: &RuleContext) -> Vec<&'static str> {
    let Some(workspace) = ctx.workspace() else {
        return Vec::new();
    };
    let mut found: Vec<&'static str> = Vec::new();
    for project in app_projects(ctx) {
        for owner in with_references(workspace, project) {
            for known in GLIBC_ONLY {
                if owner.package(known.package).is_some() && !found.contains(&known.package) {
                    found.push(known.package);
                }
            }
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use crate::rules::image::test_workspace::{check_in_workspace, WEB_APP};

    fn app(packages: &[&str]) -> String {
        let items: String = packages
            .iter()
            .map(|p| format!("<PackageReference Include=\"{p}\" Version=\"1.0.0\" />"))
            .collect();
        format!("<Project Sdk=\"Microsoft.NET.Sdk.Web\"><PropertyGroup><TargetFramework>net10.0</TargetFramework></PropertyGroup><ItemGroup>{items}</ItemGroup></Project>")
    }

    const DOCKERFILE: &str = "FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build\nRUN dotnet publish \"src/Api/Api.csproj\" -o /app\nFROM mcr.microsoft.com/dotnet/aspnet:10.0-alpine\nCOPY --from=build /app .\n";

    #[test]
    fn reports_glibc_only_packages_on_alpine() {
        let project = app(&["Grpc.Core", "Microsoft.ML.OnnxRuntime", "Npgsql"]);
        assert_eq!(
            check_in_workspace("NativeDependencyOnMusl", &[("src/Api/Api.csproj", &project)], "Dockerfile", DOCKERFILE),
            [
                "3:38-3:49 warning `mcr.microsoft.com/dotnet/aspnet:10.0-alpine` uses musl libc, but Api.csproj references Grpc.Core, whose native library is built for glibc only and fails to load on Alpine; use Grpc.Net.Client / Grpc.AspNetCore (no native code)",
                "3:38-3:49 warning `mcr.microsoft.com/dotnet/aspnet:10.0-alpine` uses musl libc, but Api.csproj references Microsoft.ML.OnnxRuntime, whose native library is built for glibc only and fails to load on Alpine; use a Debian, Ubuntu or Azure Linux image",
            ]
        );
    }

    #[test]
    fn silent_on_glibc_images_and_harmless_packages() {
        let grpc = app(&["Grpc.Core"]);
        let glibc = DOCKERFILE.replace("10.0-alpine", "10.0-noble-chiseled");
        assert!(check_in_workspace(
            "NativeDependencyOnMusl",
            &[("src/Api/Api.csproj", &grpc)],
            "Dockerfile",
            &glibc
        )
        .is_empty());
        let fine = app(&[
            "Grpc.Net.Client",
            "SQLitePCLRaw.bundle_e_sqlite3",
            "librdkafka.redist",
        ]);
        assert!(check_in_workspace(
            "NativeDependencyOnMusl",
            &[("src/Api/Api.csproj", &fine)],
            "Dockerfile",
            DOCKERFILE
        )
        .is_empty());
        assert!(check_in_workspace(
            "NativeDependencyOnMusl",
            &[("src/Api/Api.csproj", WEB_APP)],
            "Dockerfile",
            DOCKERFILE
        )
        .is_empty());
        // An Alpine build stage does not matter.
        let alpine_build = glibc.replace("sdk:10.0 AS", "sdk:10.0-alpine AS");
        assert!(check_in_workspace(
            "NativeDependencyOnMusl",
            &[("src/Api/Api.csproj", &grpc)],
            "Dockerfile",
            &alpine_build
        )
        .is_empty());
    }
}
