#!/usr/bin/env python3
"""Writes the differential-test corpus into tests/buildkit/corpus/.

Every case is listed here, either written by hand (CASES) or produced by the
seeded generators at the end (so the output is identical on every run).  The
generated .Dockerfile files are checked in; re-run this script after editing a
case and then re-run generate_expected.py.

Case text conventions (so that invisible bytes stay visible in this source):
  <TAB> -> a tab, <SP> -> a space (used for trailing spaces), <CR> -> a carriage return.
The first newline right after the opening quotes is dropped.  Options:
  crlf=True   every "\n" becomes "\r\n"
  bom=True    the file starts with a UTF-8 byte order mark
  eof_newline=False   the final "\n" is removed (file ends without a newline)
"""

from __future__ import annotations

import os
import random
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
CORPUS_DIR = os.path.join(HERE, "corpus")
SEED = 20240917

CASES: list[tuple[str, bytes]] = []


def case(name: str, text: str, *, crlf: bool = False, bom: bool = False,
         eof_newline: bool = True) -> None:
    if text.startswith("\n"):
        text = text[1:]
    text = text.replace("<TAB>", "\t").replace("<SP>", " ").replace("<CR>", "\r")
    if not eof_newline:
        if not text.endswith("\n"):
            raise ValueError(f"{name}: eof_newline=False needs a text ending in a newline")
        text = text[:-1]
    if crlf:
        text = text.replace("\r\n", "\n").replace("\n", "\r\n")
    data = text.encode("utf-8")
    if bom:
        data = b"\xef\xbb\xbf" + data
    if any(existing == name for existing, _ in CASES):
        raise ValueError(f"duplicate case name {name}")
    CASES.append((name, data))


# --------------------------------------------------------------------------
# Parser directives
# --------------------------------------------------------------------------

case("directive-syntax", r"""
# syntax=docker/dockerfile:1
FROM alpine:3.19
RUN echo hi
""")

case("directive-syntax-versioned-image", r"""
# syntax=docker.io/docker/dockerfile:1.7-labs
FROM alpine
COPY --parents ./src/**/*.csproj /out/
""")

case("directive-escape-backslash-explicit", r"""
# escape=\
FROM alpine
RUN echo a \
    b
""")

case("directive-escape-backtick-windows", r"""
# escape=`
FROM mcr.microsoft.com/windows/nanoserver:ltsc2022
WORKDIR C:\app
COPY bin\Release\net8.0\publish\ C:\app\
RUN dir C:\app `
    && echo done
ENTRYPOINT ["C:\\app\\App.exe"]
""")

case("directive-escape-backtick-then-syntax", r"""
# escape=`
# syntax=docker/dockerfile:1
FROM alpine
RUN echo one `
  two
""")

case("directive-syntax-then-escape", r"""
# syntax=docker/dockerfile:1
# escape=`
FROM alpine
RUN echo one `
  two
""")

case("directive-escape-no-space", r"""
#escape=`
FROM alpine
RUN echo a `
  b
""")

case("directive-escape-odd-spacing", r"""
#<TAB>escape  =  `<SP><SP>
FROM alpine
RUN echo a `
  b
""")

case("directive-uppercase-key", r"""
# ESCAPE=`
# SYNTAX=docker/dockerfile:1
FROM alpine
RUN echo a `
  b
""")

case("directive-mixed-case-key", r"""
# Escape=`
FROM alpine
RUN echo a `
  b
""")

case("directive-after-blank-line-is-comment", r"""

# escape=`
FROM alpine
RUN echo a `
  b
""")

case("directive-after-comment-is-comment", r"""
# This Dockerfile builds the app
# escape=`
FROM alpine
RUN echo a `
  b
""")

case("directive-after-instruction-is-comment", r"""
FROM alpine
# escape=`
RUN echo a `
  b
""")

case("directive-after-unknown-directive", r"""
# foo=bar
# escape=`
FROM alpine
RUN echo a `
  b
""")

case("directive-empty-value-is-comment", r"""
# syntax=
# escape=`
FROM alpine
RUN echo a `
  b
""")

case("directive-bare-hash-then-escape", r"""
#
# escape=`
FROM alpine
""")

case("directive-duplicate-escape", r"""
# escape=`
# escape=`
FROM alpine
""")

case("directive-duplicate-escape-different", r"""
# escape=\
# escape=`
FROM alpine
""")

case("directive-duplicate-syntax", r"""
# syntax=docker/dockerfile:1
# syntax=docker/dockerfile:1.4
FROM alpine
""")

case("directive-duplicate-syntax-case", r"""
# Syntax=docker/dockerfile:1
# SYNTAX=docker/dockerfile:1
FROM alpine
""")

case("directive-duplicate-after-other", r"""
# escape=`
# syntax=docker/dockerfile:1
# escape=\
FROM alpine
""")

case("directive-invalid-escape-letter", r"""
# escape=x
FROM alpine
""")

case("directive-invalid-escape-two-chars", r"""
# escape=``
FROM alpine
""")

case("directive-invalid-escape-slash", r"""
# escape=/
FROM alpine
""")

case("directive-check-alone", r"""
# check=skip=JSONArgsRecommended;error=true
FROM alpine
CMD echo hi
""")

case("directive-check-after-escape", r"""
# escape=`
# check=skip=all
FROM alpine
RUN echo a `
  b
""")

case("directive-syntax-escape-check", r"""
# syntax=docker/dockerfile:1
# escape=`
# check=error=true
FROM alpine
RUN echo a `
  b
""")

case("directive-check-duplicate", r"""
# check=skip=all
# check=error=true
FROM alpine
""")

case("directive-escape-in-later-comment-ignored", r"""
# escape=`
FROM alpine
RUN echo a `
  b
# escape=\
RUN echo c \
  d
""")

case("directive-not-key-value", r"""
# just a comment with = sign
# escape=`
FROM alpine
RUN echo a `
  b
""")

case("directive-escape-backtick-json-backslashes", r"""
# escape=`
FROM mcr.microsoft.com/dotnet/sdk:8.0-nanoserver-ltsc2022
SHELL ["pwsh", "-Command", "$ErrorActionPreference = 'Stop';"]
RUN New-Item -ItemType Directory C:\src `
    -Force
COPY ["src\\App\\App.csproj", "src\\App\\"]
""")

case("directive-escape-backtick-backslash-at-eol", r"""
# escape=`
FROM alpine
RUN echo C:\path\
RUN echo next
""")

case("directive-leading-whitespace", r"""
<SP><SP># escape=`
FROM alpine
RUN echo a `
  b
""")

case("directive-duplicate-after-blank-is-comment", r"""
# escape=`

# syntax=a
# syntax=b
# escape=\
FROM alpine
RUN echo a `
  b
""")

case("directive-only-no-instructions", r"""
# syntax=docker/dockerfile:1
# escape=`
""")

# --------------------------------------------------------------------------
# Line continuations
# --------------------------------------------------------------------------

case("cont-basic", r"""
FROM alpine
RUN apk add --no-cache \
    curl \
    git
""")

case("cont-spaces-after-backslash", r"""
FROM alpine
RUN echo a \<SP><SP>
    b
""")

case("cont-tab-after-backslash", r"""
FROM alpine
RUN echo a \<TAB>
<TAB>b
""")

case("cont-comment-inside", r"""
FROM alpine
RUN apt-get update \
# install curl
    && apt-get install -y curl \
    # indented comment
    && rm -rf /var/lib/apt/lists/*
""")

case("cont-blank-line-inside", r"""
FROM alpine
RUN echo a \

    b
""")

case("cont-blank-and-comment-inside", r"""
FROM alpine
RUN echo a \

# note

    b
RUN echo c
""")

case("cont-whitespace-only-line-inside", r"""
FROM alpine
RUN echo a \
<SP><SP><TAB>
    b
""")

case("cont-indented", r"""
FROM alpine
<SP><SP>RUN echo a \
<SP><SP><SP><SP>b \
<TAB><TAB>c
""")

case("cont-lone-backslash-line", r"""
FROM alpine
\
RUN echo hi
""")

case("cont-lone-backslash-inside-instruction", r"""
FROM alpine
RUN echo a \
\
    b
""")

case("cont-double-backslash-eol", r"""
FROM alpine
RUN echo a\\
RUN echo b
""")

case("cont-triple-backslash-eol", r"""
FROM alpine
RUN echo a\\\
    b
""")

case("cont-backslash-at-eof-no-newline", r"""
FROM alpine
RUN echo hi \
""", eof_newline=False)

case("cont-backslash-at-eof-with-newline", r"""
FROM alpine
RUN echo hi \
""")

case("cont-backslash-then-blank-at-eof", r"""
FROM alpine
RUN echo hi \

""")

case("cont-backslash-then-comment-at-eof", r"""
FROM alpine
RUN echo hi \
# trailing comment
""")

case("cont-last-line-no-newline", r"""
FROM alpine
RUN echo a \
    b
""", eof_newline=False)

case("cont-comment-ending-with-backslash", r"""
FROM alpine
# this comment ends with a backslash \
RUN echo hi
""")

case("cont-comment-backslash-inside-continuation", r"""
FROM alpine
RUN echo a \
# comment \
    b
""")

case("cont-from-split", r"""
FROM \
    alpine:3.19 \
    AS \
    base
""")

case("cont-keyword-alone-on-line", r"""
FROM alpine
RUN \
    echo hi
""")

