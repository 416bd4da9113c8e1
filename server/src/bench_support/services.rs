//! The solution that [`super::generated_dockerfile`] builds: one `src/Service<n>` web project
//! per block of the Dockerfile, each referencing `src/Shared`, with the
//! Directory.Build.props, Directory.Packages.props and NuGet.config its restore layer copies.
//! The `analysis` benchmark opens the Dockerfile inside it, as an editor opens a file of a
//! solution, so that the solution-aware rules run too.

use std::io;
use std::path::Path;

use super::solution::write;

/// Writes the solution of `services` services and `dockerfile` as `root/Dockerfile`.
pub fn generate(root: &Path, services: usize, dockerfile: &str) -> io::Result<()> {
    write(
        root,
        "Directory.Build.props",
        "<Project>\n  <PropertyGroup>\n    <TargetFramework>net10.0</TargetFramework>\n    <Nullable>enable</Nullable>\n  </PropertyGroup>\n</Project>\n",
    )?;
    write(
        root,
        "Directory.Packages.props",
        "<Project>\n  <PropertyGroup>\n    <ManagePackageVersionsCentrally>true</ManagePackageVersionsCentrally>\n  </PropertyGroup>\n  <ItemGroup>\n    <PackageVersion Include=\"Serilog\" Version=\"4.0.1\" />\n  </ItemGroup>\n</Project>\n",
    )?;
    write(
        root,
        "NuGet.config",
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<configuration>\n  <packageSources>\n    <add key=\"nuget.org\" value=\"https://api.nuget.org/v3/index.json\" />\n  </packageSources>\n</configuration>\n",
    )?;
    write(
        root,
        "src/Shared/Shared.csproj",
        "<Project Sdk=\"Microsoft.NET.Sdk\">\n  <ItemGroup>\n    <PackageReference Include=\"Serilog\" />\n  </ItemGroup>\n</Project>\n",
    )?;
    let mut sln = String::from("\nMicrosoft Visual Studio Solution File, Format Version 12.00\n");
    sln.push_str("Project(\"{9A19103F-16F7-4668-BE54-9A1E7A4F7556}\") = \"Shared\", \"src\\Shared\\Shared.csproj\", \"{10000000-0000-0000-0000-000000000000}\"\nEndProject\n");
    for n in 0..services {
        write(
            root,
            &format!("src/Service{n}/Service{n}.csproj"),
            "<Project Sdk=\"Microsoft.NET.Sdk.Web\">\n  <ItemGroup>\n    <ProjectReference Include=\"..\\Shared\\Shared.csproj\" />\n  </ItemGroup>\n</Project>\n",
        )?;
        sln.push_str(&format!(
            "Project(\"{{9A19103F-16F7-4668-BE54-9A1E7A4F7556}}\") = \"Service{n}\", \"src\\Service{n}\\Service{n}.csproj\", \"{{00000000-0000-0000-0000-{n:012}}}\"\nEndProject\n"
        ));
    }
    write(root, "Services.sln", &sln)?;
    write(root, "Dockerfile", dockerfile)
}
