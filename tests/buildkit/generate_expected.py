#!/usr/bin/env python3
"""Runs the BuildKit oracle over every corpus file and writes expected/*.json.

Oracle: the PyPI package `dockerfile` 3.4.0, a wrapper around BuildKit v0.12.5's
Go parser.  Install it with `pip install dockerfile==3.4.0`.

Output per corpus file NNN-name.Dockerfile -> expected/NNN-name.json:
  {"ok": true, "instructions": [{"cmd", "sub_cmd", "json", "start_line", "end_line",
                                 "flags", "value", "heredocs": [{"name", "file_descriptor",
                                 "content"}]}]}
  {"ok": false, "error": "<message>"}
The oracle's `original` field is deliberately left out.
"""

from __future__ import annotations

import json
import os
import sys

import dockerfile

HERE = os.path.dirname(os.path.abspath(__file__))
CORPUS_DIR = os.path.join(HERE, "corpus")
EXPECTED_DIR = os.path.join(HERE, "expected")
REQUIRED_ORACLE_VERSION = "3.4.0"


def oracle_version() -> str:
    from importlib.metadata import version

    return version("dockerfile")


def run_oracle(text: str) -> dict:
    try:
        commands = dockerfile.parse_string(text)
    except dockerfile.GoParseError as error:
        return {"ok": False, "error": str(error)}
    instructions = []
    for command in commands:
        instructions.append({
            "cmd": command.cmd,
            "sub_cmd": command.sub_cmd,
            "json": command.json,
            "start_line": command.start_line,
            "end_line": command.end_line,
            "flags": list(command.flags),
            "value": list(command.value),
            "heredocs": [
                {"name": heredoc.name, "file_descriptor": heredoc.file_descriptor,
                 "content": heredoc.content}
                for heredoc in command.heredocs
            ],
        })
    return {"ok": True, "instructions": instructions}


def main() -> int:
    found = oracle_version()
    if found != REQUIRED_ORACLE_VERSION:
        print(f"need dockerfile=={REQUIRED_ORACLE_VERSION}, found {found}", file=sys.stderr)
        return 1
    os.makedirs(EXPECTED_DIR, exist_ok=True)
    corpus = sorted(name for name in os.listdir(CORPUS_DIR) if name.endswith(".Dockerfile"))
    wanted = set()
    accepted = rejected = 0
    errors: dict[str, int] = {}
    for filename in corpus:
        with open(os.path.join(CORPUS_DIR, filename), "rb") as handle:
            # A BOM must reach the parser (BuildKit strips it itself), so no utf-8-sig here.
            text = handle.read().decode("utf-8")
        result = run_oracle(text)
        if result["ok"]:
            accepted += 1
        else:
            rejected += 1
            errors[result["error"]] = errors.get(result["error"], 0) + 1
        out_name = filename[: -len(".Dockerfile")] + ".json"
        wanted.add(out_name)
        payload = json.dumps(result, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
        with open(os.path.join(EXPECTED_DIR, out_name), "w", encoding="utf-8", newline="\n") as handle:
            handle.write(payload)
    for existing in os.listdir(EXPECTED_DIR):
        if existing.endswith(".json") and existing not in wanted:
            os.remove(os.path.join(EXPECTED_DIR, existing))
    lines = [
        f"oracle: dockerfile {found} (BuildKit v0.12.5 parser)",
        f"files: {len(corpus)}",
        f"accepted: {accepted}",
        f"rejected: {rejected}",
        "",
        "rejections by message:",
    ]
    for message, count in sorted(errors.items(), key=lambda item: (-item[1], item[0])):
        lines.append(f"  {count:3d}  {message}")
    with open(os.path.join(EXPECTED_DIR, "SUMMARY.txt"), "w", encoding="utf-8", newline="\n") as handle:
        handle.write("\n".join(lines) + "\n")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