case("cont-flag-split", r"""
FROM alpine
COPY \
    --chown=1000:1000 \
    --chmod=755 \
    src/ /app/
""")

case("cont-env-multiline", r"""
FROM alpine
ENV A=1 \
    B=2 \
    C="three four"
""")

case("cont-label-multiline", r"""
FROM alpine
LABEL org.opencontainers.image.title="My App" \
      org.opencontainers.image.version="1.0.0" \
      org.opencontainers.image.description="A \"quoted\" description"
""")

case("cont-json-multiline", r"""
FROM alpine
CMD ["dotnet", \
     "App.dll", \
     "--urls", "http://+:8080"]
""")

case("cont-json-multiline-with-comment", r"""
FROM alpine
ENTRYPOINT [ \
  "dotnet", \
# the dll
  "App.dll" \
]
""")

case("cont-many-ands", r"""
FROM debian:bookworm-slim
RUN set -eux; \
    apt-get update; \
    apt-get install -y --no-install-recommends \
        ca-certificates \
        curl \
        libicu72 \
        libssl3 \
        tzdata \
    ; \
    rm -rf /var/lib/apt/lists/*; \
    curl --version
""")

case("cont-empty-continuation-then-instruction-text", r"""
FROM alpine
RUN echo a \

RUN echo b
""")

case("cont-backslash-space-mid-line", r"""
FROM alpine
RUN echo a\ b \ c
""")

case("cont-backtick-without-escape-directive", r"""
FROM alpine
RUN echo a `
RUN echo b
""")

case("cont-only-continuation-lines", r"""
\
\
""")

# --------------------------------------------------------------------------
# Heredocs
# --------------------------------------------------------------------------

case("heredoc-run-basic", r"""
# syntax=docker/dockerfile:1
FROM alpine
RUN <<EOF
echo hello
echo world
EOF
""")

case("heredoc-run-dash-tabs", r"""
FROM alpine
RUN <<-EOF
<TAB>echo hello
<TAB><TAB>echo indented
<TAB>EOF
""")

case("heredoc-run-dash-spaces-terminator", r"""
FROM alpine
RUN <<-EOF
    echo hello
    EOF
EOF
""")

case("heredoc-quoted-double", r"""
FROM alpine
RUN <<"EOF"
echo $HOME
EOF
""")

case("heredoc-quoted-single", r"""
FROM alpine
RUN <<'EOF'
echo $HOME
EOF
""")

case("heredoc-quoted-dash", r"""
FROM alpine
RUN <<-'EOT'
<TAB>echo hi
<TAB>EOT
""")

case("heredoc-two-on-one-line", r"""
FROM alpine
RUN <<A <<B
echo a
A
echo b
B
""")

case("heredoc-three-mixed", r"""
FROM alpine
RUN <<ONE cat /dev/stdin && <<-'TWO' 3<<THREE bash
one
ONE
<TAB>two
<TAB>TWO
three
THREE
""")

case("heredoc-copy", r"""
FROM alpine
COPY <<EOF /etc/app.conf
key=value
other=1
EOF
""")

case("heredoc-copy-two-files", r"""
FROM alpine
COPY <<A <<B /dst/
file a
A
file b
B
""")

case("heredoc-copy-with-flags", r"""
FROM alpine
COPY --chmod=755 --chown=app:app <<EOF /usr/local/bin/entry.sh
#!/bin/sh
exec "$@"
EOF
""")

case("heredoc-add", r"""
FROM alpine
ADD <<EOF /app/readme.txt
hello
EOF
""")

case("heredoc-python", r"""
FROM python:3.12-slim
RUN python3 <<PY
import sys
print("hello", sys.version)
PY
""")

case("heredoc-fd-2", r"""
FROM alpine
RUN cat 2<<EOF
to stderr
EOF
""")

case("heredoc-fd-large", r"""
FROM alpine
RUN cat 10<<EOF
ten
EOF
""")

case("heredoc-cat-redirect", r"""
FROM alpine
RUN cat <<EOF > /etc/motd
Welcome
EOF
""")

case("heredoc-cat-redirect-then-more", r"""
FROM alpine
RUN cat <<EOF > /app/settings.json && chmod 600 /app/settings.json
{
  "Logging": { "LogLevel": { "Default": "Information" } }
}
EOF
""")

case("heredoc-body-backslash-and-hash", r"""
FROM alpine
RUN <<EOF
# this is a shell comment, not a Dockerfile comment
echo a \
  b
echo "tab\there"
EOF
""")

case("heredoc-body-looks-like-instructions", r"""
FROM alpine
RUN <<EOF
FROM ubuntu
RUN echo nested
EOF
CMD ["sh"]
""")

case("heredoc-empty-body", r"""
FROM alpine
RUN <<EOF
EOF
""")

case("heredoc-body-blank-lines", r"""
FROM alpine
RUN <<EOF

echo a

EOF
""")

case("heredoc-unterminated", r"""
FROM alpine
RUN <<EOF
echo never closed
""")

case("heredoc-unterminated-second", r"""
FROM alpine
RUN <<A <<B
a
A
b
""")

case("heredoc-terminator-with-trailing-space", r"""
FROM alpine
RUN <<EOF
echo hi
EOF<SP>
EOF
""")

case("heredoc-terminator-indented-no-dash", r"""
FROM alpine
RUN <<EOF
echo hi
  EOF
EOF
""")

case("heredoc-onbuild-run", r"""
FROM alpine
ONBUILD RUN <<EOF
echo on build
EOF
RUN echo after
""")

case("heredoc-in-env-is-text", r"""
FROM alpine
ENV A <<EOF
RUN echo after
""")

case("heredoc-in-label-is-text", r"""
FROM alpine
LABEL note=<<EOF
RUN echo after
""")

case("heredoc-in-cmd-is-text", r"""
FROM alpine
CMD <<EOF
echo hi
EOF
""")

case("heredoc-in-entrypoint-is-text", r"""
FROM alpine
ENTRYPOINT cat <<EOF
""")

case("heredoc-in-json-run", r"""
FROM alpine
RUN ["sh", "-c", "cat <<EOF"]
""")

case("heredoc-with-run-flags", r"""
FROM alpine
RUN --mount=type=cache,target=/var/cache/apk --network=none <<EOF
apk add curl
EOF
""")

case("heredoc-after-continuation", r"""
FROM alpine
RUN --mount=type=cache,target=/root/.cache \
    <<EOF
echo hi
EOF
""")

case("heredoc-crlf", r"""
FROM alpine
RUN <<EOF
echo windows
EOF
CMD ["sh"]
""", crlf=True)

case("heredoc-at-eof-no-newline", r"""
FROM alpine
RUN <<EOF
echo hi
EOF
""", eof_newline=False)

case("heredoc-name-lowercase", r"""
FROM alpine
RUN <<end
echo hi
end
""")

case("heredoc-name-with-underscore-digits", r"""
FROM alpine
RUN <<END_OF_SCRIPT_2
echo hi
END_OF_SCRIPT_2
""")

case("heredoc-herestring-not-heredoc", r"""
FROM alpine
RUN cat <<<"hello"
""")

case("heredoc-space-after-operator", r"""
FROM alpine
RUN cat << EOF
x
EOF
""")

case("heredoc-unclosed-quote-name", r"""
FROM alpine
RUN <<"EOF
x
EOF
""")

case("heredoc-empty-quoted-name", r"""
FROM alpine
RUN <<""
x

""")

case("heredoc-setup-script", r"""
# syntax=docker/dockerfile:1.4
FROM mcr.microsoft.com/dotnet/sdk:8.0 AS build
RUN <<EOF
set -e
dotnet --info
dotnet tool install --global dotnet-ef
EOF
ENV PATH="$PATH:/root/.dotnet/tools"
""")

case("heredoc-then-comment-and-blank", r"""
FROM alpine
RUN <<EOF
echo hi
EOF

# after

RUN echo next
""")

case("heredoc-bash-interpreter-shebang", r"""
FROM alpine
RUN <<EOF
#!/usr/bin/env bash
set -euo pipefail
echo "$((1+2))"
EOF
""")

# --------------------------------------------------------------------------
# Exec form vs shell form
# --------------------------------------------------------------------------

case("exec-run-cmd-entrypoint", r"""
FROM alpine
RUN ["apk", "add", "curl"]
CMD ["--help"]
ENTRYPOINT ["/usr/bin/curl"]
""")

case("shell-run-cmd-entrypoint", r"""
FROM alpine
RUN apk add curl
CMD curl --help
ENTRYPOINT /usr/bin/curl
""")

case("exec-json-escapes", r"""
FROM alpine
RUN ["echo", "quote \" here", "back\\slash", "caf\u00e9", "tab\tand\nnewline", "\/slash"]
""")

case("exec-json-unicode-surrogate", r"""
FROM alpine
CMD ["echo", "\ud83d\udc33", "日本語"]
""")

case("exec-empty-array", r"""
FROM alpine
CMD []
ENTRYPOINT []
""")

case("exec-empty-array-spaces", r"""
FROM alpine
CMD [ ]
""")

case("exec-unterminated-array", r"""
FROM alpine
CMD ["a",
""")

case("exec-unterminated-string", r"""
FROM alpine
CMD ["a
""")

case("exec-single-quotes-not-json", r"""
FROM alpine
CMD ['a','b']
""")

