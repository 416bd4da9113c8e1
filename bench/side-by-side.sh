#!/usr/bin/env bash
# Side-by-side benchmark of Dockside against rcjsuen's dockerfile-language-server-nodejs.
# Installs the Node server (pinned) into target/bench-node/, builds Dockside with the release
# (bench) profile, drives both servers over stdio on generated .NET Dockerfiles of 30, 300,
# 3,000 and 30,000 lines, then measures Dockside indexing a 2,000-project solution. Prints the
# tables and rewrites the "Side by side" section of docs/performance.md.
#
# Environment (all optional): SIDE_BY_SIDE_SIZES=30,300 (line counts), SIDE_BY_SIDE_EDITS=50,
# SIDE_BY_SIDE_SAMPLES=20, SIDE_BY_SIDE_WORKSPACE=0 (skip indexing),
# SIDE_BY_SIDE_REPORT=path (default docs/performance.md; "-" prints only).
# Needs node and npm. Run on a quiet machine: the figures are wall-clock latencies.
set -euo pipefail

NODE_SERVER_VERSION=0.15.0
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

prefix="$root/target/bench-node"
script="$prefix/node_modules/dockerfile-language-server-nodejs/bin/docker-langserver"
installed=$(node -p "require('$prefix/node_modules/dockerfile-language-server-nodejs/package.json').version" 2>/dev/null || true)
if [ "$installed" != "$NODE_SERVER_VERSION" ]; then
    mkdir -p "$prefix"
    npm install --prefix "$prefix" --no-audit --no-fund --no-save \
        "dockerfile-language-server-nodejs@$NODE_SERVER_VERSION"
fi

report=${SIDE_BY_SIDE_REPORT:-$root/docs/performance.md}
[ "$report" = "-" ] && report=""

SIDE_BY_SIDE_NODE_SERVER="$script" SIDE_BY_SIDE_REPORT="$report" \
    cargo bench -p dockside --bench side_by_side
