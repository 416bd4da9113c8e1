#!/usr/bin/env python3
"""Regenerate Dockside's embedded .NET image catalog.

Usage:
    python3 scripts/gen_image_catalog.py path/to/dotnet-image-catalog.json [--out server/data/dotnet-images.tsv]
    python3 scripts/gen_image_catalog.py path/to/dotnet-image-catalog.json --check

Reads the full catalog (schema_version 1, see docs in the catalog's `units` / `facts`) and writes the
compact, tab-separated file that `server/src/images/catalog.rs` parses at first use. Only what the
product needs is copied: per-image facts, tags, sizes, the .NET lifecycle, deprecated repositories,
retired OS variants and the snapshot dates. `--check` exits 1 when the checked-in file is stale.

The format is line-oriented; the first field of each line names the record:

    dockside-image-catalog <format version>
    snapshot  <YYYY-MM> <dotnet-docker commit date> <dotnet-docker commit> <image-info date>
    lifecycle <version> <lts|sts> <ga|-> <end of support|-> <planned ga|-> <planned end|->
    repo      <name> <description>
    deprecated <registry> <path, or prefix ending in *> <replacement> <summary>   (first match wins)
    removed   <repos,> <versions,> <variant suffix> <date> <replacement suffix> <summary>
    retired   <version> <variant> <repos,> <first seen> <last seen>
    image     <repo> <dotnet version|-> <channel> <product version> <variant> <os variant> <os> <distro>
              <distro version> <codename|-> <flags,> <shell|-> <package manager|-> <default user>
              <libc|-> <icu 1/0/-> <tzdata 1/0/-> <invariant 1/0/-> <ports,|-> <runtime version|->
              <entrypoint|-> <cmd|->
    tags      <documented multi-platform tags (Windows: its single-platform tags)...>
    xtags     <undocumented alias tags...>
    archbase  <tags B such that B-<arch> exists for every architecture of the image...>
    xarchbase <same, for undocumented alias tags>
    size      <arch> <compressed bytes> <uncompressed bytes|-> <uncompressed as of|-> <measured on version|->

`tags` .. `size` lines belong to the `image` line above them. Fields never contain tabs; `-` is "none".
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

FORMAT_VERSION = 1
ARCHS = ("amd64", "arm64v8", "arm32v7")

# The catalog's deprecated_repositories entries are prose; these are the machine-matchable forms.
# Keyed by the start of the entry's `repository` text so a reworded catalog fails loudly below.
DEPRECATED_REPOS = {
    "mcr.microsoft.com/dotnet/core/{": [
        (
            "mcr.microsoft.com",
            "dotnet/core/*",
            "mcr.microsoft.com/dotnet/*",
            "renamed to mcr.microsoft.com/dotnet/* with .NET 5 (2020-11); "
            "no updates since .NET Core 3.1 reached end of support (2022-12-13)",
        )
    ],
    "mcr.microsoft.com/dotnet/core-nightly/": [
        (
            "mcr.microsoft.com",
            "dotnet/core-nightly/*",
            "mcr.microsoft.com/dotnet/nightly/*",
            "renamed to mcr.microsoft.com/dotnet/nightly/* with .NET 5 (2020-11)",
        )
    ],
    "microsoft/dotnet (Docker Hub)": [
        # .NET Framework images moved from Docker Hub too; checked before the generic entry.
        (
            "docker.io",
            "microsoft/dotnet-framework*",
            "mcr.microsoft.com/dotnet/framework/*",
            "Docker Hub distribution deprecated 2021-05; .NET images are published on mcr.microsoft.com",
        ),
        (
            "docker.io",
            "microsoft/dotnet*",
            "mcr.microsoft.com/dotnet/*",
            "Docker Hub distribution deprecated 2021-05; .NET images are published on mcr.microsoft.com",
        ),
    ],
    "microsoft/aspnetcore and microsoft/aspnetcore-build": [
        (
            "docker.io",
            "microsoft/aspnetcore-build*",
            "mcr.microsoft.com/dotnet/sdk",
            "deprecated since ASP.NET Core 2.1 (2018); tags are no longer pullable",
        ),
        (
            "docker.io",
            "microsoft/aspnetcore*",
            "mcr.microsoft.com/dotnet/aspnet",
            "deprecated since ASP.NET Core 2.1 (2018); tags are no longer pullable",
        ),
    ],
    # Tag-level removals are expressed as `removed` records (below) or come from retired_os_variants.
    "mcr.microsoft.com/dotnet/{runtime-deps,sdk}:8.0/9.0 *-aot": [],
    "CBL-Mariner 2.0 tags": [],
}

# 8.0/9.0 SDK native-AOT images were removed; the catalog only describes this in prose.
REMOVED = [
    (
        "dotnet/sdk",
        "8.0,9.0",
        "-aot",
        "2025-04",
        "",
        "8.0/9.0 native AOT SDK images were removed in 2025-04; -aot SDK tags exist from .NET 10",
    ),
]

FLAG_FIELDS = [
    ("default", "default"),
    ("latest", "latest"),
    ("floating_alpine", "floating-alpine"),
    ("preview", "preview"),
    ("distroless", "distroless"),
    ("has_shell", "shell"),
    ("non_root_by_default", "non-root"),
    ("app_user_present", "app-user"),
    ("composite", "composite"),
    ("aot_sdk", "aot"),
]
FLAVOR_FLAGS = {"chiseled", "extra", "slim"}


def fail(message: str) -> None:
    print(f"gen_image_catalog: {message}", file=sys.stderr)
    sys.exit(2)


def field(value) -> str:
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "1" if value else "0"
    text = str(value)
    if "\t" in text or "\n" in text:
        fail(f"value contains a tab or newline: {text!r}")
    return text if text else "-"


def words(values) -> str:
    for value in values:
        if not value or any(c.isspace() for c in value):
            fail(f"tag with whitespace or empty: {value!r}")
    return " ".join(values)


def snapshot_month(date: str) -> str:
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", date or ""):
        fail(f"bad snapshot date {date!r}")
    return date[:7]


def planned_dates(note: str | None) -> tuple[str | None, str | None]:
    if not note:
        return None, None
    ga = re.search(r"GA planned (\d{4}-\d{2}-\d{2})", note)
    end = re.search(r"supported until (\d{4}-\d{2}-\d{2})", note)
    return (ga.group(1) if ga else None, end.group(1) if end else None)


def arch_bases(arch_tags: dict[str, list[str]]) -> list[str] | None:
    """Tags B such that arch_tags[a] == [B + '-' + a] for every arch, or None if not derivable."""
    bases = None
    for arch, tags in arch_tags.items():
        suffix = "-" + arch
        if not all(t.endswith(suffix) for t in tags):
            return None
        these = [t[: -len(suffix)] for t in tags]
        if bases is None:
            bases = these
        elif these != bases:
            return None
    return bases or []


def listening_ports(image: dict) -> list[str]:
    """Ports the image's app listens on by default: ASPNETCORE_URLS or `--urls` in CMD override
    ASPNETCORE_HTTP_PORTS (dotnet/dotnet-docker:README.aspnet.md)."""
    urls = image["env"].get("ASPNETCORE_URLS")
    if urls is None and image.get("cmd") and "--urls" in image["cmd"]:
        urls = image["cmd"]
    if urls is not None:
        ports = re.findall(r"(?:https?://[^:/\s\"]+):(\d{1,5})", urls)
    else:
        http_ports = image["env"].get("ASPNETCORE_HTTP_PORTS") or image.get("aspnetcore_http_ports") or ""
        ports = [p for p in re.split(r"[;,]", http_ports) if p]
    for port in ports:
        if not re.fullmatch(r"\d{1,5}", port):
            fail(f"unexpected port {port!r} in {image['repo']} {image['variant']}")
    return ports


def version_key(version: str) -> tuple[int, ...]:
    return tuple(int(p) for p in version.split("."))


def generate(catalog: dict) -> str:
    if catalog.get("schema_version") != 1:
        fail(f"unsupported schema_version {catalog.get('schema_version')!r}")
    snap = catalog["snapshot"]
    main = snap["dotnet_dotnet_docker"]
    info = snap["dotnet_versions_image_info"]
    out: list[str] = []
    emit = lambda *cols: out.append("\t".join(cols))  # noqa: E731

    out.append("# Generated by scripts/gen_image_catalog.py from dotnet-image-catalog.json. Do not edit.")
    emit("dockside-image-catalog", str(FORMAT_VERSION))
    emit(
        "snapshot",
        snapshot_month(main["commit_date"]),
        main["commit_date"],
        main["commit"][:12],
        info["file_commit_date"],
    )

    for version, life in sorted(catalog["lifecycle"].items(), key=lambda kv: version_key(kv[0]), reverse=True):
        planned_ga, planned_end = planned_dates(life.get("note"))
        if life["release_type"] not in ("lts", "sts"):
            fail(f"release type {life['release_type']!r}")
        emit(
            "lifecycle",
            version,
            life["release_type"],
            field(life.get("ga_date")),
            field(life.get("end_of_support")),
            field(planned_ga if not life.get("ga_date") else None),
            field(planned_end if not life.get("end_of_support") else None),
        )

    for repo in catalog["repositories"]:
        emit("repo", repo["name"], field(repo["description"]))

    for entry in catalog["deprecated_repositories"]:
        matches = [forms for key, forms in DEPRECATED_REPOS.items() if entry["repository"].startswith(key)]
        if len(matches) != 1:
            fail(f"no machine form for deprecated repository {entry['repository']!r}; update DEPRECATED_REPOS")
        for registry, pattern, replacement, summary in matches[0]:
            emit("deprecated", registry, pattern, replacement, summary)

    for repos, versions, suffix, date, replacement, summary in REMOVED:
        emit("removed", repos, versions, suffix, date, field(replacement), summary)

    for item in catalog["retired_os_variants"]["items"]:
        emit(
            "retired",
            item["dotnet_version"],
            item["variant"],
            ",".join(item["repos"]),
            item["first_seen_in_main_manifest"],
            item["last_seen_in_main_manifest"],
        )

    for image in catalog["images"]:
        flags = [name for key, name in FLAG_FIELDS if image.get(key)]
        flags += [f for f in image["flavors"] if f in FLAVOR_FLAGS]
        if "chiseled" in image["flavors"] and not image["distroless"]:
            fail(f"chiseled but not distroless: {image['repo']} {image['variant']}")
        if image.get("chisel_manifest"):
            flags.append("chisel-manifest")
        ports = listening_ports(image)
        emit(
            "image",
            image["repo"],
            field(image["dotnet_version"]),
            image["product_version_channel"],
            image["product_version"],
            image["variant"],
            image["os_variant"],
            image["os"],
            image["distro"],
            image["distro_version"],
            field(image["codename"]),
            ",".join(flags) or "-",
            field(image["shell"]),
            field(image["package_manager"]),
            field(image["default_user"]),
            field(image["libc"]),
            field(image["icu_included"]),
            field(image["tzdata_included"]),
            field(image["globalization_invariant_default"]),
            ",".join(ports) or "-",
            field(image["env"].get("DOTNET_VERSION")),
            field(image["entrypoint"]),
            field(image["cmd"]),
        )
        if image["os"] == "windows":
            # Windows tags are single-platform (amd64) and carry no architecture suffix.
            if image["shared_tags"] or set(image["arch_tags"]) != {"amd64"}:
                fail(f"unexpected Windows tag layout: {image['repo']} {image['variant']}")
            emit("tags", words(image["arch_tags"]["amd64"]))
        else:
            emit("tags", words(image["shared_tags"]))
            bases = arch_bases(image["arch_tags"])
            if bases is None or set(image["arch_tags"]) != set(image["architectures"]):
                fail(f"architecture tags not derivable: {image['repo']} {image['variant']}")
            emit("archbase", words(bases))
        if image.get("undocumented_shared_tags"):
            emit("xtags", words(image["undocumented_shared_tags"]))
        if image.get("undocumented_arch_tags"):
            bases = arch_bases(image["undocumented_arch_tags"])
            if bases is None:
                fail(f"undocumented architecture tags not derivable: {image['repo']} {image['variant']}")
            emit("xarchbase", words(bases))
        for arch in ARCHS:
            size = image["sizes"].get(arch)
            if arch in image["architectures"] and size is None:
                fail(f"missing size: {image['repo']} {image['variant']} {arch}")
            if size is None:
                continue
            measured_on = size.get("compressed_for_version")
            emit(
                "size",
                arch,
                str(int(size["compressed_bytes"])),
                field(size.get("uncompressed_bytes")),
                field(size.get("uncompressed_as_of") if size.get("uncompressed_bytes") else None),
                field(measured_on if measured_on != image["product_version"] else None),
            )
    return "\n".join(out) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("catalog", type=Path, help="dotnet-image-catalog.json")
    default_out = Path(__file__).resolve().parent.parent / "server" / "data" / "dotnet-images.tsv"
    parser.add_argument("--out", type=Path, default=default_out)
    parser.add_argument("--check", action="store_true", help="exit 1 if --out is not up to date")
    args = parser.parse_args()
    text = generate(json.loads(args.catalog.read_text(encoding="utf-8")))
    if args.check:
        current = args.out.read_text(encoding="utf-8") if args.out.exists() else ""
        if current != text:
            print(f"{args.out} is out of date; run scripts/gen_image_catalog.py", file=sys.stderr)
            sys.exit(1)
        return
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8", newline="\n")
    print(f"wrote {args.out} ({len(text.encode('utf-8'))} bytes)")


if __name__ == "__main__":
    main()