case("exec-non-string-numbers", r"""
FROM alpine
CMD [1, 2]
""")

case("exec-non-string-mixed", r"""
FROM alpine
RUN ["a", 1]
""")

case("exec-non-string-bool-null", r"""
FROM alpine
ENTRYPOINT ["a", true, null]
""")

case("exec-nested-array", r"""
FROM alpine
CMD ["a", ["b"]]
""")

case("exec-object-not-array", r"""
FROM alpine
CMD {"a": "b"}
""")

case("exec-trailing-text-after-array", r"""
FROM alpine
CMD ["a", "b"] extra
""")

case("exec-trailing-comma", r"""
FROM alpine
CMD ["a", "b",]
""")

case("exec-no-space-after-keyword", r"""
FROM alpine
CMD["a"]
""")

case("exec-shell-form", r"""
FROM mcr.microsoft.com/windows/servercore:ltsc2022
SHELL ["powershell", "-Command", "$ErrorActionPreference = 'Stop'; $ProgressPreference = 'SilentlyContinue';"]
RUN Write-Host hello
SHELL ["cmd", "/S", "/C"]
""")

case("exec-shell-shell-form-value", r"""
FROM alpine
SHELL /bin/bash -c
""")

case("exec-healthcheck-forms", r"""
FROM alpine
HEALTHCHECK CMD curl -f http://localhost/ || exit 1
HEALTHCHECK CMD ["curl", "-f", "http://localhost/"]
HEALTHCHECK --interval=30s --timeout=3s CMD ["CMD-SHELL", "curl -f http://localhost/"]
""")

case("exec-json-spread-over-lines", r"""
FROM alpine
RUN [ "sh", \
      "-c", \
      "echo hi" ]
""")

case("exec-json-with-leading-spaces", r"""
FROM alpine
CMD    [ "a" ,   "b" ]<SP><SP>
""")

case("exec-json-single-element", r"""
FROM alpine
ENTRYPOINT ["dotnet"]
""")

case("exec-json-empty-strings", r"""
FROM alpine
CMD ["", ""]
""")

case("exec-volume-json-and-words", r"""
FROM alpine
VOLUME ["/data", "/logs"]
VOLUME /cache /tmp/x
VOLUME /single
""")

case("exec-json-backslash-escape-directive", r"""
# escape=`
FROM alpine
CMD ["C:\\Program Files\\app.exe", "a`b"]
""")

case("exec-json-invalid-escape", r"""
FROM alpine
CMD ["a\qb"]
""")

# --------------------------------------------------------------------------
# FROM
# --------------------------------------------------------------------------

case("from-basic-variants", r"""
FROM alpine
FROM alpine:3.19
FROM docker.io/library/alpine:3.19
FROM scratch
""")

case("from-as-name", r"""
FROM mcr.microsoft.com/dotnet/sdk:8.0 AS build
FROM mcr.microsoft.com/dotnet/aspnet:8.0 as final
FROM build As again
""")

case("from-platform", r"""
FROM --platform=linux/amd64 alpine AS a
FROM --platform=$BUILDPLATFORM mcr.microsoft.com/dotnet/sdk:8.0 AS build
FROM --platform=${TARGETPLATFORM} alpine
""")

case("from-digest", r"""
FROM alpine@sha256:c5b1261d6d3e43071626931fc004f70149baeba2c8ec672bd4f27761f8e1ad6b
FROM alpine:3.19@sha256:c5b1261d6d3e43071626931fc004f70149baeba2c8ec672bd4f27761f8e1ad6b AS pinned
""")

case("from-registry-port", r"""
FROM localhost:5000/team/app:1.2.3
FROM myregistry.azurecr.io:443/dotnet/aspnet:8.0-alpine AS runtime
""")

case("from-variables", r"""
ARG TAG=8.0
ARG V
FROM mcr.microsoft.com/dotnet/aspnet:${TAG}
FROM mcr.microsoft.com/dotnet/sdk:${V:-9.0} AS build
FROM alpine:$TAG
""")

case("from-alone", r"""
FROM
""")

case("from-extra-words", r"""
FROM alpine AS a b c
FROM alpine extra
""")

case("from-as-without-name", r"""
FROM alpine AS
""")

case("from-flag-after-image", r"""
FROM alpine --platform=linux/amd64
""")

case("from-unknown-flag", r"""
FROM --foo=bar alpine
""")

case("from-multi-stage-chain", r"""
FROM alpine AS one
RUN echo 1 > /one
FROM one AS two
RUN echo 2 > /two
FROM scratch
COPY --from=two /one /two /
""")

# --------------------------------------------------------------------------
# COPY / ADD
# --------------------------------------------------------------------------

case("copy-basic", r"""
FROM alpine
COPY . .
COPY src/ /app/src/
COPY a b c /dst/
""")

case("copy-all-flags", r"""
# syntax=docker/dockerfile:1.7-labs
FROM alpine
COPY --from=build --chown=app:app --chmod=0755 --link /app/publish /app
COPY --link=false a /b
COPY --parents ./src/*/obj/project.assets.json /out/
COPY --exclude=**/*.md --exclude=bin/ . /src/
""")

case("copy-from-index-and-image", r"""
FROM alpine
COPY --from=0 /a /a
COPY --from=nginx:latest /etc/nginx/nginx.conf /etc/
""")

case("copy-json-form-spaces", r"""
FROM alpine
COPY ["src/My App/My App.csproj", "src/My App/"]
COPY --chown=1000 ["a b", "c d", "/dst dir/"]
""")

case("copy-json-form-dotnet", r"""
FROM mcr.microsoft.com/dotnet/sdk:8.0
COPY ["src/App/App.csproj", "src/App/"]
COPY ["src/App.Core/App.Core.csproj", "src/App.Core/"]
""")

case("copy-src-only", r"""
FROM alpine
COPY src
""")

case("copy-no-args", r"""
FROM alpine
COPY
""")

case("copy-flags-only", r"""
FROM alpine
COPY --from=build
""")

case("copy-empty-flag-value", r"""
FROM alpine
COPY --from= /a /b
COPY --chown= a b
""")

case("copy-flag-without-value", r"""
FROM alpine
COPY --link a b
COPY --parents a b
""")

case("copy-double-dash-alone", r"""
FROM alpine
COPY -- a b
RUN -- echo hi
""")

case("copy-flag-like-after-args", r"""
FROM alpine
COPY a --chown=1:1 b
RUN echo --mount=type=cache,target=/x
""")

case("copy-single-dash-flag", r"""
FROM alpine
COPY -from=build a b
""")

case("copy-flag-quoted-value", r"""
FROM alpine
COPY --chown="app:app" a b
COPY --exclude="*.tmp" --exclude='*.log' . /src
""")

case("copy-flag-unterminated-quote", r"""
FROM alpine
COPY --from="abc /a /b
""")

case("copy-flag-uppercase", r"""
FROM alpine
COPY --FROM=build a b
copy --Chown=1 a b
""")

case("copy-variables", r"""
FROM alpine
ARG SRC=src
COPY ${SRC}/ /app/
COPY --from=${STAGE:-build} $SRC /x
""")

case("copy-windows-paths-default-escape", r"""
FROM alpine
COPY bin\Release\ C:\app\
""")

case("add-flags", r"""
# syntax=docker/dockerfile:1.7-labs
FROM alpine
ADD --checksum=sha256:24454f830cdb571e2c4ad15481119c43b3cafd48dd869a9b2945d1036d1dc68d https://example.com/app.tar.gz /
ADD --keep-git-dir=true https://github.com/dotnet/runtime.git#main /src
ADD --chown=1:1 --chmod=644 --link archive.tar.gz /opt/
ADD --exclude=*.txt dir/ /dst/
""")

case("add-url-and-tar", r"""
FROM alpine
ADD https://dot.net/v1/dotnet-install.sh /usr/local/bin/
ADD app.tar.gz /app
ADD ["a b.tar", "/x y/"]
""")

case("add-git-ref", r"""
FROM alpine
ADD git@github.com:dotnet/aspnetcore.git#v8.0.0 /src
""")

# --------------------------------------------------------------------------
# RUN
# --------------------------------------------------------------------------

case("run-mount-cache", r"""
FROM alpine
RUN --mount=type=cache,target=/var/cache/apk apk add curl
""")

case("run-mount-several", r"""
FROM mcr.microsoft.com/dotnet/sdk:8.0
RUN --mount=type=cache,id=nuget,target=/root/.nuget/packages \
    --mount=type=bind,source=src,target=/src,rw \
    --mount=type=secret,id=nugetconfig,target=/root/.nuget/NuGet/NuGet.Config \
    --mount=type=ssh \
    --mount=type=tmpfs,target=/tmp \
    dotnet restore /src/App.sln
""")

case("run-network-security", r"""
FROM alpine
RUN --network=none echo offline
RUN --network=host curl http://localhost
RUN --security=insecure mount -t tmpfs none /mnt
RUN --network=default --security=sandbox echo both
""")

case("run-mount-quoted", r"""
FROM alpine
RUN --mount=type=secret,id=token,env=TOKEN "echo" "$TOKEN"
RUN --mount="type=cache,target=/root/.cache" pip install x
""")

case("run-alone", r"""
FROM alpine
RUN
""")

case("run-only-flag", r"""
FROM alpine
RUN --network=none
""")

case("run-exec-with-flags", r"""
FROM alpine
RUN --mount=type=cache,target=/x ["sh", "-c", "echo hi"]
""")

case("run-long-and-chain", r"""
FROM mcr.microsoft.com/dotnet/sdk:8.0
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
       clang \
       zlib1g-dev \
    && rm -rf /var/lib/apt/lists/* \
    && dotnet --list-sdks \
    && echo "done" \
    && true
""")

case("run-internal-whitespace-preserved", r"""
FROM alpine
RUN echo   a<TAB><TAB>b    c<SP><SP><SP>
""")

case("run-quotes-and-vars", r"""
FROM alpine
RUN echo "double $HOME" 'single $HOME' `date` ${X:-y} $((1+1))
""")

# --------------------------------------------------------------------------
# ARG / ENV / LABEL
# --------------------------------------------------------------------------

case("arg-forms", r"""
ARG A
ARG B=1
ARG C=1 D=2
ARG E="quoted value"
ARG F='single'
FROM alpine
ARG A
""")

case("arg-before-from-only", r"""
ARG BASE=alpine:3.19
FROM ${BASE}
""")

case("arg-empty-value", r"""
FROM alpine
ARG EMPTY=
ARG EMPTY_QUOTED=""
""")

case("arg-spaces-around-equals", r"""
FROM alpine
ARG A = 1
""")

case("arg-escaped-space", r"""
FROM alpine
ARG A=a\ b
""")

case("arg-alone", r"""
FROM alpine
ARG
""")

case("arg-no-from", r"""
ARG ONLY=1
""")

case("env-new-form", r"""
FROM alpine
ENV A=1 B="x y" C=a\ b
""")

case("env-legacy-form", r"""
FROM alpine
ENV A b c
ENV PATH /usr/local/bin:$PATH
ENV MSG hello   world<SP><SP>
""")

case("env-legacy-single-word-error", r"""
FROM alpine
ENV ONLYNAME
""")

case("env-mixed-error", r"""
FROM alpine
ENV A=1 B
""")

case("env-empty-name", r"""
FROM alpine
ENV =value
""")

case("env-empty-value", r"""
FROM alpine
ENV A= B=""
""")

case("env-quotes-kept", r"""
FROM alpine
ENV A="x" B='y' C="a\"b" D='it''s'
""")

case("env-value-with-equals", r"""
FROM alpine
ENV CONN="Server=db;User=sa;Password=x" OPTS=--a=b
""")

case("env-multiline-legacy", r"""
FROM alpine
ENV LONG first \
    second \
    third
""")

case("env-alone", r"""
FROM alpine
ENV
""")

case("env-dotnet", r"""
FROM mcr.microsoft.com/dotnet/aspnet:8.0
ENV ASPNETCORE_URLS=http://+:8080 \
    DOTNET_RUNNING_IN_CONTAINER=true \
    DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=false \
    ASPNETCORE_ENVIRONMENT=Production
""")

case("env-quoted-key", r"""
FROM alpine
ENV "A"=1
""")

case("env-unterminated-quote", r"""
FROM alpine
ENV A="unterminated
""")

case("label-forms", r"""
FROM alpine
LABEL version="1.0"
LABEL "com.example.vendor"="ACME Incorporated"
LABEL com.example.label-with-value="foo" description="This text illustrates \
that label-values can span multiple lines."
LABEL multi.label1="value1" multi.label2="value2" other="value3"
""")

case("label-legacy-form", r"""
FROM alpine
LABEL maintainer John Doe
""")

case("label-single-word-error", r"""
FROM alpine
LABEL novalue
""")

case("label-alone", r"""
FROM alpine
LABEL
""")

case("label-single-quotes-and-unicode", r"""
FROM alpine
LABEL description='Dockside test 日本語🐳' empty=""
""")

# --------------------------------------------------------------------------
# EXPOSE / USER / WORKDIR / VOLUME / STOPSIGNAL / SHELL / MAINTAINER
# --------------------------------------------------------------------------

case("expose-forms", r"""
FROM alpine
EXPOSE 80
EXPOSE 80 443/tcp 53/udp
EXPOSE 8000-8010
EXPOSE $PORT ${HTTPS_PORT:-8443}/tcp
""")

case("expose-alone", r"""
FROM alpine
EXPOSE
""")

case("expose-json-looking", r"""
FROM alpine
EXPOSE ["80", "443"]
""")

case("user-forms", r"""
FROM alpine
USER app
USER 1000:1000
USER $APP_UID
USER ${UID}:${GID}
""")

case("user-alone-and-extra", r"""
FROM alpine
USER
USER a b
""")

case("workdir-forms", r"""
FROM alpine
WORKDIR /app
WORKDIR src
WORKDIR /path with spaces
WORKDIR $HOME/app
""")

case("workdir-windows", r"""
# escape=`
FROM mcr.microsoft.com/windows/nanoserver:ltsc2022
WORKDIR C:\app
WORKDIR "C:\Program Files\app"
""")

case("volume-alone", r"""
FROM alpine
VOLUME
""")

case("volume-json-non-string", r"""
FROM alpine
VOLUME ["/data", 1]
""")

case("stopsignal-forms", r"""
FROM alpine
STOPSIGNAL SIGTERM
STOPSIGNAL 9
STOPSIGNAL $SIG
""")

case("stopsignal-alone", r"""
FROM alpine
STOPSIGNAL
""")

case("shell-alone", r"""
FROM alpine
SHELL
""")

case("maintainer", r"""
FROM alpine
MAINTAINER John Doe <john@example.com>
MAINTAINER
""")

# --------------------------------------------------------------------------
# HEALTHCHECK
# --------------------------------------------------------------------------

case("healthcheck-all-flags", r"""
FROM alpine
HEALTHCHECK --interval=30s --timeout=10s --start-period=5s --start-interval=1s --retries=3 \
    CMD curl -f http://localhost:8080/health || exit 1
""")

case("healthcheck-none", r"""
FROM alpine
HEALTHCHECK NONE
""")

case("healthcheck-none-lowercase", r"""
FROM alpine
HEALTHCHECK none
""")

case("healthcheck-none-with-extra", r"""
FROM alpine
HEALTHCHECK NONE extra
""")

case("healthcheck-exec", r"""
FROM alpine
HEALTHCHECK --interval=5m CMD ["dotnet", "healthcheck.dll"]
""")

case("healthcheck-lowercase-cmd", r"""
FROM alpine
HEALTHCHECK cmd curl -f http://localhost/
""")

case("healthcheck-alone", r"""
FROM alpine
HEALTHCHECK
""")

case("healthcheck-flags-no-cmd", r"""
FROM alpine
HEALTHCHECK --interval=5s
""")

case("healthcheck-cmd-alone", r"""
FROM alpine
HEALTHCHECK CMD
""")

case("healthcheck-bogus-subcommand", r"""
FROM alpine
HEALTHCHECK RUN curl -f http://localhost/
""")

case("healthcheck-json-non-string", r"""
FROM alpine
HEALTHCHECK CMD ["curl", 1]
""")

# --------------------------------------------------------------------------
# ONBUILD
# --------------------------------------------------------------------------

case("onbuild-forms", r"""
FROM alpine
ONBUILD RUN echo hi
ONBUILD COPY . /app/src
ONBUILD ADD --chown=1 a b
ONBUILD ENV A=1 B=2
ONBUILD CMD ["a", "b"]
""")

case("onbuild-with-inner-flags", r"""
FROM alpine
ONBUILD RUN --mount=type=cache,target=/x echo hi
ONBUILD COPY --from=build /a /b
""")

case("onbuild-flag-before-subcommand", r"""
FROM alpine
ONBUILD --foo=bar RUN echo hi
""")

case("onbuild-alone", r"""
FROM alpine
ONBUILD
""")

case("onbuild-chained", r"""
FROM alpine
ONBUILD ONBUILD RUN echo hi
""")

case("onbuild-from-maintainer", r"""
FROM alpine
ONBUILD FROM ubuntu
ONBUILD MAINTAINER me
""")

case("onbuild-lowercase", r"""
FROM alpine
onbuild run echo hi
OnBuild Workdir /app
""")

case("onbuild-healthcheck", r"""
FROM alpine
ONBUILD HEALTHCHECK --interval=5s CMD ["curl", "x"]
""")

case("onbuild-unknown-inner", r"""
FROM alpine
ONBUILD FOOBAR x y
""")

case("onbuild-env-error", r"""
FROM alpine
ONBUILD ENV NAME
""")

case("onbuild-json-error", r"""
FROM alpine
ONBUILD CMD [1]
""")

case("onbuild-multiline", r"""
FROM alpine
ONBUILD RUN echo a \
    && echo b
""")

# --------------------------------------------------------------------------
# Keyword case, unknown instructions, odd shapes
# --------------------------------------------------------------------------

case("keyword-lowercase", r"""
from alpine as base
run echo hi
copy a b
env A=1
cmd ["sh"]
""")

case("keyword-mixed-case", r"""
FrOm alpine AS base
rUN echo hi
Copy --From=base a b
eNtRyPoInT ["sh"]
HealthCheck NONE
""")

case("unknown-instruction", r"""
FROM alpine
FOOBAR x y z
""")

case("unknown-instruction-no-args", r"""
FROM alpine
FOOBAR
""")

case("unknown-instruction-with-flags", r"""
FROM alpine
FOOBAR --flag=1 x
""")

case("unknown-instruction-first", r"""
NOTANINSTRUCTION hello
FROM alpine
""")

case("unknown-instruction-json", r"""
FROM alpine
FOOBAR ["a"]
""")

case("stray-text-lines", r"""
FROM alpine
this is not an instruction
echo hi
""")

case("instruction-keyword-with-punctuation", r"""
FROM alpine
RUN-echo hi
COPY: a b
""")

case("instruction-starting-with-dash", r"""
FROM alpine
--flag value
""")

case("keyword-with-tab-separator", r"""
FROM<TAB>alpine
RUN<TAB>echo<TAB>hi
COPY<TAB>a<TAB>b
""")

case("all-instructions", r"""
# syntax=docker/dockerfile:1
ARG BASE=alpine
FROM ${BASE} AS base
MAINTAINER nobody
LABEL a=b
ENV E=1
ARG X
WORKDIR /app
USER root
COPY a b
ADD c d
RUN echo hi
VOLUME /data
EXPOSE 80
STOPSIGNAL SIGTERM
HEALTHCHECK CMD true
SHELL ["/bin/sh", "-c"]
ONBUILD RUN echo
CMD ["sh"]
ENTRYPOINT ["/entry"]
""")

# --------------------------------------------------------------------------
# Whitespace and encoding
# --------------------------------------------------------------------------

case("ws-tabs-and-indentation", r"""
<TAB>FROM alpine
<SP><SP><SP><SP>RUN echo hi
<TAB><SP>COPY a b
""")

case("ws-trailing-spaces", r"""
FROM alpine<SP><SP><SP>
RUN echo hi<SP><TAB><SP>
ENV A=1<SP><SP>
CMD ["sh"]<SP>
""")

case("ws-crlf", r"""
FROM alpine
RUN echo hi
ENV A=1 B=2
CMD ["sh"]
""", crlf=True)

case("ws-crlf-continuation", r"""
FROM alpine
RUN echo a \
    b \

    c
LABEL a="1" \
      b="2"
""", crlf=True)

case("ws-crlf-escape-directive", r"""
# escape=`
FROM alpine
RUN echo a `
    b
""", crlf=True)

case("ws-crlf-json", r"""
FROM alpine
CMD ["a", "b"]
ENTRYPOINT [ "x", \
  "y" ]
""", crlf=True)

case("ws-mixed-line-endings", "\nFROM alpine\r\nRUN echo a \\\n    b\r\nRUN echo c<CR>\nCMD [\"sh\"]\n")

case("ws-bare-cr-in-line", r"""
FROM alpine
RUN echo a<CR>b
""")

case("ws-bom", r"""
FROM alpine
RUN echo hi
""", bom=True)

case("ws-bom-and-directive", r"""
# escape=`
FROM alpine
RUN echo a `
  b
""", bom=True)

case("ws-bom-crlf", r"""
# syntax=docker/dockerfile:1
FROM alpine
RUN echo hi
""", bom=True, crlf=True)

case("ws-no-final-newline", r"""
FROM alpine
RUN echo hi
""", eof_newline=False)

case("ws-no-final-newline-json", r"""
FROM alpine
CMD ["sh"]
""", eof_newline=False)

case("ws-only-comments", r"""
# just a comment
# another one
""")

case("ws-empty-file", "")

case("ws-only-blank-lines", r"""



""")

case("ws-only-whitespace", r"""
<SP><SP><TAB>
<TAB>
""")

case("ws-only-bom", "", bom=True)

case("ws-non-ascii", r"""
FROM alpine
LABEL title="日本語🐳"
RUN echo "héllo wörld" && echo 🐳
ENV GREETING=こんにちは
# コメント
WORKDIR /données
""")

case("ws-hash-mid-line", r"""
FROM alpine
RUN echo hi # not a comment
ENV A=1#2
CMD ["sh", "#not"]
""")

case("ws-indented-comment", r"""
FROM alpine
    # indented comment
<TAB># tab-indented comment
RUN echo hi
""")

case("ws-blank-lines-between", r"""


FROM alpine



RUN echo hi


""")

case("ws-trailing-comments-after-last", r"""
FROM alpine
RUN echo hi
# trailing comment

# another

""")

case("ws-leading-comments-and-blank", r"""
# header comment

# more header
FROM alpine
""")

case("ws-comment-without-space", r"""
#comment
FROM alpine
#RUN echo disabled
RUN echo enabled
""")

case("ws-form-feed-and-vtab", "\nFROM alpine\nRUN echo a\x0cb\x0bc\n")

case("ws-nbsp", "\nFROM alpine\nRUN echo a\u00a0b\nENV A=\u00a0\n")

case("ws-long-line", "\nFROM alpine\nRUN echo " + " ".join(f"word{i}" for i in range(800)) + "\n")

# --------------------------------------------------------------------------
# Real-world .NET shapes
# --------------------------------------------------------------------------

case("dotnet-vs-template", r"""
#See https://aka.ms/customizecontainer to learn how to customize your debug container and how Visual Studio uses this Dockerfile to build your images for faster debugging.

FROM mcr.microsoft.com/dotnet/aspnet:8.0 AS base
USER $APP_UID
WORKDIR /app
EXPOSE 8080
EXPOSE 8081

FROM mcr.microsoft.com/dotnet/sdk:8.0 AS build
ARG BUILD_CONFIGURATION=Release
WORKDIR /src
COPY ["src/App/App.csproj", "src/App/"]
RUN dotnet restore "./src/App/App.csproj"
COPY . .
WORKDIR "/src/src/App"
RUN dotnet build "./App.csproj" -c $BUILD_CONFIGURATION -o /app/build

FROM build AS publish
ARG BUILD_CONFIGURATION=Release
RUN dotnet publish "./App.csproj" -c $BUILD_CONFIGURATION -o /app/publish /p:UseAppHost=false

FROM base AS final
WORKDIR /app
COPY --from=publish /app/publish .
ENTRYPOINT ["dotnet", "App.dll"]
""")

case("dotnet-vs-template-crlf", r"""
#See https://aka.ms/customizecontainer to learn how to customize your debug container and how Visual Studio uses this Dockerfile to build your images for faster debugging.

#Depending on the operating system of the host machines(s) that will build or run the containers, the image specified in the FROM statement may need to be changed.
#For more information, please see https://aka.ms/containercompat

FROM mcr.microsoft.com/dotnet/aspnet:6.0 AS base
WORKDIR /app
EXPOSE 80
EXPOSE 443

FROM mcr.microsoft.com/dotnet/sdk:6.0 AS build
WORKDIR /src
COPY ["WebApp/WebApp.csproj", "WebApp/"]
RUN dotnet restore "WebApp/WebApp.csproj"
COPY . .
WORKDIR "/src/WebApp"
RUN dotnet build "WebApp.csproj" -c Release -o /app/build

FROM build AS publish
RUN dotnet publish "WebApp.csproj" -c Release -o /app/publish /p:UseAppHost=false

FROM base AS final
WORKDIR /app
COPY --from=publish /app/publish .
ENTRYPOINT ["dotnet", "WebApp.dll"]
""", crlf=True, bom=True)

case("dotnet-multi-project-restore", r"""
FROM mcr.microsoft.com/dotnet/sdk:8.0 AS build
WORKDIR /src
COPY ["App.sln", "./"]
COPY ["Directory.Build.props", "Directory.Packages.props", "./"]
COPY ["src/Api/Api.csproj", "src/Api/"]
COPY ["src/Domain/Domain.csproj", "src/Domain/"]
COPY ["src/Infrastructure/Infrastructure.csproj", "src/Infrastructure/"]
COPY ["tests/Api.Tests/Api.Tests.csproj", "tests/Api.Tests/"]
RUN dotnet restore "App.sln"
COPY . .
RUN dotnet test "tests/Api.Tests/Api.Tests.csproj" --no-restore
RUN dotnet publish "src/Api/Api.csproj" -c Release -o /app/publish --no-restore
""")

case("dotnet-cache-mount-restore", r"""
# syntax=docker/dockerfile:1
FROM mcr.microsoft.com/dotnet/sdk:8.0 AS build
WORKDIR /source
COPY --link *.csproj .
RUN --mount=type=cache,id=nuget,target=/root/.nuget/packages dotnet restore
COPY --link . .
RUN --mount=type=cache,id=nuget,target=/root/.nuget/packages \
    dotnet publish --no-restore -o /app
""")

case("dotnet-cross-platform-build", r"""
# syntax=docker/dockerfile:1
FROM --platform=$BUILDPLATFORM mcr.microsoft.com/dotnet/sdk:8.0 AS build
ARG TARGETARCH
WORKDIR /source

COPY --link *.csproj .
RUN dotnet restore -a $TARGETARCH

COPY --link . .
RUN dotnet publish -a $TARGETARCH --no-restore -o /app

FROM mcr.microsoft.com/dotnet/runtime:8.0
WORKDIR /app
COPY --link --from=build /app .
USER $APP_UID
ENTRYPOINT ["./dotnetapp"]
""")

case("dotnet-alpine", r"""
FROM mcr.microsoft.com/dotnet/sdk:8.0-alpine AS build
ARG TARGETARCH
WORKDIR /source
COPY --link aspnetapp/*.csproj .
RUN dotnet restore -a $TARGETARCH
COPY --link aspnetapp/. .
RUN dotnet publish -a $TARGETARCH --no-restore -o /app

FROM mcr.microsoft.com/dotnet/aspnet:8.0-alpine
EXPOSE 8080
WORKDIR /app
COPY --link --from=build /app .
USER $APP_UID
ENTRYPOINT ["./aspnetapp"]
""")

case("dotnet-chiseled", r"""
FROM mcr.microsoft.com/dotnet/sdk:8.0-jammy AS build
WORKDIR /source
COPY . .
RUN dotnet publish -c Release -o /app --self-contained false

FROM mcr.microsoft.com/dotnet/aspnet:8.0-jammy-chiseled
WORKDIR /app
COPY --from=build /app .
USER app
ENTRYPOINT ["dotnet", "aspnetapp.dll"]
""")

case("dotnet-aot", r"""
FROM mcr.microsoft.com/dotnet/sdk:8.0 AS build
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
       clang zlib1g-dev
ARG BUILD_CONFIGURATION=Release
WORKDIR /src
COPY ["AotApp.csproj", "."]
RUN dotnet restore "./AotApp.csproj"
COPY . .
RUN dotnet publish "./AotApp.csproj" -c $BUILD_CONFIGURATION -o /app/publish /p:PublishAot=true /p:StripSymbols=true

FROM mcr.microsoft.com/dotnet/runtime-deps:8.0-jammy-chiseled AS final
WORKDIR /app
EXPOSE 8080
COPY --from=build /app/publish .
ENTRYPOINT ["./AotApp"]
""")

case("dotnet-nuget-secret", r"""
# syntax=docker/dockerfile:1
FROM mcr.microsoft.com/dotnet/sdk:8.0 AS build
WORKDIR /src
COPY ["src/App/App.csproj", "src/App/"]
RUN --mount=type=secret,id=nugetconfig \
    dotnet restore "src/App/App.csproj" --configfile /run/secrets/nugetconfig
RUN --mount=type=secret,id=nuget_token,env=NUGET_TOKEN \
    dotnet nuget add source https://pkgs.dev.azure.com/org/_packaging/feed/nuget/v3/index.json \
      --name feed --username docker --password "$NUGET_TOKEN" --store-password-in-clear-text
""")

case("dotnet-windows-nanoserver", r"""
# escape=`

FROM mcr.microsoft.com/dotnet/sdk:8.0-nanoserver-ltsc2022 AS build
WORKDIR /source
COPY *.csproj .
RUN dotnet restore
COPY . .
RUN dotnet publish -c Release -o /app `
    --no-restore

FROM mcr.microsoft.com/dotnet/aspnet:8.0-nanoserver-ltsc2022
WORKDIR /app
COPY --from=build /app .
USER ContainerUser
ENTRYPOINT ["aspnetapp"]
""", crlf=True)

case("dotnet-windows-servercore-powershell", r"""
# escape=`
FROM mcr.microsoft.com/dotnet/framework/sdk:4.8-windowsservercore-ltsc2022 AS build
SHELL ["powershell", "-Command", "$ErrorActionPreference = 'Stop'; $ProgressPreference = 'SilentlyContinue';"]
WORKDIR C:\src
COPY *.sln .
COPY WebApp\*.csproj .\WebApp\
COPY WebApp\*.config .\WebApp\
RUN nuget restore
COPY WebApp\. .\WebApp\
RUN msbuild /p:Configuration=Release `
    /p:DeployOnBuild=true `
    /p:PublishUrl=C:\publish
FROM mcr.microsoft.com/dotnet/framework/aspnet:4.8-windowsservercore-ltsc2022
COPY --from=build C:\publish C:\inetpub\wwwroot
""")

case("dotnet-heredoc-setup", r"""
# syntax=docker/dockerfile:1.4
FROM mcr.microsoft.com/dotnet/aspnet:8.0 AS base
RUN <<EOF
set -eux
apt-get update
apt-get install -y --no-install-recommends curl
rm -rf /var/lib/apt/lists/*
EOF
COPY <<EOF /app/appsettings.Production.json
{
  "Logging": { "LogLevel": { "Default": "Warning" } },
  "AllowedHosts": "*"
}
EOF
HEALTHCHECK --interval=30s --timeout=5s CMD curl -fs http://localhost:8080/healthz || exit 1
""")

case("dotnet-long-and-chain", r"""
FROM mcr.microsoft.com/dotnet/runtime-deps:8.0-bookworm-slim AS runtime
ENV DOTNET_VERSION=8.0.8 \
    ASPNET_VERSION=8.0.8
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        curl \
        ca-certificates \
    && curl -fSL --output dotnet.tar.gz https://dotnetcli.azureedge.net/dotnet/Runtime/$DOTNET_VERSION/dotnet-runtime-$DOTNET_VERSION-linux-x64.tar.gz \
    && dotnet_sha512='abc123' \
    && echo "$dotnet_sha512  dotnet.tar.gz" | sha512sum -c - \
    && mkdir -p /usr/share/dotnet \
    && tar -oxzf dotnet.tar.gz -C /usr/share/dotnet \
    && rm dotnet.tar.gz \
    && ln -s /usr/share/dotnet/dotnet /usr/bin/dotnet \
    && apt-get purge -y --auto-remove curl \
    && rm -rf /var/lib/apt/lists/*
""")

case("dotnet-test-stage-and-target", r"""
FROM mcr.microsoft.com/dotnet/sdk:8.0 AS base
WORKDIR /src
COPY . .

FROM base AS test
RUN dotnet test --logger "trx;LogFileName=results.trx" --results-directory /testresults

FROM base AS publish
RUN dotnet publish src/Api -c Release -o /out

FROM scratch AS export-test-results
COPY --from=test /testresults /
""")

case("dotnet-worker-service", r"""
FROM mcr.microsoft.com/dotnet/runtime:8.0 AS base
USER app
WORKDIR /app

FROM mcr.microsoft.com/dotnet/sdk:8.0 AS build
ARG BUILD_CONFIGURATION=Release
WORKDIR /src
COPY ["Worker/Worker.csproj", "Worker/"]
RUN dotnet restore "./Worker/Worker.csproj"
COPY . .
WORKDIR "/src/Worker"
RUN dotnet build "./Worker.csproj" -c $BUILD_CONFIGURATION -o /app/build

FROM build AS publish
ARG BUILD_CONFIGURATION=Release
RUN dotnet publish "./Worker.csproj" -c $BUILD_CONFIGURATION -o /app/publish /p:UseAppHost=false

FROM base AS final
WORKDIR /app
COPY --from=publish /app/publish .
ENTRYPOINT ["dotnet", "Worker.dll"]
""")

case("dotnet-globalization-icu", r"""
FROM mcr.microsoft.com/dotnet/aspnet:8.0-alpine
ENV DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=false \
    LC_ALL=en_US.UTF-8 \
    LANG=en_US.UTF-8
RUN apk add --no-cache icu-data-full icu-libs tzdata
""")

case("dotnet-ef-migrations-bundle", r"""
FROM mcr.microsoft.com/dotnet/sdk:8.0 AS migrations
RUN dotnet tool install --global dotnet-ef --version 8.0.8
ENV PATH="${PATH}:/root/.dotnet/tools"
WORKDIR /src
COPY . .
RUN dotnet ef migrations bundle --project src/Infrastructure --startup-project src/Api -o /efbundle --self-contained -r linux-x64
ENTRYPOINT ["/efbundle", "--connection", "${CONNECTION_STRING}"]
""")

case("dotnet-composite-extra-tags", r"""
ARG DOTNET_VERSION=8.0
FROM mcr.microsoft.com/dotnet/aspnet:${DOTNET_VERSION}-jammy-chiseled-composite-extra AS runtime
FROM mcr.microsoft.com/dotnet/sdk:${DOTNET_VERSION}-jammy AS sdk
FROM mcr.microsoft.com/dotnet/nightly/sdk:9.0-preview AS preview
""")

case("dotnet-onbuild-template", r"""
FROM mcr.microsoft.com/dotnet/sdk:8.0 AS builder-template
WORKDIR /src
ONBUILD COPY *.csproj ./
ONBUILD RUN dotnet restore
ONBUILD COPY . ./
ONBUILD RUN dotnet publish -c Release -o /out
""")

case("dotnet-user-and-permissions", r"""
FROM mcr.microsoft.com/dotnet/aspnet:8.0
RUN groupadd --system --gid 1001 appgroup \
 && useradd --system --uid 1001 --gid appgroup --no-create-home appuser
COPY --chown=appuser:appgroup --chmod=0550 publish/ /app/
USER appuser:appgroup
WORKDIR /app
ENTRYPOINT ["dotnet", "App.dll"]
""")

case("dotnet-lowercase-style", r"""
from mcr.microsoft.com/dotnet/sdk:8.0 as build
workdir /src
copy . .
run dotnet publish -c release -o /out

from mcr.microsoft.com/dotnet/aspnet:8.0
copy --from=build /out /app
entrypoint ["dotnet", "/app/App.dll"]
""")


# --------------------------------------------------------------------------
# More rejected inputs and limits
# --------------------------------------------------------------------------

case("limit-line-at-max-length", "\nFROM alpine\nRUN echo " + "x" * (65535 - len("RUN echo ")) + "\n")

case("err-line-too-long", "\nFROM alpine\nRUN echo " + "x" * (65536 - len("RUN echo ")) + "\n")

case("err-comment-line-too-long", "\nFROM alpine\n# " + "c" * 65600 + "\nRUN echo hi\n")

case("err-heredoc-body-line-too-long", "\nFROM alpine\nRUN <<EOF\n" + "b" * 65600 + "\nEOF\n")

case("limit-continued-lines-long-total", "\nFROM alpine\nRUN echo " + "a" * 40000 + " \\\n    " + "b" * 40000 + "\n")

case("err-heredoc-dash-space-indented-terminator", r"""
FROM alpine
RUN <<-EOF
  echo hi
  EOF
""")

case("err-heredoc-onbuild-unterminated", r"""
FROM alpine
ONBUILD RUN <<EOF
echo hi
""")

case("err-heredoc-quoted-terminator-line", r"""
FROM alpine
RUN <<"EOF"
echo hi
"EOF"
""")

case("err-heredoc-copy-unterminated", r"""
FROM alpine
COPY <<EOF /dst
""")

case("err-heredoc-only-header-at-eof", r"""
FROM alpine
RUN <<EOF
""", eof_newline=False)

case("err-heredoc-name-followed-by-continuation", r"""
FROM alpine
RUN echo <<EOF\
x
EOF
""")

case("heredoc-terminator-followed-by-backslash", r"""
FROM alpine
RUN <<EOF
x
EOF\
y
EOF
""")

case("heredoc-same-name-twice", r"""
FROM alpine
RUN <<EOF <<EOF
first
EOF
second
EOF
""")

case("heredoc-bare-operator", r"""
FROM alpine
RUN cat <<
""")

case("heredoc-fd-on-copy", r"""
FROM alpine
COPY 2<<EOF /x
body
EOF
""")

case("heredoc-word-after-continuation", r"""
FROM alpine
RUN echo \
<<EOF
body
EOF
""")

case("err-env-trailing-spaces-one-word", r"""
FROM alpine
ENV NAME<SP><SP><SP>
""")

case("err-env-continuation-to-nothing", r"""
FROM alpine
ENV NAME \
""")

case("err-env-second-line-missing-equals", r"""
FROM alpine
ENV A=1 \
    B
""")

case("err-label-missing-equals", r"""
FROM alpine
LABEL a=1 b
""")

case("err-label-legacy-one-word-spaces", r"""
FROM alpine
LABEL<TAB>name<TAB>
""")

case("err-json-shell-numbers", r"""
FROM alpine
SHELL [1]
""")

case("err-json-run-with-flags", r"""
FROM alpine
RUN --mount=type=cache,target=/x [1]
""")

case("err-json-entrypoint-object", r"""
FROM alpine
ENTRYPOINT [{"a": "b"}]
""")

case("err-json-after-continuation", r"""
FROM alpine
CMD ["a", \
     2]
""")

case("err-json-crlf", r"""
FROM alpine
CMD ["a", false]
""", crlf=True)

case("exec-json-then-comment-text", r"""
FROM alpine
CMD ["a"] # c
ENTRYPOINT ["b"] ["c"]
""")

case("err-escape-double-backslash", r"""
# escape=\\
FROM alpine
""")

case("err-escape-space-value", r"""
# escape=<SP>
FROM alpine
""")

case("err-escape-duplicate-case", r"""
# ESCAPE=`
# escape=`
FROM alpine
""")

case("err-escape-duplicate-crlf", r"""
# escape=`
# escape=`
FROM alpine
""", crlf=True)

case("err-syntax-duplicate-bom", r"""
# syntax=a
# syntax=b
FROM alpine
""", bom=True)

case("err-escape-invalid-unicode", r"""
# escape=€
FROM alpine
""")

case("err-no-instructions-bom-comments", r"""
# only a comment
""", bom=True)

case("err-no-instructions-crlf-blank", r"""


# comment
""", crlf=True)

case("err-no-instructions-directives-and-blank", r"""
# syntax=docker/dockerfile:1

# comment
""")

case("lone-backslash-only-line", r"""
\
""")

case("lone-backslash-at-eof-after-instruction", r"""
FROM alpine
\
""", eof_newline=False)

case("lone-backtick-escape-line", r"""
# escape=`
FROM alpine
`
RUN echo hi
""")

case("expose-continuation-comment", r"""
FROM alpine
EXPOSE 80 \
 # the https port
 443
""")


# --------------------------------------------------------------------------
# How each instruction splits its arguments into `value`
# --------------------------------------------------------------------------

case("split-whitespace-not-quote-aware", r"""
FROM "my image"
VOLUME "/my vol" /b
EXPOSE "80 81"
COPY "a b" c
COPY a\ b c
""")

case("split-healthcheck-spacing", r"""
FROM alpine
HEALTHCHECK   CMD   curl  -f  x<SP><SP>
HEALTHCHECK NONE   x   y
HEALTHCHECK CMD<TAB>["a"]
HEALTHCHECK CMD["a"]
HEALTHCHECK<TAB>NONE
""")

case("split-arg-quote-aware", r"""
FROM alpine
ARG A="x y" B='1 2' C=a\ b
""")

case("split-env-legacy-quoted", r"""
FROM alpine
ENV A "x y"
ENV B==b
ENV C=x\<TAB>y
LABEL d="x"y"z"
""")

case("split-whole-rest-instructions", r"""
FROM alpine
STOPSIGNAL  SIG TERM<SP>
MAINTAINER  a   b<SP><SP>
ONBUILD   RUN   a   b<SP><SP>
SHELL  ["a"]<SP><SP>
RUN<TAB><TAB>["a"]
""")

case("flags-shell-word-rules", r"""
FROM alpine
COPY --from=a --from=b x y
COPY --=x a b
COPY --from x y
COPY "--from=x" y z
COPY --a"b"=c d e
COPY --a="b c"d e f
COPY --a=b\ c d
RUN --mount=x<TAB>echo
""")

case("cont-escape-runs-at-eol", r"""
FROM alpine
RUN x\\\\
RUN y \\ \
    z
""")

case("cont-blank-lines-to-eof", r"""
FROM alpine
RUN a \



""")

case("cont-comments-and-blanks-to-eof", r"""
FROM alpine
RUN a \
# c

# d
""")

case("cont-indented-lone-backslash", r"""
FROM alpine
<SP><SP><SP>\
RUN y
""")

case("cont-keyword-then-blank", r"""
FROM alpine
RUN \

""")

case("cont-flags-on-own-lines", r"""
FROM alpine
RUN<SP><SP>\
  --mount=type=cache,target=/x \
  echo
""")

case("cont-backtick-runs-at-eol", r"""
# escape=`
FROM alpine
RUN x``
RUN y \
RUN z
""")


case("flags-backslash-escape-under-backtick-directive", r"""
# escape=`
FROM alpine
COPY --a=b\ c x
COPY --a=b` c x
COPY --a="b`"c" x
""")

case("err-env-words-use-directive-escape", r"""
# escape=`
FROM alpine
ENV A=a` b C=c\ d
""")

case("flags-quotes-and-double-dash", r"""
FROM alpine
COPY --a='b c' --d="e'f" x
RUN --a=b -- --c=d x
COPY --from=a\
--to=b x
""")

case("env-quote-escapes-inside-words", r"""
FROM alpine
ENV A=1 B="x\"y" C='a\'b
ENV D=1 E="2
""")


case("heredoc-header-continued", r"""
FROM alpine
RUN <<EOF \
  && echo done
body
EOF
""")


case("err-first-error-wins-json", r"""
FROM alpine
CMD [1]
ENV X
""")

case("err-first-error-wins-env", r"""
FROM alpine
ENV X
CMD [1]
RUN <<EOF
""")


# --------------------------------------------------------------------------
# Seeded generators: many small variants of the features above
# --------------------------------------------------------------------------

def generated_cases() -> None:
    rng = random.Random(SEED)

    keywords = ["RUN", "CMD", "ENTRYPOINT", "COPY", "ADD", "ENV", "LABEL", "ARG",
                "EXPOSE", "USER", "WORKDIR", "VOLUME", "STOPSIGNAL", "SHELL",
                "HEALTHCHECK", "ONBUILD", "MAINTAINER"]

    def random_case(word: str) -> str:
        return "".join(ch.upper() if rng.random() < 0.5 else ch.lower() for ch in word)

    # 1. Keyword casing variants for every instruction.
    bodies = {
        "RUN": "echo hi",
        "CMD": '["sh", "-c", "echo hi"]',
        "ENTRYPOINT": "/entry.sh arg",
        "COPY": "--chown=1:1 a b",
        "ADD": "--link a.tar /opt/",
        "ENV": "A=1 B=2",
        "LABEL": 'k="v w"',
        "ARG": "X=1",
        "EXPOSE": "80/tcp 443",
        "USER": "app",
        "WORKDIR": "/app",
        "VOLUME": '["/data"]',
        "STOPSIGNAL": "SIGINT",
        "SHELL": '["/bin/bash", "-c"]',
        "HEALTHCHECK": "--retries=2 CMD true",
        "ONBUILD": "run echo later",
        "MAINTAINER": "someone",
    }
    for kw in keywords:
        text = f"{random_case('from')} alpine\n{random_case(kw)} {bodies[kw]}\n"
        case(f"gen-case-{kw.lower()}", text)

    # 2. Continuation placement: split a RUN at random word boundaries with
    #    random decorations (trailing blanks, comment lines, blank lines).
    words = "apt-get update && apt-get install -y --no-install-recommends curl git && rm -rf /var/lib/apt/lists/*".split(" ")
    for i in range(24):
        lines = ["FROM debian:bookworm-slim"]
        current = "RUN"
        inserted_blank = False
        for word in words:
            current += " " + word
            if rng.random() < 0.35:
                tail = rng.choice(["", " ", "  ", "\t", " \t "])
                lines.append(current + " \\" + tail)
                deco = rng.random()
                if deco < 0.2:
                    lines.append(rng.choice(["# comment", "    # indented comment", "#"]))
                elif deco < 0.3:
                    lines.append(rng.choice(["", "   "]))
                    inserted_blank = True
                current = rng.choice(["", "  ", "    ", "\t"])
        lines.append(current)
        if rng.random() < 0.3:
            lines.append("# trailing")
        if rng.random() < 0.3:
            lines.append("")
        lines.append("CMD [\"bash\"]")
        text = "\n".join(lines) + "\n"
        suffix = "blank" if inserted_blank else "plain"
        case(f"gen-cont-{i:02d}-{suffix}", text, crlf=(i % 6 == 5))

    # 3. Flag combinations on COPY/ADD/RUN, including odd ones.
    copy_flags = ["--from=build", "--from=", "--chown=1000:1000", "--chown=app", "--chmod=755",
                  "--chmod=u+x", "--link", "--link=true", "--link=false", "--parents",
                  "--exclude=*.md", "--exclude=bin/", "--from=${STAGE}"]
    add_flags = ["--checksum=sha256:24454f830cdb571e2c4ad15481119c43b3cafd48dd869a9b2945d1036d1dc68d",
                 "--keep-git-dir=true", "--keep-git-dir", "--chown=1:1", "--chmod=600", "--link",
                 "--exclude=.git"]
    run_flags = ["--mount=type=cache,target=/root/.nuget/packages",
                 "--mount=type=cache,id=nuget,target=/root/.nuget/packages,sharing=locked",
                 "--mount=type=bind,target=.", "--mount=type=secret,id=npmrc",
                 "--mount=type=ssh,id=default", "--mount=type=tmpfs,target=/tmp",
                 "--network=none", "--network=host", "--security=insecure", "--security=sandbox"]
    for i in range(18):
        kw, pool, args = rng.choice([
            ("COPY", copy_flags, "src/ /app/"),
            ("COPY", copy_flags, '["a b", "/c d/"]'),
            ("ADD", add_flags, "https://example.com/x.tgz /opt/"),
            ("RUN", run_flags, "dotnet restore"),
            ("RUN", run_flags, '["dotnet", "build"]'),
        ])
        chosen = rng.sample(pool, rng.randint(1, min(4, len(pool))))
        sep = rng.choice([" ", "  ", " \\\n    ", "\t"])
        text = f"FROM alpine\n{kw} {sep.join(chosen)}{sep}{args}\n"
        case(f"gen-flags-{i:02d}-{kw.lower()}", text)

    # 4. ENV / LABEL / ARG key-value soup.
    values = ['1', '"x y"', "a\\ b", "'single'", '""', '"with \\"escaped\\" quotes"', "$HOME",
              "${A:-default}", "http://x/?a=b", '"multi \\\n  line"']
    for i in range(14):
        kw = rng.choice(["ENV", "LABEL", "ARG"])
        n = rng.randint(1, 4)
        pairs = []
        for j in range(n):
            key = rng.choice(["A", "B_2", "my.key", "org.opencontainers.image.title", "PATH"]) + str(j)
            pairs.append(f"{key}={rng.choice(values)}")
        sep = rng.choice([" ", "   ", " \\\n    "])
        text = f"FROM alpine\n{kw} {sep.join(pairs)}\n"
        case(f"gen-kv-{i:02d}-{kw.lower()}", text)

    # 5. Legacy ENV form with assorted whitespace.
    for i in range(6):
        gap = rng.choice([" ", "  ", "\t", " \t "])
        val = rng.choice(["value", "two words", "a  b\tc", '"quoted value"', "x=y z"])
        text = f"FROM alpine\nENV NAME{gap}{val}\n"
        case(f"gen-env-legacy-{i:02d}", text)

    # 6. JSON arrays: random valid arrays (with escapes), and random broken ones.
    atoms = ['"a"', '"with space"', '"q\\"uote"', '"back\\\\slash"', '"\\u00e9t\\u00e9"',
             '"\\ud83d\\udc33"', '""', '"$HOME"', '"-c"', '"\\n"', '"\\/"']
    for i in range(12):
        kw = rng.choice(["CMD", "ENTRYPOINT", "RUN", "SHELL", "VOLUME"])
        items = [rng.choice(atoms) for _ in range(rng.randint(1, 4))]
        comma = rng.choice([",", ", ", " , ", ",\t"])
        inner = comma.join(items)
        pad = rng.choice(["", " "])
        text = f"FROM alpine\n{kw} [{pad}{inner}{pad}]\n"
        case(f"gen-json-{i:02d}-{kw.lower()}", text)
    broken = ['["a" "b"]', '["a",]', '[a]', '["a"', '"a"]', '["a"]]', '[["a"]]',
              '["a", 1.5]', '[true]', '[null]', '[ ]x', "[ 'a' ]"]
    for i, arr in enumerate(broken):
        kw = rng.choice(["CMD", "ENTRYPOINT", "RUN"])
        case(f"gen-json-odd-{i:02d}-{kw.lower()}", f"FROM alpine\n{kw} {arr}\n")

    # 7. Heredoc variants: random names, quoting, dash, fd, bodies.
    names = ["EOF", "EOT", "SCRIPT", "end", "X1"]
    body_lines = ["echo hi", "# comment in body", "\techo tabbed", "echo a \\", "", "  indented",
                  "FROM fake", "RUN fake"]
    for i in range(14):
        kw = rng.choice(["RUN", "RUN", "COPY", "ADD"])
        name = rng.choice(names)
        dash = rng.choice(["", "-"])
        quote = rng.choice(["", '"', "'"])
        fd = rng.choice(["", "", "1", "2"]) if kw == "RUN" else ""
        prefix = rng.choice(["", "cat ", "bash -s "]) if kw == "RUN" else ""
        body = [rng.choice(body_lines) for _ in range(rng.randint(0, 4))]
        if dash:
            body = ["\t" + line for line in body]
        terminator = ("\t" if dash and rng.random() < 0.7 else "") + name
        dst = " /dst.txt" if kw != "RUN" else ""
        lines = ["FROM alpine", f"{kw} {prefix}{fd}<<{dash}{quote}{name}{quote}{dst}", *body, terminator,
                 "RUN echo after"]
        case(f"gen-heredoc-{i:02d}-{kw.lower()}", "\n".join(lines) + "\n", crlf=(i % 5 == 4))

    # 8. EXPOSE / USER / STOPSIGNAL / WORKDIR simple value soups.
    for i in range(6):
        ports = rng.sample(["80", "443/tcp", "53/udp", "8080-8090", "${PORT}", "$P/tcp", "5000/sctp"],
                           rng.randint(1, 4))
        gap = rng.choice([" ", "  ", "\t"])
        case(f"gen-expose-{i:02d}", f"FROM alpine\nEXPOSE {gap.join(ports)}\n")

    # 9. Escape directive with backtick and random Windows-ish content.
    for i in range(6):
        paths = [rng.choice(["C:\\app", "C:\\Program Files\\dotnet", "bin\\Release\\net8.0\\",
                             ".\\src\\App\\", "C:\\temp\\"]) for _ in range(2)]
        crlf = i % 2 == 0
        text = ("# escape=`\n"
                "FROM mcr.microsoft.com/windows/nanoserver:ltsc2022\n"
                f"COPY {paths[0]} {paths[1]}\n"
                f"RUN echo {paths[0]} `\n"
                f"    && echo {paths[1]}\n"
                f"WORKDIR {paths[1]}\n")
        case(f"gen-escape-backtick-{i:02d}", text, crlf=crlf)

    # 10. Directive combinations (some legal, some duplicates, some too late).
    directive_lines = ["# syntax=docker/dockerfile:1", "# escape=`", "# escape=\\", "#syntax = x",
                       "# check=skip=all", "", "# comment", "#ESCAPE=`"]
    for i in range(10):
        chosen = [rng.choice(directive_lines) for _ in range(rng.randint(1, 3))]
        text = "\n".join(chosen) + "\nFROM alpine\nRUN echo a `\n  b \\\n  c\n"
        # BuildKit 0.12.5 does not know `check`; keep it after any escape line, as documented.
        if any(line.startswith("# check") for line in chosen):
            first_check = next(k for k, line in enumerate(chosen) if line.startswith("# check"))
            if any("escape" in line.lower() for line in chosen[first_check:]):
                continue
        case(f"gen-directives-{i:02d}", text)


generated_cases()


def main() -> int:
    os.makedirs(CORPUS_DIR, exist_ok=True)
    wanted = {}
    for index, (name, data) in enumerate(CASES, start=1):
        wanted[f"{index:03d}-{name}.Dockerfile"] = data
    for existing in os.listdir(CORPUS_DIR):
        if existing.endswith(".Dockerfile") and existing not in wanted:
            os.remove(os.path.join(CORPUS_DIR, existing))
    for filename, data in wanted.items():
        with open(os.path.join(CORPUS_DIR, filename), "wb") as handle:
            handle.write(data)
    print(f"wrote {len(wanted)} files to {CORPUS_DIR}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
